"""Staff → a project's keys to the visits API (administrators: MANAGE_PROJECTS). Create one — its whole value is
shown once, on the page that answers the creation, and never again —, see when each was last used, revoke one.
Every change is `visits.api_keys`' service, journaled; the page never shows a secret it does not have."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.capabilities import Capability
from cabinets.access import capability_required, found_or_deny
from portal.exceptions import ApplicationError
from portal.forms import BootstrapFormMixin
from projects.selectors import staff_project_get
from visits.api_keys import api_key_create, api_key_revoke
from visits.models import ApiKey


class ApiKeyForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the key"),
        max_length=100,
        help_text=gettext_lazy("Where it is used, e.g. “Loyalty app, till 1”: you will see it in the list."),
        error_messages={"required": gettext_lazy("Name the key: where it is used.")},
    )


def _project(request, slug):
    return found_or_deny(request, staff_project_get(user=request.user, slug=slug), reason="project not found")


@capability_required(Capability.MANAGE_PROJECTS)
@require_http_methods(["GET", "HEAD", "POST"])
def api_keys(request, slug: str):
    project = _project(request, slug)
    form = ApiKeyForm(request.POST or None)
    shown_once = None
    if request.method == "POST" and form.is_valid():
        try:
            _key, shown_once = api_key_create(project=project, name=form.cleaned_data["name"], actor=request.user)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            form = ApiKeyForm()
    response = render(
        request,
        "cabinets/staff/projects/api_keys.html",
        {
            "project": project,
            "form": form,
            "shown_once": shown_once,
            "keys": list(ApiKey.objects.filter(project=project).select_related("created_by", "revoked_by")),
        },
    )
    if shown_once:
        response["Cache-Control"] = "no-store"  # the one page that holds the secret is never kept by a cache
    return response


@require_POST
@capability_required(Capability.MANAGE_PROJECTS)
def api_key_revoke_view(request, slug: str, pk: int):
    project = _project(request, slug)
    key = found_or_deny(request, ApiKey.objects.filter(project=project, pk=pk).first(), reason="key not found")
    try:
        api_key_revoke(key=key, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The key is revoked: calls with it are refused from now on."))
    return redirect("staff:project_api_keys", slug=project.slug)
