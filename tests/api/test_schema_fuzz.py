"""Schemathesis against the API's own OpenAPI schema, in process: generated requests (valid and not) never
get a 5xx, and every response matches the schema (status, content type, body) — with a real key, on a real
deal, so the happy path is reached too."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.visits.conftest import make_deal
from visits.api_keys import api_key_create

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def api_key(rep_a, rep_b, moderator, project_a, project_b, admin):
    make_deal(owner_rep=rep_a, partner_rep=rep_b, moderator=moderator, owner=project_a, partner=project_b)
    return api_key_create(project=project_a, name="fuzz", actor=admin)[1]


# Loaded at collection, in process (the schema view needs no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_the_tests_connection():
    """The WSGI handler closes database connections at each request's end; Django's test client disconnects
    that, and so must a WSGI client, or PostgreSQL loses the test's transaction after the first request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_schema(case, api_key):
    case.call_and_validate(headers={"X-API-Key": api_key, "Accept-Language": "en"}, checks=CHECKS)
