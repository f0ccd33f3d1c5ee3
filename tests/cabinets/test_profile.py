"""The profile page, the language switcher, the user's time zone, and the project switcher."""

import datetime
import re
import zoneinfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from cabinets.middleware import UserPreferencesMiddleware
from projects.models import Membership
from tests.factories import MembershipFactory, ProjectFactory

PHONE_ERROR = "Enter a phone number: digits, spaces, +, - and brackets, 7 to 15 digits."


def html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert match, "every page declares its language"
    return match.group(1)


def profile_data(user, **changes):
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "language": user.language,
        "time_zone": user.time_zone,
    }
    data.update(changes)
    return data


def test_profile_saves_name_phone_language_and_time_zone(client_as, rep_a):
    client = client_as("rep_a")

    response = client.post(
        reverse("profile"),
        profile_data(
            rep_a,
            first_name="Alisa",
            last_name="Alfa",
            phone="+7 (900) 123-45-67",
            language="ru",
            time_zone="Asia/Yekaterinburg",
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("profile")
    rep_a.refresh_from_db()
    assert (rep_a.full_name, rep_a.phone, rep_a.language, rep_a.time_zone) == (
        "Alisa Alfa",
        "+7 (900) 123-45-67",
        "ru",
        "Asia/Yekaterinburg",
    )
    page = client.get(reverse("profile"))
    assert html_lang(page) == "ru"
    assert 'value="Alisa"' in page.content.decode() and 'value="Alfa"' in page.content.decode()
    assert '<option value="Asia/Yekaterinburg" selected>' in page.content.decode()


def test_bad_phone_shows_a_translated_error_and_keeps_what_was_typed(client_as, rep_a):
    rep_a.language = "ru"
    rep_a.save()
    client = client_as("rep_a")

    response = client.post(reverse("profile"), profile_data(rep_a, first_name="Alisa", phone="call me maybe"))

    assert response.status_code == 200
    page = response.content.decode()
    assert html_lang(response) == "ru"
    with translation.override("ru"):
        assert gettext(PHONE_ERROR) in page
    assert 'value="call me maybe"' in page
    assert 'value="Alisa"' in page
    assert "is-invalid" in page
    rep_a.refresh_from_db()
    assert rep_a.full_name == "Alice Alpha", "nothing is saved while the form has an error"
    assert rep_a.phone == ""


@pytest.mark.parametrize("phone", ["12345", "+7 900 123 45 67 89 01 23", "+7 900 123-45-67 ext. 5", "<script>"])
def test_profile_rejects_phones_that_are_not_phone_numbers(phone, client_as, rep_a):
    response = client_as("rep_a").post(reverse("profile"), profile_data(rep_a, phone=phone))

    assert response.status_code == 200
    assert PHONE_ERROR in response.content.decode()


def test_profile_rejects_an_unknown_time_zone(client_as, rep_a):
    response = client_as("rep_a").post(reverse("profile"), profile_data(rep_a, time_zone="Mars/Olympus_Mons"))

    assert response.status_code == 200
    rep_a.refresh_from_db()
    assert rep_a.time_zone == "Europe/Moscow"


def test_profile_requires_login(client):
    response = client.get(reverse("profile"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- language ---------------------------------------------------------------------------------------


def test_set_language_is_stored_on_the_user_and_the_next_page_uses_it(client_as, rep_a):
    client = client_as("rep_a")
    assert html_lang(client.get(reverse("profile"))) == "en"

    response = client.post(reverse("set_language"), {"language": "ru", "next": reverse("profile")})

    assert response.status_code == 302
    assert response["Location"] == reverse("profile")
    rep_a.refresh_from_db()
    assert rep_a.language == "ru"
    page = client.get(reverse("profile"))
    assert html_lang(page) == "ru"
    assert page["Content-Language"] == "ru"

    client.post(reverse("set_language"), {"language": "en", "next": reverse("profile")})
    rep_a.refresh_from_db()
    assert rep_a.language == "en"
    assert html_lang(client.get(reverse("profile"))) == "en"


def test_the_users_language_wins_over_the_browser_and_survives_a_new_login(client, rep_a, persona_password):
    rep_a.language = "ru"
    rep_a.save()

    client.post(reverse("account_login"), {"login": rep_a.email, "password": persona_password})
    page = client.get(reverse("profile"), HTTP_ACCEPT_LANGUAGE="en")

    assert html_lang(page) == "ru"


def test_set_language_is_post_only(client_as, rep_a):
    response = client_as("rep_a").get(reverse("set_language"), {"language": "ru"})

    assert response.status_code == 405
    rep_a.refresh_from_db()
    assert rep_a.language == "en"


def test_set_language_refuses_an_unknown_language(client_as, rep_a):
    client = client_as("rep_a")

    response = client.post(reverse("set_language"), {"language": "xx", "next": reverse("profile")}, follow=True)

    rep_a.refresh_from_db()
    assert rep_a.language == "en"
    assert html_lang(response) == "en"
    assert "Unknown language." in response.content.decode()


def test_visitor_language_switch_is_remembered_in_a_cookie(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("account_login")})

    assert response.status_code == 302
    assert html_lang(client.get(reverse("account_login"))) == "en"
    client.post(reverse("set_language"), {"language": "ru", "next": reverse("account_login")})
    assert html_lang(client.get(reverse("account_login"))) == "ru"


# --- time zone -----------------------------------------------------------------------------------------

JOINED_AT = datetime.datetime(2026, 1, 15, 22, 30, tzinfo=datetime.UTC)


def shown_as(moment, zone: str, language: str) -> str:
    with translation.override(language):
        return date_format(timezone.localtime(moment, timezone=zoneinfo.ZoneInfo(zone)), "SHORT_DATETIME_FORMAT")


@pytest.mark.parametrize("zone", ["Asia/Vladivostok", "America/New_York"])
def test_dates_are_shown_in_the_users_time_zone(zone, client_as, director, rep_a, project_a):
    Membership.objects.filter(user=rep_a, project=project_a).update(created_at=JOINED_AT)
    director.time_zone = zone
    director.save()

    page = client_as("director").get(reverse("staff:project_detail", kwargs={"slug": project_a.slug})).content.decode()

    expected = shown_as(JOINED_AT, zone, director.language)
    assert expected != shown_as(JOINED_AT, "Europe/Moscow", director.language), (
        "the zones must differ to prove anything"
    )
    assert expected in page
    assert shown_as(JOINED_AT, "Europe/Moscow", director.language) not in page


def test_user_time_zone_is_active_during_the_request_and_reset_after(rep_a):
    rep_a.time_zone = "Asia/Kamchatka"
    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()
        seen["language"] = translation.get_language()
        return HttpResponse()

    request = RequestFactory().get("/")
    request.user = rep_a
    request.session = {}
    anonymous = RequestFactory().get("/")
    anonymous.user = AnonymousUser()
    anonymous.session = {}
    try:
        UserPreferencesMiddleware(view)(request)
        assert seen == {"zone": "Asia/Kamchatka", "language": "en"}

        UserPreferencesMiddleware(view)(anonymous)
        assert seen["zone"] == "Europe/Moscow", "a visitor sees the portal's default zone, not the last user's"
    finally:
        timezone.deactivate()
        translation.deactivate()


# --- project switcher ------------------------------------------------------------------------------------

SWITCHER = 'data-testid="project-switcher"'


def test_representative_of_two_projects_sees_the_project_switcher(client_as, rep_a, project_b):
    MembershipFactory(user=rep_a, project=project_b)
    other = ProjectFactory(name="Gamma Grooming", slug="gamma")

    page = client_as("rep_a").get(reverse("cabinet:dashboard", kwargs={"project_slug": "alpha"})).content.decode()

    assert SWITCHER in page
    assert reverse("cabinet:dashboard", kwargs={"project_slug": "beta"}) in page
    assert reverse("cabinet:dashboard", kwargs={"project_slug": other.slug}) not in page
    # and the switch works
    assert client_as("rep_a").get(reverse("cabinet:dashboard", kwargs={"project_slug": "beta"})).status_code == 200


def test_representative_of_one_project_has_no_project_switcher(client_as, rep_a, project_b):
    page = client_as("rep_a").get(reverse("cabinet:dashboard", kwargs={"project_slug": "alpha"})).content.decode()

    assert SWITCHER not in page
    assert "Alpha Lounge" in page


def test_inactive_project_is_not_in_the_switcher(client_as, rep_a, project_b):
    MembershipFactory(user=rep_a, project=project_b)
    project_b.active = False
    project_b.save()

    page = client_as("rep_a").get(reverse("cabinet:dashboard", kwargs={"project_slug": "alpha"})).content.decode()

    assert SWITCHER not in page
