"""`PORTAL_ACCESS_DENIED_HOOK = "auditlog.hooks.access_denied"`: every 403/404 the access policy raises is
journaled here. The policy calls this before raising, outside any transaction of the view (the decorator
and the mixin run before the view), so the entry survives the error response."""

import logging

from auditlog import events
from auditlog.services import record

logger = logging.getLogger(__name__)


def access_denied(*, request, status: int, reason: str = "") -> None:
    try:
        match = getattr(request, "resolver_match", None)
        url_name = match.view_name if match else ""
        project = getattr(request, "project", None)
        slug = (match.kwargs.get("project_slug") if match else None) if project is None else None
        if slug:
            from projects.models import Project

            # Name the project someone tried to reach, so its journal shows the probe.
            project = Project.objects.filter(slug=slug).first()
        record(
            actor=request.user,
            event=events.ACCESS_NOT_FOUND if status == 404 else events.ACCESS_FORBIDDEN,
            project=project,
            request=request,
            object_text=request.path,
            changes={"status": status, "method": request.method, "path": request.path,
                     "url_name": url_name, "reason": reason},
        )
    except Exception:  # noqa: BLE001 — a journal failure must not turn a 403 into a 500
        logger.exception("could not journal an access denial")
