"""The public "request access" page (honeypot, rate limit per IP, the visitor's language) and the staff queue
and card where an administrator approves or declines; the menu's badge; the pages' query budgets."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.models import AccessRequest, AccessRequestStatus, User
from auditlog.models import AuditEvent
from notifications.models import Notification

FORM = {
    "company": "Gamma Coffee",
    "name": "Gleb Gammov",
    "email": "gleb@gamma.example",
    "phone": "+7 900 000-00-01",
    "message": "I run the coffee shop.",
    "website": "",
}


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    def post(data=None, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("access_request"), {**FORM, **(data or {})}, **extra)

    return post


def make_requests(count, *, status=AccessRequestStatus.OPEN, prefix="bulk"):
    AccessRequest.objects.bulk_create(
        AccessRequest(company=f"Company {i}", name=f"Person {i}", email=f"{prefix}{i}@x.example", status=status)
        for i in range(count)
    )


# --- the public page -----------------------------------------------------------------------------------------


def test_the_login_page_links_to_the_request_page(client, db):
    page = client.get(reverse("account_login")).content.decode()
    assert f'href="{reverse("access_request")}"' in page


def test_the_page_hides_its_honeypot_with_a_class_not_an_inline_style(client, db):
    page = client.get(reverse("access_request")).content.decode()
    assert 'class="portal-hp"' in page and 'name="website"' in page
    assert "style=" not in page
    honeypot = re.search(r'<input[^>]*name="website"[^>]*>', page).group(0)
    assert 'tabindex="-1"' in honeypot and 'autocomplete="off"' in honeypot


def test_a_request_is_stored_in_the_visitor_language_and_the_visitor_is_told_what_happens_next(send, client, admin):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = send()

    assert response.status_code == 302 and response["Location"] == reverse("access_request_sent")
    stored = AccessRequest.objects.get()
    assert (stored.email, stored.language, stored.status) == ("gleb@gamma.example", "en", AccessRequestStatus.OPEN)
    assert Notification.objects.filter(recipient=admin, event="accounts.access.requested").exists()
    page = client.get(response["Location"]).content.decode()
    assert "What happens next" in page


def test_a_filled_honeypot_pretends_success_and_stores_nothing(send, admin):
    response = send({"website": "http://spam.example"})

    assert response.status_code == 302 and response["Location"] == reverse("access_request_sent")
    assert not AccessRequest.objects.exists()
    assert not Notification.objects.exists() and not mail.outbox


def test_a_bad_form_keeps_what_was_typed(send, db):
    response = send({"email": "not-an-email", "name": "  "}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="not-an-email"' in page and 'value="Gamma Coffee"' in page
    assert "This field is required." in page and "Enter a valid email address." in page
    assert not AccessRequest.objects.exists()


def test_a_second_request_from_the_same_email_is_merged(send, admin):
    send()
    send({"message": "Still waiting."})
    stored = AccessRequest.objects.get()
    assert stored.times_requested == 2 and stored.message.endswith("Still waiting.")


def test_the_sixth_request_in_an_hour_from_one_ip_gets_the_429_page_and_is_journaled(send, admin):
    for number in range(5):  # ACCOUNT_RATE_LIMITS["access_request"] = "5/h/ip"
        assert send({"email": f"person{number}@x.example"}, REMOTE_ADDR="203.0.113.7").status_code == 302

    response = send({"email": "sixth@x.example"}, REMOTE_ADDR="203.0.113.7", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 429
    assert 'data-testid="too-many-requests"' in response.content.decode()
    assert 3000 <= int(response["Retry-After"]) <= 3600
    assert not AccessRequest.objects.filter(email="sixth@x.example").exists()
    refusal = AuditEvent.objects.get(event="access.rate_limited")
    assert refusal.ip == "203.0.113.7" and refusal.changes["url_name"] == "access_request"
    # Another address is not held back by this one.
    assert send({"email": "other@x.example"}, REMOTE_ADDR="198.51.100.9").status_code == 302


def test_honeypot_hits_count_towards_the_limit(send, db):
    for _ in range(5):
        send({"website": "x"}, REMOTE_ADDR="203.0.113.8")
    assert send(REMOTE_ADDR="203.0.113.8").status_code == 429
    assert not AccessRequest.objects.exists()


def test_invalid_forms_do_not_spend_the_limit(send, db):
    for _ in range(8):
        send({"email": "bad"}, REMOTE_ADDR="203.0.113.9")
    assert send(REMOTE_ADDR="203.0.113.9").status_code == 302


# --- the staff queue -----------------------------------------------------------------------------------------


def test_the_queue_lists_open_requests_oldest_first_then_decided_ones(client_as, admin):
    old = AccessRequest.objects.create(company="A", name="Old One", email="old@x.example")
    new = AccessRequest.objects.create(company="B", name="New One", email="new@x.example")
    declined = AccessRequest.objects.create(
        company="C", name="Declined One", email="no@x.example", status=AccessRequestStatus.DECLINED
    )
    page = client_as("moderator").get(reverse("staff:access_requests")).content.decode()
    order = [page.index(name) for name in ("Old One", "New One", "Declined One")]
    assert order == sorted(order), (old, new, declined)


def test_the_queue_filters_by_status_and_search(client_as, admin):
    AccessRequest.objects.create(company="Gamma Coffee", name="Gleb", email="gleb@x.example")
    AccessRequest.objects.create(
        company="Delta Gym", name="Dina", email="dina@x.example", status=AccessRequestStatus.APPROVED
    )
    client = client_as("admin")
    by_status = client.get(reverse("staff:access_requests"), {"status": "approved"}).content.decode()
    assert "Dina" in by_status and "Gleb" not in by_status
    by_search = client.get(reverse("staff:access_requests"), {"q": "gamma"}).content.decode()
    assert "Gleb" in by_search and "Dina" not in by_search


def test_an_invalid_status_filter_empties_the_list(client_as, admin):
    AccessRequest.objects.create(company="Gamma Coffee", name="Gleb", email="gleb@x.example")
    page = client_as("admin").get(reverse("staff:access_requests"), {"status": "bogus"}).content.decode()
    assert "Gleb" not in page and 'data-testid="empty-filtered"' in page


def test_the_menu_shows_the_number_of_open_requests(client_as, admin):
    make_requests(3)
    make_requests(2, status=AccessRequestStatus.DECLINED, prefix="done")
    page = client_as("director").get(reverse("staff:dashboard")).content.decode()
    link = re.search(r'<a [^>]*data-testid="nav-access-requests"[^>]*>(.*?)</a>', page, re.S).group(1)
    assert re.search(r">3<", link), link


def test_the_card_offers_decisions_to_an_administrator_only(client_as, admin):
    item = AccessRequest.objects.create(company="Gamma Coffee", name="Gleb  Gammov Jr", email="gleb@x.example")
    url = reverse("staff:access_request_detail", args=[item.pk])
    admin_page = client_as("admin").get(url).content.decode()
    assert 'data-testid="approve-form"' in admin_page and 'data-testid="decline-form"' in admin_page
    assert 'value="Gleb"' in admin_page and 'value="Gammov Jr"' in admin_page  # the name, prefilled
    for persona in ("director", "moderator"):
        page = client_as(persona).get(url).content.decode()
        assert 'data-testid="approve-form"' not in page and 'data-testid="decline-form"' not in page


def test_approving_from_the_card_invites_the_person(client_as, admin, project_a, django_capture_on_commit_callbacks):
    item = AccessRequest.objects.create(company="Alpha", name="Gleb Gammov", email="gleb@x.example", language="en")
    url = reverse("staff:access_request_approve", args=[item.pk])
    client = client_as("admin")

    refused = client.post(url, {"first_name": "Gleb", "role": "representative", "right": "manager"})
    assert refused.status_code == 200 and "A representative needs a project." in refused.content.decode()
    assert not User.objects.filter(email="gleb@x.example").exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "first_name": "Gleb",
                "last_name": "Gammov",
                "role": "representative",
                "project": project_a.pk,
                "right": "viewer",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="gleb@x.example")
    assert user.memberships.get().project == project_a and user.language == "en"
    item.refresh_from_db()
    assert item.status == AccessRequestStatus.APPROVED and item.user == user
    assert [m.to for m in mail.outbox] == [["gleb@x.example"]]


def test_declining_from_the_card_needs_a_reason_and_emails_it(client_as, admin, django_capture_on_commit_callbacks):
    item = AccessRequest.objects.create(company="Alpha", name="Gleb", email="gleb@x.example")
    url = reverse("staff:access_request_decline", args=[item.pk])
    client = client_as("admin")

    refused = client.post(url, {"reason": "   "}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200
    item.refresh_from_db()
    assert item.status == AccessRequestStatus.OPEN

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"reason": "Not a partner."}).status_code == 302
    item.refresh_from_db()
    assert item.status == AccessRequestStatus.DECLINED
    assert len(mail.outbox) == 1 and "Not a partner." in mail.outbox[0].body
    page = client.get(reverse("staff:access_request_detail", args=[item.pk])).content.decode()
    assert 'data-testid="decline-reason"' in page and 'data-testid="approve-form"' not in page


@pytest.mark.parametrize("persona", ["director", "moderator", "curator"])
def test_staff_who_cannot_decide_are_refused_and_nothing_changes(persona, client_as, admin, project_a):
    item = AccessRequest.objects.create(company="Alpha", name="Gleb", email="gleb@x.example")
    client = client_as(persona)
    approve = client.post(
        reverse("staff:access_request_approve", args=[item.pk]),
        {"first_name": "Gleb", "role": "representative", "project": project_a.pk, "right": "manager"},
    )
    decline = client.post(reverse("staff:access_request_decline", args=[item.pk]), {"reason": "No."})
    assert (approve.status_code, decline.status_code) == (403, 403)
    item.refresh_from_db()
    assert item.status == AccessRequestStatus.OPEN


# --- query budgets -------------------------------------------------------------------------------------------


def test_queue_budget(client_as, admin, page_queries):
    make_requests(1, prefix="first")
    page_queries(client_as("admin"), reverse("staff:access_requests"), grow=lambda: make_requests(500))


def test_card_budget(client_as, admin, page_queries):
    item = AccessRequest.objects.create(company="Alpha", name="Gleb", email="gleb@x.example")
    page_queries(
        client_as("admin"), reverse("staff:access_request_detail", args=[item.pk]), grow=lambda: make_requests(500)
    )


def test_public_page_budget(client, db, page_queries):
    page_queries(client, reverse("access_request"), grow=lambda: make_requests(500))
