"""Property-based fuzzing of every operation with schemathesis, against our own OpenAPI document.

No input may cause a 5xx (503 from the unreachable test scrapyd is documented and allowed), and every
response must match the document: status code, content type, headers and body schema.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import delete
from sqlalchemy.orm import Session

from api import create_app
from db.leads import upsert_companies
from db.models import Job, Lead, Schedule, Webhook
from tests.api.conftest import Caller

pytestmark = [pytest.mark.db, pytest.mark.slow]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = 15  # per operation and variant: the whole module stays well under two minutes


def _operations() -> list[tuple[str, str]]:
    # Collected from the document itself (a throwaway app; nothing touches its database), so a new
    # operation is fuzzed without touching this file. schemathesis' own pytest loader
    # (from_fixture) does not run under pytest 9 yet, hence the explicit parametrization.
    app = create_app({"DATABASE_URL": "sqlite://", "TESTING": True})
    spec = app.test_client().get("/v1/openapi.json").get_json()
    return sorted(
        (method.upper(), path)
        for path, ops in spec["paths"].items()
        for method in ops
        if method != "parameters"
    )


@pytest.fixture(autouse=True)
def no_schedules_left(db: Session) -> Iterator[None]:
    """Fuzzed POSTs leave active schedules; other tests' workers (clocks days ahead) must not run them."""
    yield
    db.rollback()
    db.execute(delete(Schedule))
    db.commit()


@pytest.fixture
def fuzz_caller(make_caller: Callable[..., Caller]) -> Caller:
    # Plenty of credits and requests: the fuzzer must reach the handlers, not the limits.
    return make_caller(credits=10_000_000, rate_limit=10_000_000)


@pytest.fixture
def real_ids(
    client: FlaskClient,
    fuzz_caller: Caller,
    make_job: Callable[..., Job],
    make_lead: Callable[..., Lead],
    db: Session,
) -> dict[str, str]:
    """One existing object of each kind, so bodies and queries are also fuzzed against real rows."""
    job = make_job(fuzz_caller.account_id, status="processing")
    company = upsert_companies(
        db, fuzz_caller.account_id, {"acme-robotics.com": "Acme Robotics"}, job_id=job.id
    )
    db.commit()
    lead = make_lead(
        fuzz_caller.account_id,
        job_id=job.id,
        seen_in=[job.id],
        lead_score=80,
        company_id=company["acme-robotics.com"],
        company_domain="acme-robotics.com",
    )
    hook = Webhook(
        account_id=fuzz_caller.account_id,
        url="https://hooks.acme-robotics.com/in",
        events=["job.completed"],
        secret="whsec_c2VjcmV0c2VjcmV0c2VjcmV0",
        is_active=True,
    )
    db.add(hook)
    db.commit()
    h = fuzz_caller.headers
    delivery = client.post(f"/v1/webhooks/{hook.id}/test", headers=h).get_json()["id"]
    export = client.post("/v1/leads/export", headers=h, json={"format": "csv"}).get_json()["export_id"]
    sup = client.post("/v1/suppressions", headers=h, json={"kind": "domain", "value": "globex.example"})
    schedule = client.post(
        "/v1/schedules",
        headers=h,
        json={"cron": "0 6 * * 1", "urls": ["https://globex.example/"], "status": "paused"},
    ).get_json()["id"]
    return {
        "job_id": job.id,
        "lead_id": lead.id,
        "company_id": company["acme-robotics.com"],
        "key_id": fuzz_caller.key_id,
        "webhook_id": hook.id,
        "delivery_id": delivery,
        "export_id": export,
        "suppression_id": sup.get_json()["id"],
        "schedule_id": schedule,
    }


VARIANTS = [
    pytest.param(method, path, mode, ids, id=f"{method} {path} {mode.value} {ids}")
    for method, path in _operations()
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    for ids in (("fuzzed-ids", "real-ids") if "{" in path else ("fuzzed-ids",))
]


@pytest.mark.parametrize("method, path, mode, ids", VARIANTS)
def test_operation_conforms_to_the_document(
    request: pytest.FixtureRequest,
    app: Flask,
    fuzz_caller: Caller,
    method: str,
    path: str,
    mode: Any,
    ids: str,
) -> None:
    operation = schemathesis.openapi.from_wsgi("/v1/openapi.json", app)[path][method]
    fixed = None
    if ids == "real-ids":
        real = request.getfixturevalue("real_ids")
        if path == "/v1/api-keys/{key_id}":  # revoking the fuzzing key would turn every later call into 401
            real = {**real, "key_id": "key_00000000000000"}
        fixed = {name: real[name] for name in re.findall(r"\{(\w+)\}", path)}

    @given(case=operation.as_strategy(mode, path_parameters=fixed))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,  # the same examples on every run: a CI failure reproduces locally
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case: Any) -> None:
        case.call_and_validate(headers=fuzz_caller.headers, checks=CHECKS)

    fuzz()
