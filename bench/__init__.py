"""Benchmarks, and the seeded data generator they share with the demo data (see bench/README.md)."""
