"""The visits API: a session is no key — every persona, signed in or not, gets 401 from the operations (the key
tests are tests/api/); the schema and its docs page are public; the API's root is a 404."""

from __future__ import annotations

from tests.matrix import Entry, expect, public
from tests.matrix.market import deal_of_a

NO_KEY = expect(401, 401, 401, 401, 401, 401)

ENTRIES = {
    "api:post_visit": Entry(
        NO_KEY,
        method="post",
        data=lambda w: {"code": deal_of_a(w).code, "client_phone": "+79161234567", "external_id": "m-1"},
        note="a session cookie is not a key",
    ),
    "api:list_visits": Entry(NO_KEY, note="a session cookie is not a key"),
    "api:openapi-json": Entry(public(), note="the OpenAPI schema"),
    "api:openapi-view": Entry(public(), note="its docs page (Swagger UI, bundled: no CDN)"),
    "api:api-root": Entry(public(404), note="django-ninja's root: nothing there"),
}
