"""schemathesis against the app in-process: every documented operation, every check, no failure,
with the rate limit off and on (a limit low enough that generated requests meet it: 429 is a
documented answer to any /v1 request, valid or not).

It generates valid and invalid requests from openapi.json and checks that the service never
answers 5xx, answers only documented statuses and media types, conforms to its response
schemas, rejects what the schema rejects and accepts what it accepts. "Accepts" allows 422 on
schema-valid data for what a JSON schema cannot say: references between fields (a rule naming
an unknown role, a matrix naming an activity the scenario lacks, a built-in id that does not
exist) and the server's configured size limits.
"""

from __future__ import annotations

import dataclasses

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.config import SchemathesisConfig

from service.app import create_app
from service.schemas import XLSX
from service.settings import Settings

ACCEPTED = ["2xx", "401", "403", "404", "409", "422"]
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}}}
)
LIMITED = SchemathesisConfig.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "429"]}}}
)
# Tight limits keep every generated request quick; larger ones are refused with 422 (allowed).
# The time budget is five seconds: a request's budget includes its wait for a thread (a thread
# pool cannot stop an abandoned job), and a budget that ends before the work could even be
# built (a loaded test machine) is answered 503 budget-exceeded.
LIMITS = Settings(
    pool="thread",
    pool_workers=2,
    rate_limit=0,
    max_time_limit=5.0,
    max_job_seconds=5.0,  # a time limit above five seconds is a job (202), kept as short
    max_queued_jobs=10_000,  # generated requests start many: the cap is not what is tested
    max_draws=20,
    max_rounds=200,
    max_stakeholders=30,
    max_roles=20,
    max_activities=30,
    store=":memory:",
)
# A workbook body is bytes: sent like any binary file (the service answers 422 to junk).
schemathesis.serializer.alias(XLSX, "application/octet-stream")
app = create_app(LIMITS, log=None)
schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app, config=CONFIG)
limited_app = create_app(dataclasses.replace(LIMITS, rate_limit=30), log=None)
limited = schemathesis.openapi.from_asgi("/schema/openapi.json", limited_app, config=LIMITED)
SETTINGS = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@schema.parametrize()
@SETTINGS
def test_api_conforms_to_its_schema(case: Case) -> None:
    response = case.call_and_validate()
    assert response.status_code < 500


@limited.parametrize()
@SETTINGS
def test_api_conforms_to_its_schema_rate_limited(case: Case) -> None:
    response = case.call_and_validate()
    assert response.status_code < 500
