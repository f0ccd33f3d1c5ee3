"""The visits API: a project's key in a header; every error its documented code; idempotent by external id;
limited per key; its refusals journaled like a page's."""

import datetime as dt

import pytest
from django.test import Client

from auditlog.models import AuditEvent
from offers import codes
from tests.visits.conftest import make_deal
from visits.api_keys import api_key_create, api_key_revoke
from visits.models import ApiKey, Visit

pytestmark = pytest.mark.django_db
URL = "/api/v1/visits"


@pytest.fixture
def deal(rep_a, rep_b, moderator, project_a, project_b):
    return make_deal(owner_rep=rep_a, partner_rep=rep_b, moderator=moderator, owner=project_a, partner=project_b)


@pytest.fixture
def key(project_a, admin):
    return api_key_create(project=project_a, name="Loyalty app", actor=admin)


@pytest.fixture
def api():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def body(deal, **changes):
    return {
        "code": codes.display(deal.code).lower(),
        "client_phone": "+7 916 123-45-67",
        "external_id": "app-1",
    } | changes


def post(api, plain, data, **headers):
    if plain is not None:
        headers.setdefault("HTTP_X_API_KEY", plain)
    return api.post(URL, data=data, content_type="application/json", **headers)


def error_code(response):
    return response.json()["error"]["code"]


def test_a_visit_is_created_then_replayed_then_a_conflict(api, deal, key):
    _row, plain = key
    created = post(api, plain, body(deal, check_amount="1200.50", points_spent=30))
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["deal"] == codes.display(deal.code) and data["reward"] == "300.00" and data["points_accrued"] == 50
    assert data["quota_reached"] is False and data["source"] == "api"
    again = post(api, plain, body(deal, check_amount="1200.5", points_spent=30))
    assert again.status_code == 200 and again.json()["id"] == data["id"]
    other = post(api, plain, body(deal, client_phone="+79160000000"))
    assert other.status_code == 409 and error_code(other) == "external_id_conflict"
    assert Visit.objects.count() == 1
    assert ApiKey.objects.get().last_used_at is not None


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "missing_key"),
        ({"HTTP_X_API_KEY": "misty_nope.secret"}, "invalid_key"),
        ({"HTTP_X_API_KEY": "abc"}, "invalid_key"),
    ],
)
def test_no_key_or_a_wrong_key_is_401_and_journaled(api, deal, key, headers, code):
    response = api.post(URL, data=body(deal), content_type="application/json", **headers)
    assert response.status_code == 401 and error_code(response) == code
    assert response.json()["error"]["message"]
    assert AuditEvent.objects.filter(event="access.forbidden").exists()
    assert not Visit.objects.exists()


def test_a_wrong_secret_of_a_real_prefix_is_invalid(api, deal, key):
    row, plain = key
    response = post(api, plain[:-3] + "xyz", body(deal))
    assert response.status_code == 401 and error_code(response) == "invalid_key"
    assert row.prefix in str(AuditEvent.objects.filter(event="access.forbidden").last().changes)
    assert plain.split(".")[1] not in str(list(AuditEvent.objects.values_list("changes", flat=True)))


def test_a_revoked_key_is_refused(api, deal, key, admin):
    row, plain = key
    api_key_revoke(key=row, actor=admin)
    response = post(api, plain, body(deal))
    assert response.status_code == 401 and error_code(response) == "revoked_key"


def test_a_key_in_the_query_string_is_refused_and_never_journaled(api, key):
    _row, plain = key
    response = api.get(f"{URL}?key={plain}")
    assert response.status_code == 401 and error_code(response) == "key_in_query"
    assert plain not in str(list(AuditEvent.objects.values_list("changes", flat=True)))


def test_a_bearer_header_works_too(api, deal, key):
    _row, plain = key
    response = post(api, None, body(deal), HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert response.status_code == 201


def test_another_projects_deal_code_reads_as_unknown_and_is_journaled(api, deal, project_b, admin):
    _row, plain_b = api_key_create(project=project_b, name="B's app", actor=admin)  # B is the partner, not the owner
    response = post(api, plain_b, body(deal))
    assert response.status_code == 404 and error_code(response) == "unknown_code"
    assert AuditEvent.objects.filter(event="access.not_found", project=project_b).exists()


def test_bad_json_and_bad_values_have_their_codes(api, deal, key):
    _row, plain = key
    broken = api.post(URL, data="{not json", content_type="application/json", HTTP_X_API_KEY=plain)
    assert broken.status_code == 400 and error_code(broken) == "invalid_json"
    missing = post(api, plain, {"code": deal.code})
    assert missing.status_code == 422 and error_code(missing) == "validation_error"
    assert {d["field"] for d in missing.json()["error"]["details"]} >= {"external_id"}
    phone = post(api, plain, body(deal, client_phone="12"))
    assert phone.status_code == 422 and error_code(phone) == "invalid_client_phone"
    future = post(api, plain, body(deal, visited_at=(dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()))
    assert future.status_code == 422 and error_code(future) == "visit_in_future"


def test_the_same_client_twice_and_a_full_quota_are_409(api, key, rep_a, rep_b, moderator, project_a, project_b):
    _row, plain = key
    deal = make_deal(
        owner_rep=rep_a, partner_rep=rep_b, moderator=moderator, owner=project_a, partner=project_b, quota=1
    )
    first = post(api, plain, body(deal))
    assert first.status_code == 201 and first.json()["quota_reached"] is True
    twice = post(api, plain, body(deal, external_id="app-2"))
    assert twice.status_code == 409 and error_code(twice) in {"client_counted", "deal_completed"}


def test_the_rate_limit_is_per_key(api, deal, key, settings, project_a, admin):
    settings.API_RATE_LIMIT = "3/m"
    _row, plain = key
    statuses = [api.get(URL, HTTP_X_API_KEY=plain).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = api.get(URL, HTTP_X_API_KEY=plain)
    assert error_code(limited) == "rate_limited" and int(limited["Retry-After"]) >= 1
    _other, plain_other = api_key_create(project=project_a, name="Till 2", actor=admin)
    assert api.get(URL, HTTP_X_API_KEY=plain_other).status_code == 200, "another key has its own limit"


def test_the_list_pages_by_id_and_shows_only_the_keys_project(api, deal, key, rep_a, admin, project_b):
    _row, plain = key
    for n in range(5):
        assert post(api, plain, body(deal, client_phone=f"+7916000000{n}", external_id=f"e{n}")).status_code == 201
    first = api.get(URL, {"limit": 2}, HTTP_X_API_KEY=plain).json()
    assert len(first["items"]) == 2 and first["next_after"] == first["items"][-1]["id"]
    rest = api.get(URL, {"limit": 10, "after": first["next_after"]}, HTTP_X_API_KEY=plain).json()
    assert len(rest["items"]) == 3 and rest["next_after"] is None
    _b, plain_b = api_key_create(project=project_b, name="B", actor=admin)
    assert api.get(URL, HTTP_X_API_KEY=plain_b).json()["items"] == [], "the partner's key sees no owner visits"


def test_since_takes_any_iso_offset_and_refuses_a_moment_off_the_calendar(api, deal, key):
    """PostgreSQL refuses offsets beyond ±15:59 (found by schemathesis): the API reads every moment as UTC first."""
    _row, plain = key
    assert post(api, plain, body(deal)).status_code == 201
    far = api.get(URL, {"since": "2222-12-31T01:16:51-19:10"}, HTTP_X_API_KEY=plain)
    assert far.status_code == 200 and far.json()["items"] == []
    past = api.get(URL, {"since": "2000-01-01T00:00:00-19:10"}, HTTP_X_API_KEY=plain)
    assert len(past.json()["items"]) == 1
    off = api.get(URL, {"since": "9999-12-31T23:59:00-19:10"}, HTTP_X_API_KEY=plain)
    assert off.status_code == 422 and error_code(off) == "validation_error"


def test_the_schema_and_its_docs_page_need_no_key(api):
    schema = api.get("/api/v1/schema")
    assert schema.status_code == 200 and "/api/v1/visits" in schema.json()["paths"]
    docs = api.get("/api/v1/docs")
    assert docs.status_code == 200 and b"vendor/swagger-ui/swagger-ui-bundle" in docs.content
    assert b"cdn" not in docs.content.lower()
