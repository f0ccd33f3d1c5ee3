"""Journaling refused requests: every 403/404 (the access policy's and any other), CSRF failures, rate-limit
429s and sign-in lockouts (OWASP ASVS 16.3).

`PORTAL_ACCESS_DENIED_HOOK = "auditlog.hooks.access_denied"`: the policy calls it before raising, outside
any transaction of the view (the decorator and the mixin run before the view), so the entry survives the
error response. The portal's 403/404 pages call it too for a denial that did not come through the policy
(`request_was_journaled` tells them whether it already did), so every denial is journaled once.

What anyone can write is bounded (`auditlog.throttle`): the same refusal from the same user or IP on the
same path is written once a minute, and a source gets a limited number of entries a minute in all.
"""

import logging

from auditlog import events, throttle
from auditlog.services import record

logger = logging.getLogger(__name__)

_JOURNALED = "_auditlog_refusal_journaled"


def request_was_journaled(request) -> bool:
    return getattr(request, _JOURNALED, False)


def access_denied(*, request, status: int, reason: str = "") -> None:
    setattr(request, _JOURNALED, True)
    try:
        match = getattr(request, "resolver_match", None)
        url_name = match.view_name if match else ""
        project = getattr(request, "project", None)
        slug = (match.kwargs.get("project_slug") if match else None) if project is None else None
        if slug:
            from projects.models import Project

            # Name the project someone tried to reach, so its journal shows the probe.
            project = Project.objects.filter(slug=slug).first()
        request_refused(
            request=request,
            event=events.ACCESS_NOT_FOUND if status == 404 else events.ACCESS_FORBIDDEN,
            project=project,
            changes={"status": status, "url_name": url_name, "reason": reason},
        )
    except Exception:
        logger.exception("could not journal an access denial")


def request_refused(
    *,
    request,
    event: str,
    actor=None,
    obj=None,
    project=None,
    object_text: str | None = None,
    changes: dict | None = None,
    detail: str = "",
) -> None:
    """Journal one refused request, unless the same refusal was journaled within the minute (see the module).

    The actor is the signed-in user unless given (the person half-way through a two-factor sign-in).
    `detail` separates refusals that share a path (the email a lockout protects). Never raises.
    """
    setattr(request, _JOURNALED, True)
    try:
        user = actor if actor is not None else getattr(request, "user", None)
        if not throttle.should_record(
            event=event, source=throttle.source_of(request), path=request.path, detail=detail
        ):
            return
        record(
            actor=user,
            event=event,
            obj=obj,
            project=project,
            request=request,
            object_text=request.path if object_text is None else object_text,
            changes={"method": request.method, "path": request.path, **(changes or {})},
        )
    except Exception:
        logger.exception("could not journal a refused request (%s)", event)
