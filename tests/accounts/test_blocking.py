"""Blocking a person: no login, and every session they hold ends (SPEC §4 staff 1)."""

import re

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import UserStatus
from accounts.services import user_block, user_unblock
from portal.exceptions import ApplicationError
from tests.admin_forms import change_user

CABINET_A = "/cabinet/alpha/"


def post_login(client, email, password, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def signed_in_client(email, password) -> Client:
    client = Client()
    response = post_login(client, email, password)
    assert response.status_code == 302 and response["Location"] == reverse("home"), "logged in through the form"
    return client


def assert_sent_to_login(client, url=CABINET_A):
    response = client.get(url)
    assert response.status_code == 302, f"{url}: {response.status_code}"
    assert response["Location"].startswith(reverse("account_login")), response["Location"]


def test_cabinet_url_is_the_one_of_project_a(project_a):
    assert reverse("cabinet:dashboard", kwargs={"project_slug": project_a.slug}) == CABINET_A


@pytest.mark.parametrize(
    ("language", "suspended", "write_to"),
    [
        ("ru", "Ваш доступ к партнёрскому порталу Misty приостановлен.", "напишите в поддержку"),
        ("en", "Your access to the Misty Partner Portal is suspended.", "write to support"),
    ],
)
def test_blocked_user_with_the_right_password_is_told_access_is_suspended_and_whom_to_write(
    client, rep_a, admin, persona_password, settings, language, suspended, write_to
):
    settings.SUPPORT_EMAIL = "help@misty.example"
    user_block(user=rep_a, actor=admin)

    response = post_login(client, "rep@alpha.example", persona_password, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_inactive")
    assert SESSION_KEY not in client.session
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert suspended in page
    assert write_to in page
    assert 'href="mailto:help@misty.example"' in page
    assert f'href="{reverse("account_login")}"' in page
    assert "This account is inactive." not in page
    assert_sent_to_login(client)


def test_blocked_user_with_a_wrong_password_gets_the_ordinary_error(client, rep_a, admin):
    user_block(user=rep_a, actor=admin)

    response = post_login(client, "rep@alpha.example", "not-the-password", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    page = response.content.decode()
    with translation.override("en"):
        from allauth.account.adapter import get_adapter

        assert str(get_adapter().error_messages["email_password_mismatch"]) in page
    # nothing tells a guesser that this account exists and is blocked
    assert "suspended" not in page.lower() and "blocked" not in page.lower()
    assert "mailto:" not in page
    unknown = post_login(client, "nobody@alpha.example", "not-the-password", HTTP_ACCEPT_LANGUAGE="en")
    assert without_tokens(unknown.content.decode()).replace("nobody@alpha.example", "rep@alpha.example") == (
        without_tokens(page)
    )


def without_tokens(page: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", page)


def test_blocking_ends_every_session_of_the_user(
    rep_a, rep_b, admin, persona_password, django_capture_on_commit_callbacks
):
    laptop = signed_in_client("rep@alpha.example", persona_password)
    phone = signed_in_client("REP@alpha.example", persona_password)
    bystander = signed_in_client("rep@beta.example", persona_password)
    assert laptop.get(CABINET_A).status_code == 200 and phone.get(CABINET_A).status_code == 200
    keys = {laptop.session.session_key, phone.session.session_key}
    assert set(UserSession.objects.filter(user=rep_a).values_list("session_key", flat=True)) == keys

    with django_capture_on_commit_callbacks(execute=True):
        user_block(user=rep_a, actor=admin)

    rep_a.refresh_from_db()
    assert rep_a.status == UserStatus.BLOCKED
    assert not UserSession.objects.filter(user=rep_a).exists()
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert_sent_to_login(laptop)
    assert_sent_to_login(phone)
    assert_sent_to_login(phone, reverse("profile"))
    # someone else is not touched
    assert bystander.get("/cabinet/beta/").status_code == 200
    assert UserSession.objects.filter(user=rep_b).count() == 1


def test_blocked_user_is_anonymous_even_before_the_sessions_are_deleted(rep_a, admin, persona_password):
    """The status check alone (`is_active`) already refuses the session; deleting it is the second lock.
    The status is written without the service here, so the session rows are still there."""
    from django.contrib.sessions.models import Session

    laptop = signed_in_client("rep@alpha.example", persona_password)
    type(rep_a).objects.filter(pk=rep_a.pk).update(status=UserStatus.BLOCKED)
    assert Session.objects.exists(), "the session is still stored"

    assert_sent_to_login(laptop)


def test_staff_sessions_end_too(moderator, admin, persona_password, django_capture_on_commit_callbacks):
    staff = signed_in_client("moderator@misty.example", persona_password)
    assert staff.get(reverse("staff:dashboard")).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        user_block(user=moderator, actor=admin)

    assert_sent_to_login(staff, reverse("staff:dashboard"))


def test_blocking_oneself_is_refused(admin):
    with pytest.raises(ApplicationError) as raised:
        user_block(user=admin, actor=admin)

    assert raised.value.message
    admin.refresh_from_db()
    assert admin.status == UserStatus.ACTIVE


def test_blocking_twice_is_harmless(rep_a, admin):
    user_block(user=rep_a, actor=admin)
    user_block(user=rep_a, actor=admin)

    rep_a.refresh_from_db()
    assert rep_a.status == UserStatus.BLOCKED


def test_unblocking_restores_login(client, rep_a, admin, persona_password, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user_block(user=rep_a, actor=admin)
    assert post_login(client, "rep@alpha.example", persona_password)["Location"] == reverse("account_inactive")

    user_unblock(user=rep_a, actor=admin)

    rep_a.refresh_from_db()
    assert rep_a.status == UserStatus.ACTIVE
    response = post_login(client, "rep@alpha.example", persona_password)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(CABINET_A).status_code == 200


def test_unblocking_an_invited_user_without_password_keeps_them_invited(rep_a, admin):
    rep_a.set_unusable_password()
    rep_a.status = UserStatus.BLOCKED
    rep_a.save()

    user_unblock(user=rep_a, actor=admin)

    rep_a.refresh_from_db()
    assert rep_a.status == UserStatus.INVITED


# --- the Django admin ---------------------------------------------------------------------------------


def admin_change_status(admin_client: Client, user, status: str):
    """Submit the admin change form with only `status` changed (memberships kept as they are)."""
    response = change_user(admin_client, user, status=status)
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert user.status == status


@pytest.fixture
def admin_client_signed_in(admin, persona_password):
    return signed_in_client("admin@misty.example", persona_password)


def test_blocking_in_the_django_admin_ends_sessions_at_their_next_request(
    rep_a, admin_client_signed_in, persona_password
):
    laptop = signed_in_client("rep@alpha.example", persona_password)
    phone = signed_in_client("rep@alpha.example", persona_password)
    keys = [laptop.session.session_key, phone.session.session_key]

    admin_change_status(admin_client_signed_in, rep_a, UserStatus.BLOCKED)

    assert_sent_to_login(laptop)
    assert_sent_to_login(phone)
    # the next request ended the server-side session, not merely ignored it
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert post_login(Client(), "rep@alpha.example", persona_password)["Location"] == reverse("account_inactive")


def test_sessions_ended_in_the_admin_stay_ended_after_unblocking(rep_a, admin_client_signed_in, persona_password):
    laptop = signed_in_client("rep@alpha.example", persona_password)
    admin_change_status(admin_client_signed_in, rep_a, UserStatus.BLOCKED)
    assert_sent_to_login(laptop)

    admin_change_status(admin_client_signed_in, rep_a, UserStatus.ACTIVE)

    assert_sent_to_login(laptop)
    assert post_login(Client(), "rep@alpha.example", persona_password)["Location"] == reverse("home")


def test_block_and_unblock_in_the_admin_does_not_revive_an_idle_session(
    rep_a, admin_client_signed_in, persona_password
):
    idle = signed_in_client("rep@alpha.example", persona_password)

    admin_change_status(admin_client_signed_in, rep_a, UserStatus.BLOCKED)
    admin_change_status(admin_client_signed_in, rep_a, UserStatus.ACTIVE)

    assert_sent_to_login(idle)
