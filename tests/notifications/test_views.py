"""The cabinet pages: bell, list with filters, mark read, preferences; staff Email delivery and resend."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role
from notifications.models import EmailState, Notification, NotificationPreference, NotificationSettings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def make(recipient, n=1, event="offers.lot.approved", read=False, **fields):
    from django.utils import timezone

    return Notification.objects.bulk_create(
        [
            Notification(
                recipient=recipient,
                event=event,
                title=f"{event} #{i}",
                body="text",
                link="/cabinet/alpha/",
                read_at=timezone.now() if read else None,
                email_state=EmailState.SENT,
                **fields,
            )
            for i in range(n)
        ]
    )


def bell_count(response) -> int:
    html = response.content.decode()
    start = html.index('data-unread="') + len('data-unread="')
    return int(html[start : html.index('"', start)])


def test_bell_with_unread_count_is_on_every_cabinet_page(client_as, rep_a, project_a):
    make(rep_a, 3)
    make(rep_a, 2, read=True)
    response = client_as("rep_a").get(reverse("cabinet:dashboard", args=[project_a.slug]))
    assert bell_count(response) == 3
    assert 'hx-get="/notifications/bell/"' in response.content.decode()
    assert 'data-testid="notification-count">3<' in response.content.decode()


def test_bell_partial_refreshes_the_count_and_is_not_cached(client_as, rep_a):
    client = client_as("rep_a")
    assert bell_count(client.get(reverse("notifications:bell"))) == 0
    make(rep_a, 2)
    response = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")
    assert bell_count(response) == 2
    assert "no-cache" in response["Cache-Control"]
    assert "<html" not in response.content.decode()


def test_bell_poll_after_the_session_ended_keeps_the_old_bell(client):
    response = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204, "htmx would otherwise swap the login page into the navbar"
    assert client.get(reverse("notifications:bell"))["Location"].startswith(reverse("account_login"))


def test_bell_shows_99_plus_beyond_the_cap(client_as, rep_a):
    make(rep_a, 120)
    response = client_as("rep_a").get(reverse("notifications:bell"))
    assert 'data-testid="notification-count">99+<' in response.content.decode()


def test_list_shows_only_my_notifications_newest_first(client_as, rep_a, rep_b):
    make(rep_a, 2)
    make(rep_b, 1, event="offers.deal.completed")
    response = client_as("rep_a").get(reverse("notifications:list"))
    page = list(response.context["page"])
    assert [n.recipient for n in page] == [rep_a, rep_a]
    assert page[0].created_at >= page[1].created_at
    assert "offers.deal.completed #0" not in response.content.decode()


@pytest.mark.parametrize(
    "query,expected",
    [
        ({}, 4),
        ({"state": "unread"}, 3),
        ({"state": "read"}, 1),
        ({"event": "offers.deal.completed"}, 2),
        ({"event": "offers.deal.completed", "state": "unread"}, 1),
    ],
)
def test_list_filters_read_unread_and_event(client_as, rep_a, query, expected):
    make(rep_a, 2)
    make(rep_a, 1, event="offers.deal.completed")
    make(rep_a, 1, event="offers.deal.completed", read=True)
    response = client_as("rep_a").get(reverse("notifications:list"), query)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == expected


def test_list_is_paginated_and_keeps_filters_in_page_links(client_as, rep_a):
    make(rep_a, 30)
    response = client_as("rep_a").get(reverse("notifications:list"), {"state": "unread"})
    assert len(response.context["page"]) == 25
    assert "?state=unread&amp;page=2" in response.content.decode()


def test_mark_read_marks_one_and_goes_back(client_as, rep_a):
    first, second = make(rep_a, 2)
    response = client_as("rep_a").post(
        reverse("notifications:mark_read", args=[first.pk]), {"next": "/notifications/?state=unread"}
    )
    assert response.status_code == 302 and response["Location"] == "/notifications/?state=unread"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_read and not second.is_read


def test_clicking_an_unread_notification_marks_it_read_and_opens_its_link(client_as, rep_a):
    (n,) = make(rep_a)
    response = client_as("rep_a").post(reverse("notifications:mark_read", args=[n.pk]), {"next": n.link})
    assert response["Location"] == "/cabinet/alpha/"
    n.refresh_from_db()
    assert n.is_read


def test_mark_read_refuses_to_redirect_off_site(client_as, rep_a):
    (n,) = make(rep_a)
    response = client_as("rep_a").post(
        reverse("notifications:mark_read", args=[n.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("notifications:list")


def test_marking_someone_elses_notification_read_is_a_404_and_changes_nothing(client_as, rep_a):
    (n,) = make(rep_a)
    response = client_as("rep_b").post(reverse("notifications:mark_read", args=[n.pk]))
    assert response.status_code == 404
    n.refresh_from_db()
    assert not n.is_read


def test_mark_read_is_post_only(client_as, rep_a):
    (n,) = make(rep_a)
    assert client_as("rep_a").get(reverse("notifications:mark_read", args=[n.pk])).status_code == 405


def test_mark_read_with_htmx_returns_the_row_and_tells_the_bell_to_refresh(client_as, rep_a):
    (n,) = make(rep_a)
    response = client_as("rep_a").post(reverse("notifications:mark_read", args=[n.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "notifications-changed"
    assert f'id="notification-{n.pk}"' in response.content.decode() and 'data-read="1"' in response.content.decode()


def test_mark_all_read_marks_only_mine_and_keeps_the_history(client_as, rep_a, rep_b):
    make(rep_a, 3)
    make(rep_b, 2)
    response = client_as("rep_a").post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=rep_a, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=rep_a).count() == 3, "history is kept"
    assert Notification.objects.filter(recipient=rep_b, read_at__isnull=True).count() == 2
    assert bell_count(client_as("rep_a").get(reverse("notifications:bell"))) == 0


def test_profile_page_links_to_notification_preferences(client_as):
    response = client_as("rep_a").get(reverse("profile"))
    assert reverse("notifications:preferences") in response.content.decode()


def test_representative_turns_an_event_email_off(client_as, rep_a):
    client = client_as("rep_a")
    page = client.get(reverse("notifications:preferences"))
    form = page.context["form"]
    assert "staff_level" not in form.fields
    codes = {row.event.code for row in form.event_rows()}
    assert "offers.lot.approved" in codes and "offers.lot.submitted" not in codes

    data = {form.field_name(code): "on" for code in codes if code != "offers.lot.approved"}
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    assert list(NotificationPreference.objects.filter(user=rep_a).values_list("event", "email_enabled")) == [
        ("offers.lot.approved", False)
    ]
    from auditlog.models import AuditEvent

    assert AuditEvent.objects.filter(event="notifications.preferences.updated", actor=rep_a).exists()


def test_staff_member_sets_the_level(client_as, moderator):
    client = client_as("moderator")
    form = client.get(reverse("notifications:preferences")).context["form"]
    assert form.fields["staff_level"].initial == "important"
    data = {form.field_name(row.event.code): "on" for row in form.event_rows()}
    data["staff_level"] = "all"
    assert client.post(reverse("notifications:preferences"), data).status_code == 302
    assert NotificationSettings.objects.get(user=moderator).staff_level == "all"
    assert not NotificationPreference.objects.filter(user=moderator).exists(), "defaults are not stored"


def failed_email(recipient):
    (n,) = make(recipient, email_attempts=6, email_last_error="SMTPServerDisconnected: gone")
    Notification.objects.filter(pk=n.pk).update(email_state=EmailState.FAILED)
    return n


@pytest.mark.parametrize("persona", ["moderator", "admin", "director"])
def test_staff_see_failed_emails_with_their_error(client_as, rep_a, persona):
    failed_email(rep_a)
    make(rep_a, 2)  # sent: not listed
    response = client_as(persona).get(reverse("staff:email_delivery"))
    assert response.status_code == 200
    assert len(response.context["page"]) == 1
    assert "SMTPServerDisconnected: gone" in response.content.decode()
    assert ("Resend" in response.content.decode()) is (persona == "admin")


def test_admin_resends_a_failed_email(client_as, rep_a, django_capture_on_commit_callbacks):
    n = failed_email(rep_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("admin").post(reverse("staff:email_resend"), {"notification": n.pk})
    assert response.status_code == 302
    n.refresh_from_db()
    assert n.email_state == EmailState.SENT and n.email_attempts == 1
    assert [m.to for m in mail.outbox] == [[rep_a.email]]
    from auditlog.models import AuditEvent

    assert AuditEvent.objects.filter(event="notifications.email.resent", object_id=str(n.pk)).exists()


def test_moderator_cannot_resend(client_as, rep_a):
    n = failed_email(rep_a)
    assert client_as("moderator").post(reverse("staff:email_resend"), {"all": "1"}).status_code == 403
    n.refresh_from_db()
    assert n.email_state == EmailState.FAILED


def test_notification_list_query_count_is_the_same_for_1_and_500_rows(client_as, rep_a, page_queries):
    make(rep_a, 1)

    def grow():
        make(rep_a, 499)
        make(UserFactory(email="other@x.example", role=Role.REPRESENTATIVE), 300)

    response = page_queries(client_as("rep_a"), reverse("notifications:list"), grow=grow)
    assert response.context["list"].page.paginator.count == 500


def test_email_delivery_query_count_does_not_grow_with_rows(client_as, rep_a, page_queries):
    failed_email(rep_a)

    def grow():
        for _ in range(30):
            failed_email(UserFactory(role=Role.REPRESENTATIVE))

    response = page_queries(client_as("admin"), reverse("staff:email_delivery"), grow=grow)
    assert len(response.context["list"].page) == 25
