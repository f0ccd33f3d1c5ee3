"""The visits API for the loyalty app (SPEC §6): `POST /api/v1/visits`, `GET /api/v1/visits`, the OpenAPI schema
at `/api/v1/schema` and its docs page at `/api/v1/docs` (django-ninja; docs/DECISIONS.md says why).

A key stands for one project: the project where clients come (the deal's owner). Its visits go through
`visits.services.visit_record(source="api", owner=<the key's project>)` — the one way in — so the quota, the
once-per-lot rule and idempotency by `external_id` are the counter's and the import's. Errors are one JSON
shape with a stable code (api/errors.py); the limit per key is `API_RATE_LIMIT`.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render
from ninja import NinjaAPI, Query, Status
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.openapi.docs import Swagger
from ninja.throttling import SimpleRateThrottle

from api.auth import ProjectKey
from api.errors import API_MESSAGES, STATUS_OF_REFUSAL, ApiProblem
from api.schemas import ErrorOut, VisitCreated, VisitIn, VisitPage, VisitsQuery
from cabinets.access import journal_denial
from offers import codes
from visits.models import Visit, VisitSource
from visits.services import REFUSALS, VisitRefused, visit_record


class KeyRateThrottle(SimpleRateThrottle):
    """`API_RATE_LIMIT` requests per key, counted in the shared cache (Redis in production). A limit that keeps a
    broken client from flooding the portal, not a security control: the counter is not atomic."""

    def __init__(self):
        super().__init__(settings.API_RATE_LIMIT)

    def allow_request(self, request) -> bool:
        self.rate = settings.API_RATE_LIMIT  # read per request: a changed setting applies without a restart
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        key = getattr(request, "auth", None)
        return f"api-rate-{key.pk}" if key is not None else None


def _codes_table() -> str:
    rows = [f"| `{code}` | {status} |" for code, status in sorted(STATUS_OF_REFUSAL.items())]
    rows += [f"| `{code}` | 422 |" for code in sorted(set(REFUSALS) - set(STATUS_OF_REFUSAL))]
    rows += [
        "| `missing_key`, `invalid_key`, `revoked_key`, `inactive_project`, `key_in_query` | 401 |",
        "| `invalid_json` | 400 |",
        "| `validation_error` | 422 |",
        "| `rate_limited` | 429 |",
    ]
    return "\n".join(["| code | HTTP status |", "|---|---|", *rows])


class PortalSwagger(Swagger):
    """Swagger UI from the portal's own static files (static/vendor/swagger-ui: no CDN, no source maps), so the
    docs page works under the portal's CSP and `ninja` need not be an installed app (its 8 MB of static files,
    maps and an unused Redoc included, would be collected and compressed on every deployment)."""

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings, indent=1), "api": api}
        return render(request, "api/swagger.html", context)


api = NinjaAPI(
    title="Misty Partner Portal — visits API",
    version="1",
    description=(
        "Report referred visits from the loyalty app. Authenticate with the project's key in the `X-API-Key` "
        "header (or `Authorization: Bearer <key>`); never in the address. Every error is "
        '`{"error": {"code": "…", "message": "…"}}`:\n\n' + _codes_table()
    ),
    urls_namespace="api",
    docs=PortalSwagger(),
    docs_url="/docs",
    openapi_url="/schema",
    auth=ProjectKey(),
    throttle=[KeyRateThrottle()],
)

ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut}


def _error(request: HttpRequest, problem: ApiProblem):
    body = {"error": {"code": problem.code, "message": str(problem.message)}}
    if problem.details:
        body["error"]["details"] = problem.details
    response = api.create_response(request, body, status=problem.status)
    if problem.retry_after is not None:
        response["Retry-After"] = str(problem.retry_after)
    return response


@api.exception_handler(ApiProblem)
def _problem(request, exc: ApiProblem):
    return _error(request, exc)


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    details = [
        {
            "field": ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "payload", "query", "params")),
            "problem": error.get("msg", ""),
        }
        for error in exc.errors
    ]
    return _error(request, ApiProblem(422, "validation_error", details=details))


@api.exception_handler(Throttled)
def _throttled(request, exc: Throttled):
    wait = int(exc.wait) + 1 if exc.wait is not None else 60
    return _error(request, ApiProblem(429, "rate_limited", retry_after=wait))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(request, ApiProblem(401, "missing_key"))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if exc.status_code == 400:
        return _error(request, ApiProblem(400, "invalid_json"))
    return _error(request, ApiProblem(exc.status_code, "error", str(exc)))


def _out(visit: Visit, code: str) -> dict:
    return {
        "id": visit.pk,
        "deal": codes.display(code),
        "visited_at": visit.visited_at,
        "check_amount": visit.check_amount,
        "reward": visit.reward,
        "commission": visit.commission,
        "points_accrued": visit.points_accrued,
        "points_spent": visit.points_spent,
        "status": visit.status,
        "source": visit.source,
        "external_id": visit.external_id,
        "recorded_at": visit.created_at,
    }


@api.post("/visits", response={201: VisitCreated, 200: VisitCreated, **ERRORS}, summary="Report a referred visit")
def post_visit(request, payload: VisitIn):
    """Count a client a partner sent. 201: a new visit; 200: the same `external_id` with the same data was sent
    before — this is that visit, nothing new was counted; 409 `external_id_conflict`: the id was used with
    other data."""
    key = request.auth
    try:
        recorded = visit_record(
            code=payload.code,
            client_phone=payload.client_phone,
            client_card=payload.client_card,
            visited_at=payload.visited_at,
            check_amount=payload.check_amount,
            points_spent=payload.points_spent,
            external_id=payload.external_id,
            source=VisitSource.API,
            owner=key.project,
        )
    except VisitRefused as refused:
        status = STATUS_OF_REFUSAL.get(refused.code, 422)
        if refused.code == "unknown_code":
            journal_denial(request, status=404, reason="API: no deal of the key's project has this code")
        raise ApiProblem(
            status, refused.code, refused.message, retry_after=1 if refused.code == "busy" else None
        ) from None
    visit = recorded.visit
    return Status(
        201 if recorded.created else 200, _out(visit, visit.deal.code) | {"quota_reached": recorded.quota_reached}
    )


@api.get("/visits", response={200: VisitPage, **ERRORS}, summary="Visits recorded at the key's project")
def list_visits(request, params: Query[VisitsQuery]):
    """The visits recorded at the key's project (as the owner) from every source, oldest first, a page at a time."""
    rows = Visit.objects.filter(owner=request.auth.project).select_related("deal").order_by("id")
    if params.since is not None:
        rows = rows.filter(created_at__gte=params.since)
    if params.after is not None:
        rows = rows.filter(id__gt=params.after)
    page = list(rows[: params.limit + 1])
    more = len(page) > params.limit
    page = page[: params.limit]
    return {"items": [_out(v, v.deal.code) for v in page], "next_after": page[-1].pk if more else None}


__all__ = ["API_MESSAGES", "api"]
