"""Files the portal serves itself, never from MEDIA_URL: each one passes the policy first (RECIPES "Add an upload")."""

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.views.decorators.http import require_safe

from cabinets.access import capability_required, found_or_deny
from projects.selectors import project_logo_get


@capability_required()
@require_safe
def project_logo(request, slug):
    """A project's logo, for anyone who may see its card. Logos are re-encoded PNGs (projects.logos), so the
    type is known; `nosniff` stops a browser from guessing another."""
    project = found_or_deny(request, project_logo_get(user=request.user, slug=slug), reason="logo not found")
    try:
        handle = default_storage.open(project.logo.name, "rb")
    except FileNotFoundError:
        found_or_deny(request, None, reason="logo file missing")
    response = FileResponse(handle, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=300"
    return response
