"""The API's own schema, loaded through the WSGI app (no server), and one call of a generated or hand-made case."""

from __future__ import annotations

import traceback

import schemathesis
from django.db import transaction
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from salesdept.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# The coverage phase (every boundary of every field, ~230 cases for one body) would take the suite from minutes to
# most of an hour on two cores; the schema's examples and 50 fuzzed cases per operation and role stay.
schema.config.phases.update(phases=["examples", "fuzzing"])

CHECKS = [not_a_server_error, response_schema_conformance]


def call_and_check(case, *, token: str, server_errors: list[BaseException]):
    """Send the case as the token's user inside a savepoint that is rolled back, then run CHECKS on the answer."""
    # Over WSGI the answer is not decompressed for the checks: ask for it plain (gzip is tested in test_schema_lint).
    headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}
    server_errors.clear()
    savepoint = transaction.savepoint()
    try:
        response = case.call(headers=headers)
    finally:
        transaction.savepoint_rollback(savepoint)
    for error in server_errors:  # pytest shows them beside the failure
        print("".join(traceback.format_exception(error)))
    case.validate_response(response, checks=CHECKS, headers=headers)
    return response
