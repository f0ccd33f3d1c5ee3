"""Staff sessions must have used the second factor (issue 7): the Django admin has no password-only login
of its own, and a staff session signed in by password alone — while the person has TOTP, or while
PORTAL_STAFF_REQUIRE_2FA is on — opens neither the Django admin nor the staff cabinet."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.accounts.test_two_factor import post_login, signed_in_user_id, totp_code, wait_for_a_fresh_totp_window

ADMIN_LOGIN = "/django-admin/login/"


def give_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def sign_in_with_code(client, user, password, secret):
    assert post_login(client, user.email, password)["Location"] == reverse("mfa_authenticate")
    wait_for_a_fresh_totp_window()
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(user.pk)


# --- the Django admin's own login form ----------------------------------------------------------------


def test_admin_login_page_sends_to_the_portal_login(client, db):
    response = client.get(ADMIN_LOGIN, {"next": "/django-admin/"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")


def test_password_posted_to_the_admin_login_never_yields_a_session(client, admin, persona_password):
    """Before issue 7 this answered 302 to /django-admin/ with a signed-in session: no TOTP, no rate limit."""
    response = client.post(
        ADMIN_LOGIN, {"username": admin.email, "password": persona_password, "next": "/django-admin/"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert SESSION_KEY not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_password_posted_to_the_admin_login_for_a_staff_member_with_totp_never_yields_a_session(
    client, admin, persona_password
):
    give_totp(admin)

    client.post(ADMIN_LOGIN, {"username": admin.email, "password": persona_password, "next": "/django-admin/"})

    assert SESSION_KEY not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_admin_signed_in_through_the_portal_login_with_the_code_reaches_the_admin(client, admin, persona_password):
    secret = give_totp(admin)
    sign_in_with_code(client, admin, persona_password, secret)

    assert client.get(ADMIN_LOGIN).status_code == 302  # signed in: the admin's login page goes to the index
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("staff:dashboard")).status_code == 200


def test_the_admin_is_reached_from_its_own_address_through_the_portal_login_and_the_code(
    client, admin, persona_password
):
    secret = give_totp(admin)

    to_login = client.get(reverse("admin:index"), follow=True)
    login_url = to_login.redirect_chain[-1][0]
    assert login_url.startswith(reverse("account_login") + "?next=")

    step = client.post(login_url, {"login": admin.email, "password": persona_password})
    assert step["Location"] == reverse("mfa_authenticate")
    wait_for_a_fresh_totp_window()
    landed = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)}, follow=True)

    assert landed.status_code == 200
    assert landed.redirect_chain[-1][0] == reverse("admin:index")


def test_a_signed_in_non_administrator_is_refused_by_the_admin_login(client, moderator):
    client.force_login(moderator, backend="django.contrib.auth.backends.ModelBackend")

    assert client.get(ADMIN_LOGIN).status_code == 403


def test_the_admins_password_form_is_the_portals(client, admin, persona_password):
    """Django's admin changed the password past allauth: no journal entry, no notification, no rate limit."""
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    new = {
        "old_password": persona_password,
        "new_password1": "An0ther-long-pass!",
        "new_password2": "An0ther-long-pass!",
    }

    assert client.get("/django-admin/password_change/")["Location"] == reverse("account_change_password")
    client.post("/django-admin/password_change/", new)

    admin.refresh_from_db()
    assert admin.check_password(persona_password)


# --- sessions signed in by password alone -----------------------------------------------------------


@pytest.mark.parametrize("url_name", ["admin:index", "admin:accounts_user_changelist", "staff:dashboard"])
def test_admin_with_totp_signed_in_by_password_alone_is_signed_out(url_name, client, admin):
    give_totp(admin)
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    assert SESSION_KEY not in client.session, "the password-only session is ended, not merely redirected"
    assert client.get(reverse("staff:dashboard")).status_code == 302


@pytest.mark.parametrize("persona", ["moderator", "director"])
def test_staff_with_totp_signed_in_by_password_alone_cannot_open_the_staff_cabinet(persona, client, personas):
    user = personas[persona]
    give_totp(user)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(reverse("staff:dashboard"))

    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert SESSION_KEY not in client.session


def test_the_signed_out_staff_member_is_told_why_in_their_language(client, moderator):
    moderator.language = "ru"
    moderator.save(update_fields=["language"])
    give_totp(moderator)
    client.force_login(moderator, backend="django.contrib.auth.backends.ModelBackend")

    page = client.get(reverse("staff:dashboard"), follow=True).content.decode()

    assert "Войдите снова: с паролем и кодом двухфакторной аутентификации." in page


@pytest.mark.parametrize("persona", ["moderator", "admin", "director"])
def test_staff_signed_in_with_password_and_code_keep_working(persona, client, personas, persona_password):
    user = personas[persona]
    secret = give_totp(user)
    sign_in_with_code(client, user, persona_password, secret)

    assert client.get(reverse("staff:dashboard")).status_code == 200
    assert client.get(reverse("staff:projects")).status_code == 200


def test_password_only_session_is_refused_while_the_setting_is_on_even_after_totp_appears_elsewhere(
    settings, client, moderator, persona_password
):
    """Enrolling in another session (or an admin adding TOTP) does not bless this password-only session."""
    settings.PORTAL_STAFF_REQUIRE_2FA = True
    post_login(client, moderator.email, persona_password)
    give_totp(moderator)

    response = client.get(reverse("staff:dashboard"))

    assert response["Location"].startswith(reverse("account_login"))
    assert SESSION_KEY not in client.session


def test_staff_without_totp_are_unaffected_while_the_setting_is_off(client, moderator, admin):
    client.force_login(moderator, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("staff:dashboard")).status_code == 200
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("admin:index")).status_code == 200


def test_representative_with_totp_is_not_subject_to_the_staff_rule(client, rep_a):
    give_totp(rep_a)
    client.force_login(rep_a, backend="django.contrib.auth.backends.ModelBackend")

    assert client.get(reverse("cabinet:dashboard", kwargs={"project_slug": "alpha"})).status_code == 200
