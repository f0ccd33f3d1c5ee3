"""Profile → Active sessions (cabinets/views/sessions.py): each session as browser and system, its IP and
when it was last used, this device first and marked; "sign out of other sessions" says what happened."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.user_agents import describe_user_agent
from auditlog.models import AuditEvent
from cabinets.middleware import SessionLastSeenMiddleware

pytestmark = pytest.mark.django_db

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Mobile/15E148 Safari/604.1"
)
WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)
URL = reverse("usersessions_list")


def signed_in(user, password, user_agent, ip="127.0.0.1"):
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302
    return client


def sessions_of(user):
    from allauth.usersessions.models import UserSession

    return UserSession.objects.filter(user=user)


@pytest.fixture
def english(rep_a):
    rep_a.language = "en"
    rep_a.save(update_fields=["language"])
    return rep_a


def test_user_agents_read_as_browser_and_system():
    phone = describe_user_agent(IPHONE)
    assert (phone.browser, phone.system, phone.device) == ("Mobile Safari 17", "iOS 17.4", "iPhone")
    computer = describe_user_agent(WINDOWS)
    assert (computer.browser, computer.system, computer.device) == ("Chrome 124", "Windows 10", "")
    assert describe_user_agent("") == describe_user_agent("nonsense") == type(phone)("", "", "")


def test_sessions_show_browser_system_ip_and_this_device_first(english, persona_password):
    signed_in(english, persona_password, IPHONE, ip="203.0.113.7")
    computer = signed_in(english, persona_password, WINDOWS, ip="198.51.100.4")

    response = computer.get(URL)
    html = response.content.decode()

    rows = response.context["sessions"]
    assert [s.this_device for s in rows] == [True, False], "this device first"
    assert "Chrome 124" in html and "Windows 10" in html
    assert "Mobile Safari 17" in html and "iOS 17.4" in html and "iPhone" in html
    assert IPHONE not in html and WINDOWS not in html, "no raw User-Agent"
    assert "203.0.113.7" in html and "198.51.100.4" in html
    assert html.count('data-testid="this-device"') == 1
    first_row = html[html.index('data-testid="session"') :]
    assert first_row.index('data-testid="this-device"') < first_row.index("iOS 17.4")
    assert "Last seen" in html


def test_signing_out_of_other_sessions_says_how_many(english, persona_password):
    phone = signed_in(english, persona_password, IPHONE)
    signed_in(english, persona_password, IPHONE)
    computer = signed_in(english, persona_password, WINDOWS)
    assert sessions_of(english).count() == 3

    response = computer.post(URL, follow=True)

    html = response.content.decode()
    assert "Signed out of 2 other sessions." in html
    assert sessions_of(english).count() == 1
    assert Session.objects.count() == 1
    assert phone.get(reverse("profile")).status_code == 302, "the phone is signed out"
    assert computer.get(reverse("profile")).status_code == 200, "this device stays signed in"
    event = AuditEvent.objects.get(event="accounts.user.other_sessions_ended")
    assert event.actor == english and event.changes == {"sessions": 2}


def test_one_other_session_is_singular(english, persona_password):
    signed_in(english, persona_password, IPHONE)
    computer = signed_in(english, persona_password, WINDOWS)
    assert "Signed out of 1 other session." in computer.post(URL, follow=True).content.decode()


def test_with_no_other_session_it_says_there_were_none(english, persona_password):
    computer = signed_in(english, persona_password, WINDOWS)
    html = computer.post(URL, follow=True).content.decode()
    assert "There were no other sessions." in html
    assert "Signed out of" not in html
    assert not AuditEvent.objects.filter(event="accounts.user.other_sessions_ended").exists()


def test_in_russian_the_confirmation_is_not_an_imperative(rep_a, persona_password):
    rep_a.language = "ru"
    rep_a.save(update_fields=["language"])
    signed_in(rep_a, persona_password, IPHONE)
    computer = signed_in(rep_a, persona_password, WINDOWS)
    html = computer.post(URL, follow=True).content.decode()
    assert "Выйти из всех остальных сеансов" not in html  # allauth's Russian text for its message


def test_last_seen_and_ip_follow_use_every_few_minutes(english, persona_password):
    computer = signed_in(english, persona_password, WINDOWS, ip="198.51.100.4")
    (row,) = sessions_of(english)
    sessions_of(english).update(last_seen_at=row.created_at.replace(year=2020))

    computer.get(reverse("profile"), REMOTE_ADDR="192.0.2.55")
    row.refresh_from_db()
    assert row.last_seen_at.year > 2020 and row.ip == "192.0.2.55"

    sessions_of(english).update(last_seen_at=row.created_at.replace(year=2020))
    computer.get(reverse("profile"), REMOTE_ADDR="192.0.2.99")
    row.refresh_from_db()
    assert row.last_seen_at.year == 2020, "not written again within EVERY_SECONDS"

    session = computer.session
    session[SessionLastSeenMiddleware.SESSION_KEY] -= SessionLastSeenMiddleware.EVERY_SECONDS
    session.save()
    computer.get(reverse("profile"), REMOTE_ADDR="192.0.2.99")
    row.refresh_from_db()
    assert row.last_seen_at.year > 2020 and row.ip == "192.0.2.99"


def test_the_bells_poll_is_not_use(english, persona_password):
    computer = signed_in(english, persona_password, WINDOWS)
    computer.get(reverse("profile"))
    sessions_of(english).update(ip="192.0.2.1")
    session = computer.session
    session[SessionLastSeenMiddleware.SESSION_KEY] = 0
    session.save()
    computer.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true", REMOTE_ADDR="192.0.2.99")
    assert sessions_of(english).get().ip == "192.0.2.1"
