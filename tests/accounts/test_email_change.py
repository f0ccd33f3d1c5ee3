"""Staff change a person's email (their login): the old address stops working everywhere at once —
no password reset, no login — the new one works, every session ends, and it is journaled once."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import translation

from accounts import events
from accounts.services import user_change_email
from auditlog.models import AuditEvent
from portal.exceptions import ApplicationError
from tests.admin_forms import change_user
from tests.factories import UserFactory

OLD = "rep@alpha.example"
NEW = "alice@alpha.example"


def request_reset(email) -> int:
    """How many emails a password reset request for `email` sends."""
    before = len(mail.outbox)
    # The reset email leaves after commit (a Celery task, eager in tests): run those callbacks.
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = Client().post(reverse("account_reset_password"), {"email": email})
    assert response.status_code == 302 and response["Location"] == reverse("account_reset_password_done")
    return len(mail.outbox) - before


def can_sign_in(email, password) -> bool:
    client = Client()
    client.post(reverse("account_login"), {"login": email, "password": password})
    return SESSION_KEY in client.session


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def rep_with_allauth_address(rep_a):
    """allauth writes an EmailAddress row for the login address as soon as someone asks for a reset."""
    assert request_reset(OLD) == 1
    assert EmailAddress.objects.filter(user=rep_a, email=OLD).exists()
    mail.outbox.clear()
    return rep_a


def test_email_changed_in_the_admin_leaves_the_old_address_unable_to_reset_or_sign_in(
    admin_client, rep_with_allauth_address, persona_password
):
    rep = rep_with_allauth_address

    response = change_user(admin_client, rep, email=NEW)

    assert response.status_code == 302, response.content.decode()[:2000]
    rep.refresh_from_db()
    assert rep.email == NEW
    assert request_reset(OLD) == 0, "a reset for the old address still reached the account"
    assert request_reset(NEW) == 1 and mail.outbox[-1].to == [NEW]
    assert not can_sign_in(OLD, persona_password)
    assert can_sign_in(NEW, persona_password)


def test_email_change_in_the_admin_writes_exactly_one_event(admin_client, admin, rep_a):
    before = AuditEvent.objects.count()

    change_user(admin_client, rep_a, email=NEW)

    new_events = list(AuditEvent.objects.order_by("id")[before:])
    assert [e.event for e in new_events] == [events.USER_EMAIL_CHANGED]
    assert new_events[0].actor == admin
    assert new_events[0].changes == {"email": {"old": OLD, "new": NEW}}


def test_email_change_in_the_admin_refuses_an_address_of_another_account(admin_client, rep_a, rep_b):
    response = change_user(admin_client, rep_a, email="REP@Beta.example")

    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    rep_a.refresh_from_db()
    assert rep_a.email == OLD


def test_service_replaces_allauths_addresses_with_the_new_one(rep_with_allauth_address, admin):
    rep = rep_with_allauth_address
    EmailAddress.objects.create(user=rep, email="second@alpha.example", verified=True)

    user_change_email(user=rep, email="  Alice@Alpha.example ", actor=admin)

    assert list(EmailAddress.objects.filter(user=rep).values_list("email", "primary", "verified")) == [
        (NEW, True, True)
    ]
    rep.refresh_from_db()
    assert rep.email == NEW


def test_service_ends_every_session_of_the_user(rep_a, admin, persona_password):
    laptop = Client()
    laptop.post(reverse("account_login"), {"login": OLD, "password": persona_password})
    assert laptop.get("/cabinet/alpha/").status_code == 200

    user_change_email(user=rep_a, email=NEW, actor=admin)

    response = laptop.get("/cabinet/alpha/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("taken_by", ["user", "allauth address"])
def test_service_refuses_an_address_in_use_with_a_translated_message(rep_a, admin, taken_by):
    other = UserFactory(email="other@example.com")
    if taken_by == "user":
        taken = "Other@Example.com"
    else:
        taken = "old-login@example.com"
        EmailAddress.objects.create(user=other, email=taken, verified=True)

    with translation.override("ru"), pytest.raises(ApplicationError) as refused:
        user_change_email(user=rep_a, email=taken, actor=admin)

    assert refused.value.message == "Этот адрес электронной почты уже использует другая учётная запись."
    rep_a.refresh_from_db()
    assert rep_a.email == OLD
    assert not AuditEvent.objects.filter(event=events.USER_EMAIL_CHANGED).exists()


def test_service_refuses_an_invalid_address(rep_a, admin):
    with pytest.raises(ApplicationError):
        user_change_email(user=rep_a, email="not an email", actor=admin)


def test_the_same_address_in_another_case_is_no_change(rep_a, admin):
    user_change_email(user=rep_a, email="Rep@Alpha.EXAMPLE", actor=admin)

    assert not AuditEvent.objects.filter(event=events.USER_EMAIL_CHANGED).exists()
