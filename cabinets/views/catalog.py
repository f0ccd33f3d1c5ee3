"""Representative → Project catalog: every active project of the ecosystem as a card, one project's full
card, the catalog as Excel (with the page's filters) and as a PDF brochure built on the worker."""

from urllib.parse import urlsplit

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language

import auditlog
from accounts.capabilities import Capability
from auditlog import events
from cabinets.access import capability_required, found_or_deny
from cabinets.lists import export_list, numbered_list
from projects import brochure
from projects.exporters import ProjectCatalogExporter
from projects.models import Category
from projects.selectors import catalog_filterset, catalog_project_get
from visits.analytics import project_lifetime

CATALOG_PER_PAGE = 48  # a full last row of the grid at 2, 3 and 4 cards a row
BROCHURE_POLL_SECONDS = 3


def _catalog_url(request) -> str:
    return reverse("cabinet:catalog", kwargs={"project_slug": request.project.slug})


@capability_required(Capability.USE_PROJECT_CABINET)
def catalog(request):
    filterset = catalog_filterset(user=request.user, data=request.GET)
    listing = numbered_list(request, filterset, per_page=CATALOG_PER_PAGE)
    labels = {value: str(label) for value, label in Category.choices}  # get_category_display per card costs more
    for card in listing.page:
        card.category_label = labels.get(card.category, card.category)
    prefix = _catalog_url(request)
    return render(
        request,
        "cabinets/rep/catalog/list.html",
        {
            "list": listing,
            "project": request.project,
            "card_prefix": prefix,  # + "<slug>/": no reverse() per card
            "logo_prefix": reverse("project_logo", kwargs={"slug": "x"}).removesuffix("x/logo/"),
            "card_query": f"?{listing.filters_query}" if listing.filters_query else "",
        },
    )


@capability_required(Capability.USE_PROJECT_CABINET)
def catalog_project(request, slug):
    shown = found_or_deny(request, catalog_project_get(user=request.user, slug=slug), reason="project not found")
    return render(
        request,
        "cabinets/rep/catalog/detail.html",
        {
            "shown": shown,
            "lifetime": project_lifetime(project=shown),
            "website_href": shown.website if urlsplit(shown.website).scheme in ("http", "https") else "",
            "project": request.project,
            "back_query": request.GET.urlencode(),
            "logo_prefix": reverse("project_logo", kwargs={"slug": "x"}).removesuffix("x/logo/"),
        },
    )


@capability_required(Capability.USE_PROJECT_CABINET)
def catalog_export(request):
    filterset = catalog_filterset(user=request.user, data=request.GET)
    filters = filterset.form.cleaned_data if filterset.is_valid() else {}
    exporter = ProjectCatalogExporter(queryset=filterset.qs, filters=filters)
    return export_list(request, filterset, exporter, list_url=_catalog_url(request))


@capability_required(Capability.USE_PROJECT_CABINET)
def catalog_brochure(request):
    """The PDF brochure if it is built; otherwise its build is queued (once) and a page polls until it is.

    An htmx poll gets the status fragment only, never the file: the file is downloaded by the link it shows."""
    language = get_language()
    # Each poll asks again: a build that died is queued once more when its lock has expired.
    version, name = brochure.brochure_request(language=language)
    if request.htmx:
        return render(request, "cabinets/rep/catalog/includes/brochure_status.html", _status_context(name))
    if name is None:
        return render(
            request,
            "cabinets/rep/catalog/brochure.html",
            {"project": request.project, "catalog_url": _catalog_url(request), **_status_context(name)},
        )
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:  # deleted by a newer version's build between the check and the open
        return render(
            request,
            "cabinets/rep/catalog/brochure.html",
            {"project": request.project, "catalog_url": _catalog_url(request), **_status_context(None)},
        )
    filename = f"misty-catalog-{language}.pdf"
    auditlog.record(
        actor=request.user,
        event=events.EXPORTED,
        request=request,
        object_text=filename,
        changes={"export": "project-catalog-brochure", "format": "pdf", "language": language, "version": version},
    )
    response = FileResponse(handle, content_type="application/pdf", as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def _status_context(name) -> dict:
    return {"ready": name is not None, "poll_seconds": BROCHURE_POLL_SECONDS}
