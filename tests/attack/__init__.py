"""Attacks on the API: schemathesis over the whole schema, and the answers the schema must describe."""
