"""The language chosen on the login page wins at sign-in (saved on the user, journaled), and allauth's
"Successfully signed in as …" comes in the language of the page it is shown on (accounts/adapters.py)."""

import pytest
from django.conf import settings
from django.urls import reverse

from auditlog.models import AuditEvent
from tests.accounts.test_auth import post_login

pytestmark = pytest.mark.django_db

SIGNED_IN_EN = "Successfully signed in as"
SIGNED_IN_RU = "Успешный вход под именем"


@pytest.fixture(autouse=True)
def russian(rep_a):
    rep_a.language = "ru"
    rep_a.save(update_fields=["language"])


def choose_language(client, language):
    """What the switcher on the login page does for a visitor: Django's language cookie."""
    response = client.post(reverse("set_language"), {"language": language, "next": reverse("account_login")})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


def next_page(client, response):
    page = client.get(response["Location"], follow=True)
    return page.content.decode()


def test_english_chosen_on_the_login_page_becomes_the_russian_users_language(client, rep_a, persona_password):
    choose_language(client, "en")

    response = post_login(client, rep_a.email, persona_password)

    assert response.status_code == 302
    rep_a.refresh_from_db()
    assert rep_a.language == "en"
    event = AuditEvent.objects.get(event="accounts.user.language_changed", object_id=str(rep_a.pk))
    assert event.actor == rep_a and event.changes == {"language": {"old": "ru", "new": "en"}}
    html = next_page(client, response)
    assert '<html lang="en">' in html
    assert SIGNED_IN_EN in html and SIGNED_IN_RU not in html


def test_russian_chosen_on_the_login_page_wins_over_english_saved(client, rep_a, persona_password):
    rep_a.language = "en"
    rep_a.save(update_fields=["language"])
    choose_language(client, "ru")

    html = next_page(client, post_login(client, rep_a.email, persona_password))

    rep_a.refresh_from_db()
    assert rep_a.language == "ru"
    assert '<html lang="ru">' in html
    assert SIGNED_IN_RU in html and SIGNED_IN_EN not in html


def test_without_a_choice_the_saved_language_stays_and_the_message_follows_it(client, rep_a, persona_password):
    """An English browser (Accept-Language) is not a choice: the Russian user keeps Russian, message included."""
    response = post_login(client, rep_a.email, persona_password, HTTP_ACCEPT_LANGUAGE="en")

    rep_a.refresh_from_db()
    assert rep_a.language == "ru"
    assert not AuditEvent.objects.filter(event="accounts.user.language_changed").exists()
    html = next_page(client, response)
    assert '<html lang="ru">' in html
    assert SIGNED_IN_RU in html and SIGNED_IN_EN not in html


def test_the_same_language_is_not_journaled_again(client, rep_a, persona_password):
    choose_language(client, "ru")
    post_login(client, rep_a.email, persona_password)
    assert not AuditEvent.objects.filter(event="accounts.user.language_changed").exists()


def test_a_language_we_do_not_speak_in_the_cookie_is_ignored(client, rep_a, persona_password):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    html = next_page(client, post_login(client, rep_a.email, persona_password))
    rep_a.refresh_from_db()
    assert rep_a.language == "ru"
    assert SIGNED_IN_RU in html


def test_a_wrong_password_changes_nothing(client, rep_a):
    choose_language(client, "en")
    post_login(client, rep_a.email, "not-the-password")
    rep_a.refresh_from_db()
    assert rep_a.language == "ru"
