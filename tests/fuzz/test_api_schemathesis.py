"""Schemathesis against /api/v1/openapi.json, inside make test: a bounded
number of generated requests per operation; no 500, and every response must
match the documented status codes, content types and schemas."""

import os

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from tracker.auth.services import issue_token
from tracker.database import utcnow
from tracker.extensions import db

#: FUZZ_EXAMPLES overrides the count (bench/fuzz_random.sh raises it).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or (100 if os.environ.get("FUZZ_RANDOM") == "1" else 15))
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]

#: make test runs a fixed, repeatable set of examples; FUZZ_RANDOM=1 (bench/fuzz_random.sh) explores afresh.
FUZZ_RANDOM = os.environ.get("FUZZ_RANDOM") == "1"


def test_every_api_operation_matches_its_document(app, world):
    token, _ = issue_token(db.session, world.users["admin"], utcnow(), app.config["API_TOKEN_LIFETIME"])
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures, ran = {}, []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.endswith("/tokens/current"):
            continue  # revoking the token would turn every later request into a (documented) 401

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=not FUZZ_RANDOM,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
        def run(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # collect every operation's failure, then report them all
            failures[operation.label] = f"{type(exc).__name__}: {str(exc)[:1500]}"
        ran.append(operation.label)
        db.session.rollback()
    assert len(ran) >= 15
    assert not failures, "\n\n".join(f"{label}\n{why}" for label, why in failures.items())
