"""Who calls the API: a project's key in the `X-API-Key` header (or `Authorization: Bearer …`), never in the
address — a key in the query string is refused before it is even looked at, as it would be in access logs.
Every refusal goes to the one policy's journal (`cabinets.access.journal_denial`), with the key's public
prefix, never its secret."""

from __future__ import annotations

from ninja.security import APIKeyHeader

from api.errors import ApiProblem
from cabinets.access import journal_denial
from visits.api_keys import api_key_check, api_key_touch, looks_like_a_key


class ProjectKey(APIKeyHeader):
    param_name = "X-API-Key"

    def _get_key(self, request):
        key = super()._get_key(request)
        if not key:
            authorization = request.headers.get("Authorization", "")
            if authorization.lower().startswith("bearer "):
                key = authorization
        return key

    def authenticate(self, request, key):
        if any(looks_like_a_key(value) for values in request.GET.lists() for value in values[1]):
            journal_denial(request, status=401, reason="API key in the query string")
            raise ApiProblem(401, "key_in_query")
        check = api_key_check(key)
        if check.key is None:
            journal_denial(request, status=401, reason=f"API key {check.problem} {check.prefix}".strip())
            raise ApiProblem(401, check.problem)
        api_key_touch(check.key)
        request.project = check.key.project  # the journal names the project of every later denial
        return check.key
