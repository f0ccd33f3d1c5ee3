"""The list-page kit (portal/filters.py, cabinets/lists.py, templates/includes/list/) as a user meets it."""

import datetime
import zoneinfo

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from accounts.capabilities import Capability
from accounts.models import Role
from auditlog import events
from auditlog.models import AuditEvent
from cabinets.access import capability_required
from cabinets.templatetags.portal_tags import when
from tests.factories import ProjectFactory, UserFactory


def test_search_ignores_case_in_cyrillic_on_every_database(client_as, db):
    ProjectFactory(name="Ольга и Партнёры", slug="olga")
    ProjectFactory(name="Борода", slug="boroda")
    found = client_as("director").get(reverse("staff:projects"), {"q": "ольга"})
    assert [p.slug for p in found.context["list"].page] == ["olga"]
    found = client_as("director").get(reverse("staff:projects"), {"q": "БОРОДА"})
    assert [p.slug for p in found.context["list"].page] == ["boroda"]


def test_the_journal_finds_an_actor_by_a_lower_case_cyrillic_name(client_as, db):
    olga = UserFactory(email="olga@alpha.example", first_name="Ольга", last_name="Смирнова", role=Role.REPRESENTATIVE)
    AuditEvent.objects.create(actor=olga, event=events.FILE_DOWNLOADED, object_text="report.pdf")
    page = client_as("admin").get(reverse("staff:audit"), {"actor": "ольга"})
    assert [e.actor for e in page.context["list"].page] == [olga]


def test_an_empty_list_says_nothing_exists_yet(client_as, db):
    page = client_as("admin").get(reverse("staff:email_delivery")).content.decode()
    assert 'data-testid="empty-nothing-yet"' in page and 'data-testid="clear-filters"' not in page


def test_an_empty_filtered_list_says_nothing_matches_and_offers_to_clear(client_as, db):
    ProjectFactory(name="Alpha", slug="alpha-x")
    page = client_as("director").get(reverse("staff:projects"), {"q": "no such project"}).content.decode()
    assert 'data-testid="empty-filtered"' in page
    assert f'href="{reverse("staff:projects")}" data-testid="clear-filters"' in page


def test_an_invalid_filter_shows_its_error_and_no_rows(client_as, db):
    AuditEvent.objects.create(event=events.FILE_DOWNLOADED, object_text="x")
    response = client_as("admin").get(reverse("staff:audit"), {"event": "bogus"})
    assert response.status_code == 200
    assert "event" in response.context["list"].filter.form.errors
    assert list(response.context["list"].page) == []


def test_pagination_keeps_the_filters(client_as, rep_a):
    from notifications.models import Notification

    Notification.objects.bulk_create(
        [Notification(recipient=rep_a, event="offers.lot.approved", title=f"n{i}") for i in range(30)]
    )
    page = client_as("rep_a").get(reverse("notifications:list"), {"state": "unread"}).content.decode()
    assert "?state=unread&amp;page=2" in page


@pytest.mark.parametrize("language,expected", [("ru", "04.03.2026 08:06"), ("en", "4 Mar 2026, 08:06")])
def test_one_date_time_format_per_language_in_the_readers_zone(language, expected):
    moment = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo("Europe/Moscow")):
        html = when(moment)
        assert f">{expected}</time>" in html and 'title="Europe/Moscow"' in html
        assert f">{expected}:07</time>" in when(moment, "s")


def test_a_view_can_require_several_capabilities(rf: RequestFactory, director, moderator, monkeypatch):
    monkeypatch.setattr("auditlog.hooks.access_denied", lambda **kwargs: None)

    @capability_required(Capability.VIEW_AUDIT, Capability.MODERATE_LOTS)
    def view(request):
        return "ok"

    allowed = rf.get("/")
    allowed.user = moderator
    assert view(allowed) == "ok"
    refused = rf.get("/")
    refused.user = director  # sees the journal, moderates nothing
    with pytest.raises(Exception) as raised:
        view(refused)
    assert type(raised.value).__name__ == "PermissionDenied"


def test_an_event_that_is_not_found_is_a_journaled_404(client_as, admin):
    assert client_as("admin").get(reverse("staff:audit_detail", args=[999999])).status_code == 404
    assert AuditEvent.objects.filter(event=events.ACCESS_NOT_FOUND, actor=admin).exists()
