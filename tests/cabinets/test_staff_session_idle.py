"""Staff sessions end after PORTAL_STAFF_SESSION_IDLE_MINUTES without activity and on any role change;
representatives keep the two weeks of SESSION_COOKIE_AGE (issue 7)."""

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

import cabinets.middleware
from accounts.models import Role
from accounts.services import user_change_role

MINUTE = 60


class Clock:
    """Stands in for the `time` module inside cabinets.middleware: `clock.advance(minutes=31)`."""

    def __init__(self):
        self.now = time.time()

    def time(self):
        return self.now

    def advance(self, *, minutes=0, days=0):
        self.now += minutes * MINUTE + days * 24 * 60 * MINUTE


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(cabinets.middleware, "time", fake)
    return fake


def staff_client(user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def assert_signed_out_to_login(client, response):
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    assert SESSION_KEY not in client.session


def test_staff_session_ends_after_the_idle_time(clock, moderator):
    client = staff_client(moderator)
    assert client.get(reverse("staff:dashboard")).status_code == 200

    clock.advance(minutes=31)
    response = client.get(reverse("staff:projects"))

    assert_signed_out_to_login(client, response)
    assert response["Location"] == f"{reverse('account_login')}?next={reverse('staff:projects')}"
    assert client.get(reverse("staff:dashboard")).status_code == 302, "signed out, not merely redirected once"


def test_the_signed_out_staff_member_is_told_why_in_their_language(clock, moderator):
    moderator.language = "ru"
    moderator.save(update_fields=["language"])
    client = staff_client(moderator)
    client.get(reverse("staff:dashboard"))

    clock.advance(minutes=31)
    page = client.get(reverse("staff:dashboard"), follow=True).content.decode()

    assert "Вы вышли из системы: 30 минут без активности. Войдите снова." in page


def test_activity_keeps_a_staff_session_alive(clock, admin):
    client = staff_client(admin)
    for _ in range(8):  # two hours, a request every quarter of an hour
        assert client.get(reverse("staff:dashboard")).status_code == 200
        clock.advance(minutes=15)
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_idle_time_is_a_setting(clock, settings, director):
    settings.PORTAL_STAFF_SESSION_IDLE_MINUTES = 5
    client = staff_client(director)
    client.get(reverse("staff:dashboard"))

    clock.advance(minutes=4)
    assert client.get(reverse("staff:dashboard")).status_code == 200
    clock.advance(minutes=6)
    assert_signed_out_to_login(client, client.get(reverse("staff:dashboard")))


def test_the_django_admin_is_covered_too(clock, admin):
    client = staff_client(admin)
    client.get(reverse("admin:index"))

    clock.advance(minutes=45)

    assert_signed_out_to_login(client, client.get(reverse("admin:accounts_user_changelist")))


def test_the_bells_poll_does_not_keep_a_staff_session_alive_and_moves_the_page_to_login(clock, moderator):
    client = staff_client(moderator)
    client.get(reverse("staff:dashboard"))
    for _ in range(6):
        clock.advance(minutes=5)
        poll = client.get(
            reverse("notifications:bell"), HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/staff/"
        )
    clock.advance(minutes=1)  # 31 minutes since the last page view

    poll = client.get(
        reverse("notifications:bell"), HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/staff/"
    )

    assert poll.status_code == 200 and poll["HX-Redirect"] == f"{reverse('account_login')}?next=%2Fstaff%2F"
    assert SESSION_KEY not in client.session


def test_a_session_that_never_made_a_request_since_sign_in_is_idle_since_the_sign_in(
    clock, moderator, persona_password
):
    client = Client()
    client.post(reverse("account_login"), {"login": moderator.email, "password": persona_password})
    assert SESSION_KEY in client.session

    clock.advance(minutes=31)

    assert_signed_out_to_login(client, client.get(reverse("staff:dashboard")))


def test_representatives_keep_their_two_week_sessions(clock, rep_a):
    client = staff_client(rep_a)
    cabinet = reverse("cabinet:dashboard", kwargs={"project_slug": "alpha"})
    assert client.get(cabinet).status_code == 200

    clock.advance(days=13)

    assert client.get(cabinet).status_code == 200


def test_a_role_change_ends_every_session_of_the_person(admin, moderator, rep_a, persona_password):
    laptop, phone = Client(), Client()
    for client in (laptop, phone):
        client.post(reverse("account_login"), {"login": moderator.email, "password": persona_password})
        assert client.get(reverse("staff:dashboard")).status_code == 200

    user_change_role(user=moderator, role=Role.DIRECTOR, actor=admin)

    for client in (laptop, phone):
        response = client.get(reverse("staff:dashboard"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_representative_made_staff_signs_in_again(admin, rep_a, persona_password):
    client = Client()
    client.post(reverse("account_login"), {"login": rep_a.email, "password": persona_password})

    user_change_role(user=rep_a, role=Role.MODERATOR, actor=admin)

    assert client.get(reverse("staff:dashboard"))["Location"].startswith(reverse("account_login"))
