"""The project catalog as a PDF brochure (WeasyPrint), built on the worker and kept in the storage.

A brochure is one file per (language, catalog version): the version is a hash of the active projects' ids
and of their latest `updated_at`, so any change to a card — a project added, deactivated or edited —
makes a new version, and an unchanged catalog is served from the stored file without rendering again.
Rendering 200 cards with their logos takes longer than a request should, so the page queues
`projects.tasks.build_catalog_brochure` once (a cache lock) and polls until the file is there.

Nothing is fetched from the network while rendering: logos are read from the storage and inlined as
`data:` URIs, and the URL fetcher allows `data:` only. Fonts come from the system (DejaVu, Cyrillic).
"""

from __future__ import annotations

import base64
import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from projects.models import Category, Project
from projects.selectors import CATALOG_CARD_FIELDS, CATALOG_CONTACT_FIELDS

logger = logging.getLogger(__name__)

BROCHURE_DIR = "brochures/catalog"
STYLESHEET = Path(__file__).with_name("brochure.css")
LOGO_MAX_BYTES = 2 * 1024 * 1024  # a logo is re-encoded and bounded on upload; anything bigger is not one
LOCK_SECONDS = 10 * 60  # a build that died without releasing its lock is queued again after this
IMAGE_TYPES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))
BROCHURE_FIELDS = (*CATALOG_CARD_FIELDS, *CATALOG_CONTACT_FIELDS, "updated_at")  # the card, as the catalog shows it


def _version_of(rows) -> str:
    """The catalog version of `(id, updated_at)` rows: a short hash of the ids and the latest change."""
    ids = sorted(pk for pk, _updated in rows)
    latest = max((updated for _pk, updated in rows), default=None)
    source = ",".join(map(str, ids)) + "|" + (latest.isoformat() if latest else "")
    return hashlib.sha256(source.encode()).hexdigest()[:20]


def catalog_version() -> str:
    """The current catalog version (one query over the active projects' ids and update times)."""
    return _version_of(list(Project.objects.filter(active=True).values_list("id", "updated_at")))


def _check_language(language: str) -> str:
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    return language


def brochure_name(*, language: str, version: str) -> str:
    """Where the brochure of this language and version is kept (a name we generate, never a user's)."""
    return f"{BROCHURE_DIR}/catalog-{version}-{_check_language(language)}.pdf"


def _lock_key(*, language: str, version: str) -> str:
    return f"projects:brochure:{version}:{language}"


def brochure_ready(*, language: str) -> tuple[str, str | None]:
    """(the current version, the stored brochure's name if it is built, else None)."""
    version = catalog_version()
    name = brochure_name(language=language, version=version)
    return version, (name if default_storage.exists(name) else None)


def brochure_request(*, language: str) -> tuple[str, str | None]:
    """The current brochure if it is built; otherwise queue its build once (a cache lock per version and
    language, so a hundred representatives polling queue one task) and return (version, None).

    Nothing is written to the database, so the task is sent at once rather than on commit. Where tasks run
    eagerly (tests, `make run`) the file exists when this returns."""
    from projects.tasks import build_catalog_brochure

    version, name = brochure_ready(language=language)
    if name is not None:
        return version, name
    if cache.add(_lock_key(language=language, version=version), timezone.now().isoformat(), LOCK_SECONDS):
        build_catalog_brochure.delay(language=language)
        _version, name = brochure_ready(language=language)
    return version, name


def _logo_uri(project: Project) -> str | None:
    """The project's logo as a `data:` URI read from the storage, or None (then the card shows its initial)."""
    if not project.logo:
        return None
    try:
        with default_storage.open(project.logo.name, "rb") as handle:
            content = handle.read(LOGO_MAX_BYTES + 1)
    except OSError as exc:  # a missing file (FileNotFoundError) or a storage error: the card keeps its initial
        logger.warning("brochure: logo of %s unreadable: %s", project.slug, exc)
        return None
    if len(content) > LOGO_MAX_BYTES:
        return None
    for magic, content_type in IMAGE_TYPES:
        if content.startswith(magic):
            return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"
    return None


def _no_network_fetcher():
    """WeasyPrint's fetcher limited to `data:` URIs: no file, no HTTP, whatever the HTML names."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def render_brochure(*, projects, language: str) -> bytes:
    """The PDF of `projects` (Project rows with the brochure's fields) in `language`."""
    from weasyprint import CSS, HTML

    labels = dict(Category.choices)
    with translation.override(language):
        cards = [
            {
                "project": project,
                "category": str(labels.get(project.category, project.category)),
                "logo": _logo_uri(project),
                "initial": project.name[:1].upper(),
            }
            for project in projects
        ]
        html = render_to_string(
            "projects/catalog_brochure.html",
            {"cards": cards, "made_at": timezone.localdate(), "language": language},
        )
        fetcher = _no_network_fetcher()
        document = HTML(string=html, base_url=None, url_fetcher=fetcher)
        stylesheet = CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher)
        return document.write_pdf(stylesheets=[stylesheet])


def brochure_build(*, language: str) -> str:
    """Build and store the brochure of the current catalog in `language` unless it is stored already; then
    delete the brochures of older versions. Safe to run twice. Returns the stored name."""
    _check_language(language)
    projects = list(Project.objects.filter(active=True).only(*BROCHURE_FIELDS).order_by("name", "id"))
    version = _version_of([(p.pk, p.updated_at) for p in projects])  # the version of exactly these rows
    name = brochure_name(language=language, version=version)
    try:
        if not default_storage.exists(name):
            pdf = render_brochure(projects=projects, language=language)
            stored = default_storage.save(name, ContentFile(pdf))
            if stored != name:  # another worker stored the same version meanwhile: keep theirs
                default_storage.delete(stored)
        brochures_delete_old(keep_version=version)
    finally:
        cache.delete(_lock_key(language=language, version=version))
    return name


def brochures_delete_old(*, keep_version: str) -> int:
    """Delete the stored brochures of every version but `keep_version` (all languages). Returns how many."""
    try:
        _dirs, files = default_storage.listdir(BROCHURE_DIR)
    except FileNotFoundError:
        return 0
    old = [f for f in files if f.startswith("catalog-") and f"-{keep_version}-" not in f]
    for filename in old:
        default_storage.delete(f"{BROCHURE_DIR}/{filename}")
    return len(old)
