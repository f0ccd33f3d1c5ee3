"""The catalog's PDF brochure: built by a Celery task (eager here), kept per language and catalog version,
served with the download headers and journaled; a page polls while it is being built."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from auditlog import events
from auditlog.models import AuditEvent
from projects import brochure
from projects.models import Category, Project
from tests.factories import ProjectFactory
from tests.pdf_text import font_names, texts


@pytest.fixture(autouse=True)
def no_brochures_of_other_tests():
    """The in-memory storage outlives each test's database: start with no stored brochure."""
    brochure.brochures_delete_old(keep_version="none")
    yield
    brochure.brochures_delete_old(keep_version="none")


@pytest.fixture
def catalog(project_a, project_b, rep_a, viewer_a):
    """Project A's people read Russian (the brochure is per language); A, B, a Cyrillic card, a closed one."""
    from accounts.models import User

    User.objects.filter(pk__in=[rep_a.pk, viewer_a.pk]).update(language="ru")
    ProjectFactory(
        name="Кофейня «Ольга»",
        slug="olga",
        category=Category.COFFEE,
        description="Спешелти-кофе и десерты",
        audience="Студенты",
        average_check=450,
        client_points=12500,
        contact_phone="+7 900 111-22-33",
    )
    ProjectFactory(name="Закрытый проект", slug="closed", active=False)


def brochure_url():
    return reverse("cabinet:catalog_brochure", kwargs={"project_slug": "alpha"})


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def png(color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), color).save(out, "PNG")
    return out.getvalue()


def test_the_brochure_is_a_pdf_with_the_cyrillic_cards(client_as, catalog):
    response = client_as("rep_a").get(brochure_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="misty-catalog-ru.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    pdf = body(response)
    assert pdf.startswith(b"%PDF-")
    assert {"DejaVu-Sans", "DejaVu-Sans-Bold"} <= set(font_names(pdf))
    text = "\n".join(texts(pdf))
    for words in ("Кофейня «Ольга»", "Спешелти-кофе и десерты", "Alpha Lounge", "Beta Barbershop", "450 ₽"):
        assert words in text
    assert "Закрытый проект" not in text  # deactivated: not in the catalog


def test_the_download_is_journaled(client_as, catalog):
    client_as("rep_a").get(brochure_url())
    event = AuditEvent.objects.get(event=events.EXPORTED)
    assert event.changes["export"] == "project-catalog-brochure" and event.changes["language"] == "ru"
    assert event.object_text == "misty-catalog-ru.pdf"


def test_a_second_request_serves_the_stored_file_without_rendering_again(client_as, catalog, monkeypatch):
    first = body(client_as("rep_a").get(brochure_url()))

    def must_not_render(**kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(brochure, "render_brochure", must_not_render)
    second = client_as("viewer_a").get(brochure_url())
    assert second.status_code == 200 and body(second) == first


def test_a_changed_card_makes_a_new_version_and_the_old_file_goes(client_as, catalog):
    client_as("rep_a").get(brochure_url())
    old_version = brochure.catalog_version()
    old_name = brochure.brochure_name(language="ru", version=old_version)
    assert default_storage.exists(old_name)

    olga = Project.objects.get(slug="olga")
    olga.name = "Кофейня «Ольга и кот»"
    olga.save()
    assert brochure.catalog_version() != old_version
    pdf = body(client_as("rep_a").get(brochure_url()))
    assert "Кофейня «Ольга и кот»" in "\n".join(texts(pdf))
    assert not default_storage.exists(old_name)


def test_deactivating_a_project_changes_the_version(catalog):
    before = brochure.catalog_version()
    Project.objects.filter(slug="beta").update(active=False)  # not the latest change, nor touching updated_at
    assert brochure.catalog_version() != before


def test_each_language_has_its_own_brochure(client_as, catalog, rep_a):
    rep_a.refresh_from_db()
    rep_a.language = "en"
    rep_a.save()
    response = client_as("rep_a").get(brochure_url())
    assert response["Content-Disposition"] == 'attachment; filename="misty-catalog-en.pdf"'
    text = "\n".join(texts(body(response)))
    assert "Coffee shop" in text and "Кофейня «Ольга»" in text
    assert default_storage.exists(brochure.brochure_name(language="en", version=brochure.catalog_version()))
    assert not default_storage.exists(brochure.brochure_name(language="ru", version=brochure.catalog_version()))


def test_logos_are_embedded_from_the_storage(catalog):
    olga = Project.objects.get(slug="olga")
    olga.logo = default_storage.save("projects/logos/olga.png", ContentFile(png()))
    olga.save()
    name = brochure.brochure_build(language="ru")
    with default_storage.open(name, "rb") as handle:
        pdf = handle.read()
    assert b"/Subtype /Image" in pdf or b"/Subtype/Image" in pdf


def test_a_logo_that_is_not_an_image_or_is_missing_leaves_the_initial(catalog):
    olga = Project.objects.get(slug="olga")
    olga.logo = default_storage.save("projects/logos/fake.png", ContentFile(b"<html>not an image</html>"))
    assert brochure._logo_uri(olga) is None
    olga.logo = "projects/logos/gone.png"
    assert brochure._logo_uri(olga) is None
    olga.logo = default_storage.save("projects/logos/real.png", ContentFile(png()))
    assert brochure._logo_uri(olga).startswith("data:image/png;base64,iVBORw0KGgo")


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/x.png", "https://example.com/x.png", "file:///etc/passwd"])
def test_rendering_fetches_nothing_but_data_uris(url):
    with pytest.raises(ValueError, match="disallowed protocol"):
        brochure._no_network_fetcher()(url)
    assert brochure._no_network_fetcher()("data:text/plain;base64,aGk=").read() == b"hi"


def test_a_brochure_naming_a_network_image_renders_without_fetching_it(monkeypatch):
    """WeasyPrint swallows a fetcher's errors, so the proof is that nothing even tried to open the URL."""
    import urllib.request

    opened = []

    def record(self, *args, **kwargs):
        opened.append(args)
        raise OSError("no network in tests")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", record)
    project = Project(id=1, name="Сеть", slug="net", category=Category.OTHER, logo="x.png")
    monkeypatch.setattr(brochure, "_logo_uri", lambda p: "http://127.0.0.1:9/tracker.png")
    pdf = brochure.render_brochure(projects=[project], language="ru")
    assert pdf.startswith(b"%PDF-")
    assert opened == []


def test_while_it_is_being_built_the_page_polls_and_the_task_is_queued_once(client_as, catalog, monkeypatch):
    from projects import tasks

    queued = []
    monkeypatch.setattr(tasks.build_catalog_brochure, "delay", lambda **kwargs: queued.append(kwargs))
    page = client_as("rep_a").get(brochure_url())
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    assert 'data-testid="brochure-preparing"' in html
    assert f'hx-get="{brochure_url()}" hx-trigger="every 3s"' in html
    assert "<script>" not in html

    client_as("viewer_a").get(brochure_url())
    poll = client_as("rep_a").get(brochure_url(), headers={"HX-Request": "true"})
    assert queued == [{"language": "ru"}]  # one task for everyone asking: the lock holds
    assert 'data-testid="brochure-preparing"' in poll.content.decode() and "<html" not in poll.content.decode()
    assert not AuditEvent.objects.filter(event=events.EXPORTED).exists()

    brochure.brochure_build(language="ru")  # the worker finishes
    poll = client_as("rep_a").get(brochure_url(), headers={"HX-Request": "true"})
    ready = poll.content.decode()
    assert 'data-testid="brochure-ready"' in ready and f'href="{brochure_url()}"' in ready
    assert "hx-trigger" not in ready  # polling stops
    assert not AuditEvent.objects.filter(event=events.EXPORTED).exists()  # a poll never downloads
    assert body(client_as("rep_a").get(brochure_url())).startswith(b"%PDF-")


def test_a_build_that_died_is_queued_again_when_its_lock_expires(client_as, catalog, monkeypatch):
    from django.core.cache import cache

    from projects import tasks

    queued = []
    monkeypatch.setattr(tasks.build_catalog_brochure, "delay", lambda **kwargs: queued.append(kwargs))
    client_as("rep_a").get(brochure_url())
    cache.delete(brochure._lock_key(language="ru", version=brochure.catalog_version()))  # the lock expired
    client_as("rep_a").get(brochure_url(), headers={"HX-Request": "true"})
    assert len(queued) == 2


def test_the_task_is_safe_to_run_twice(catalog, monkeypatch):
    from projects.tasks import build_catalog_brochure

    name = build_catalog_brochure.delay(language="ru").get()
    monkeypatch.setattr(brochure, "render_brochure", lambda **kwargs: pytest.fail("rendered twice"))
    assert build_catalog_brochure.delay(language="ru").get() == name


def test_an_unknown_language_is_refused(catalog):
    with pytest.raises(ValueError):
        brochure.brochure_build(language="../../etc")
