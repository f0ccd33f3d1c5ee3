"""The API's errors: one JSON shape, `{"error": {"code": "...", "message": "..."}}`, with a stable code.

The codes of `visits.services.REFUSALS` keep their names; the API adds its own below. The HTTP status says the
kind: 400 the body is no JSON, 401 the key, 404 no such deal for this key, 409 a state that refuses the visit,
422 a value to correct, 429 too many requests, 503 try again."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

API_MESSAGES = {
    "missing_key": _("Send the project's API key in the X-API-Key header."),
    "invalid_key": _("This API key is not valid."),
    "revoked_key": _("This API key is revoked: ask Misty for a new one."),
    "inactive_project": _("The key's project is not active on the portal."),
    "key_in_query": _("Never put the API key in the address: send it in the X-API-Key header."),
    "rate_limited": _("Too many requests with this key: wait and try again."),
    "invalid_json": _("The request body is not valid JSON."),
    "validation_error": _("Some values are missing or of the wrong type: see details."),
}

STATUS_OF_REFUSAL = {
    "unknown_code": 404,
    "client_counted": 409,
    "quota_reached": 409,
    "deal_completed": 409,
    "deal_cancelled": 409,
    "lot_paused": 409,
    "external_id_conflict": 409,
    "busy": 503,
    "not_allowed": 403,
}  # every other refusal: 422 (a value to correct)


class ApiProblem(Exception):
    def __init__(self, status: int, code: str, message=None, *, details=None, retry_after: int | None = None):
        super().__init__(code)
        self.status, self.code, self.details, self.retry_after = status, code, details, retry_after
        self.message = message if message is not None else API_MESSAGES.get(code, code)
