"""Signing in and out through allauth's real pages: email login in any case, errors, lockout, no sign-up,
logout by POST only, password reset by email link, password change."""

import re

import pytest
from allauth.account.adapter import get_adapter
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import NoReverseMatch, reverse
from django.utils import translation

NEW_PASSWORD = "fresh-harbour-lantern-77"


def post_login(client, login, password, **extra):
    return client.post(reverse("account_login"), {"login": login, "password": password}, **extra)


def signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


def allauth_message(key, language):
    """allauth's own error text, translated the way a visitor with `language` sees it."""
    with translation.override(language):
        return str(get_adapter().error_messages[key])


def test_email_login_ignores_the_case_of_the_typed_email(client, rep_a, persona_password):
    response = post_login(client, "REP@Alpha.example", persona_password)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in_user_id(client) == str(rep_a.pk)
    # and the cabinet opens
    assert client.get(reverse("cabinet:dashboard", kwargs={"project_slug": "alpha"})).status_code == 200


def test_email_login_ignores_surrounding_spaces(client, rep_a, persona_password):
    response = post_login(client, "  rep@alpha.example ", persona_password)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(rep_a.pk)


def test_wrong_password_shows_a_translated_error_and_keeps_the_typed_email(client, rep_a):
    response = post_login(client, "Rep@Alpha.example", "not-the-password", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 200
    assert signed_in_user_id(client) is None
    russian = allauth_message("email_password_mismatch", "ru")
    assert russian != allauth_message("email_password_mismatch", "en"), "allauth ships a Russian catalog"
    assert russian in response.content.decode()
    assert '<html lang="ru">' in response.content.decode()
    assert 'value="Rep@Alpha.example"' in response.content.decode()
    # the password is never echoed back
    assert "not-the-password" not in response.content.decode()


def test_wrong_password_error_is_in_english_for_an_english_visitor(client, rep_a):
    response = post_login(client, "rep@alpha.example", "not-the-password", HTTP_ACCEPT_LANGUAGE="en")

    assert allauth_message("email_password_mismatch", "en") in response.content.decode()


def test_unknown_email_gets_the_same_error_as_a_wrong_password(client, rep_a):
    response = post_login(client, "nobody@alpha.example", "not-the-password", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert allauth_message("email_password_mismatch", "en") in response.content.decode()


class TestNoPublicSignup:
    def test_signup_url_does_not_exist(self, client, db):
        with pytest.raises(NoReverseMatch):
            reverse("account_signup")
        assert client.get("/accounts/signup/").status_code == 404

    def test_adapter_closes_signup(self, rf):
        assert get_adapter(rf.get("/")).is_open_for_signup(rf.get("/")) is False

    def test_login_page_does_not_invite_to_sign_up(self, client, db):
        response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en")

        assert response.status_code == 200
        page = response.content.decode()
        assert 'name="login"' in page and 'name="password"' in page
        assert "sign up" not in page.lower()
        assert 'href="None"' not in page


class TestLockout:
    """ACCOUNT_RATE_LIMITS["login_failed"] = "…,5/5m/key": allauth counts failures per (site, lower-cased
    email) in the cache; once five have been spent, the form refuses to even check the password."""

    def test_four_failures_still_allow_the_right_password(self, client, rep_a, persona_password):
        for _ in range(4):
            post_login(client, "rep@alpha.example", "wrong-password")

        assert post_login(client, "rep@alpha.example", persona_password).status_code == 302
        assert signed_in_user_id(client) == str(rep_a.pk)

    def test_after_five_failures_even_the_right_password_is_refused(self, client, rep_a, persona_password):
        for _ in range(5):
            response = post_login(client, "rep@alpha.example", "wrong-password", HTTP_ACCEPT_LANGUAGE="en")
            assert allauth_message("email_password_mismatch", "en") in response.content.decode()

        response = post_login(client, "rep@alpha.example", persona_password, HTTP_ACCEPT_LANGUAGE="en")

        # allauth answers with the login form again (200) carrying its lockout error, not with a 429
        assert response.status_code == 200
        assert allauth_message("too_many_login_attempts", "en") in response.content.decode()
        assert signed_in_user_id(client) is None

    def test_lockout_counts_the_email_in_any_case(self, client, rep_a, persona_password):
        for typed in (
            "rep@alpha.example",
            "REP@alpha.example",
            "Rep@Alpha.Example",
            "rep@ALPHA.example",
            "rEp@alpha.example",
        ):
            post_login(client, typed, "wrong-password")

        response = post_login(client, "rep@alpha.example", persona_password, HTTP_ACCEPT_LANGUAGE="ru")

        assert allauth_message("too_many_login_attempts", "ru") in response.content.decode()
        assert signed_in_user_id(client) is None

    def test_lockout_of_one_email_does_not_lock_another(self, client, rep_a, rep_b, persona_password):
        for _ in range(5):
            post_login(client, "rep@alpha.example", "wrong-password")

        assert post_login(client, "rep@beta.example", persona_password).status_code == 302
        assert signed_in_user_id(client) == str(rep_b.pk)


class TestLogout:
    def test_logout_by_get_only_asks_for_confirmation(self, client, rep_a, persona_password):
        post_login(client, "rep@alpha.example", persona_password)

        response = client.get(reverse("account_logout"))

        assert response.status_code == 200
        assert 'method="post"' in response.content.decode()
        assert signed_in_user_id(client) == str(rep_a.pk)

    def test_logout_by_post_ends_the_session(self, client, rep_a, persona_password):
        post_login(client, "rep@alpha.example", persona_password)
        old_session_key = client.session.session_key

        response = client.post(reverse("account_logout"))

        assert response.status_code == 302
        assert response["Location"] == reverse("account_login")
        assert signed_in_user_id(client) is None
        from django.contrib.sessions.models import Session

        assert not Session.objects.filter(session_key=old_session_key).exists()
        cabinet = client.get(reverse("cabinet:dashboard", kwargs={"project_slug": "alpha"}))
        assert cabinet.status_code == 302 and cabinet["Location"].startswith(reverse("account_login"))


def reset_link_from(message) -> str:
    """The path of the reset link in an email (the link itself is absolute, on PORTAL_BASE_URL)."""
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


class TestPasswordReset:
    def test_reset_email_link_sets_a_new_password_that_logs_in(self, client, ask_for_reset, rep_a, persona_password):
        response = ask_for_reset("Rep@Alpha.example")

        assert response.status_code == 302
        assert response["Location"] == reverse("account_reset_password_done")
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["rep@alpha.example"]
        link = reset_link_from(message)

        # allauth moves the key from the URL into the session, then shows the form
        response = client.get(link)
        assert response.status_code == 302
        form_url = response["Location"]
        assert client.get(form_url).status_code == 200
        response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
        assert response.status_code == 302
        assert response["Location"] == reverse("account_reset_password_from_key_done")
        assert signed_in_user_id(client) is None  # ACCOUNT_LOGIN_ON_PASSWORD_RESET = False

        rep_a.refresh_from_db()
        assert rep_a.check_password(NEW_PASSWORD)
        assert post_login(client, "rep@alpha.example", persona_password).status_code == 200
        assert post_login(client, "rep@alpha.example", NEW_PASSWORD).status_code == 302
        assert signed_in_user_id(client) == str(rep_a.pk)

    def test_reset_link_works_only_once(self, client, ask_for_reset, rep_a):
        ask_for_reset("rep@alpha.example")
        link = reset_link_from(mail.outbox[0])
        form_url = client.get(link)["Location"]
        client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

        other = type(client)()
        response = other.get(link, follow=True)
        assert 'name="password1"' not in response.content.decode()
        rep_a.refresh_from_db()
        assert rep_a.check_password(NEW_PASSWORD)

    def test_reset_unlocks_a_locked_out_email(self, client, ask_for_reset, rep_a, persona_password):
        for _ in range(5):
            post_login(client, "rep@alpha.example", "wrong-password")
        ask_for_reset("rep@alpha.example")
        form_url = client.get(reset_link_from(mail.outbox[0]))["Location"]
        client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

        assert post_login(client, "rep@alpha.example", NEW_PASSWORD).status_code == 302

    def test_reset_for_an_unknown_email_looks_the_same_and_sends_no_sign_up_link(self, client, ask_for_reset, rep_a):
        response = ask_for_reset("stranger@nowhere.example")

        assert response.status_code == 302
        assert response["Location"] == reverse("account_reset_password_done")
        assert all("signup" not in message.body for message in mail.outbox)


class TestPasswordChange:
    def test_password_change_replaces_the_password(self, client, rep_a, persona_password):
        post_login(client, "rep@alpha.example", persona_password)

        response = client.post(
            reverse("account_change_password"),
            {"oldpassword": persona_password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )

        assert response.status_code == 302
        rep_a.refresh_from_db()
        assert rep_a.check_password(NEW_PASSWORD)
        # ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False: the session that changed it stays signed in
        assert signed_in_user_id(client) == str(rep_a.pk)
        client.post(reverse("account_logout"))
        assert post_login(client, "rep@alpha.example", persona_password).status_code == 200
        assert post_login(client, "rep@alpha.example", NEW_PASSWORD).status_code == 302

    def test_password_change_needs_the_current_password(self, client, rep_a, persona_password):
        post_login(client, "rep@alpha.example", persona_password)

        response = client.post(
            reverse("account_change_password"),
            {"oldpassword": "not-my-password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )

        assert response.status_code == 200
        # passwords typed into a form that failed are never sent back in the page
        assert "not-my-password" not in response.content.decode()
        assert NEW_PASSWORD not in response.content.decode()
        rep_a.refresh_from_db()
        assert rep_a.check_password(persona_password)

    def test_password_change_rejects_a_weak_password(self, client, rep_a, persona_password):
        post_login(client, "rep@alpha.example", persona_password)

        response = client.post(
            reverse("account_change_password"),
            {"oldpassword": persona_password, "password1": "short", "password2": "short"},
        )

        assert response.status_code == 200
        rep_a.refresh_from_db()
        assert rep_a.check_password(persona_password)
