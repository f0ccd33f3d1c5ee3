"""What the journal records by itself: sign-in, sign-out, failed sign-in, password change and reset,
two-factor on/off, every access-policy denial, and the services of cabinets."""

import re
import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.urls import reverse

from accounts import events as account_events
from auditlog import events
from auditlog.models import AuditEvent

NEW_PASSWORD = "a-brand-new-passphrase-42"


def journal(event):
    return list(AuditEvent.objects.filter(event=event).order_by("id"))


def login(client, email, password, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def test_login_is_recorded_with_ip_and_user_agent(client, rep_a, persona_password):
    response = login(
        client, "rep@alpha.example", persona_password, REMOTE_ADDR="198.51.100.20", HTTP_USER_AGENT="Browser/1"
    )
    assert response.status_code == 302

    [event] = journal(account_events.LOGIN)
    assert (event.actor, event.actor_role, event.ip, event.user_agent) == (
        rep_a,
        "representative",
        "198.51.100.20",
        "Browser/1",
    )


def test_logout_is_recorded(client, rep_a, persona_password):
    login(client, "rep@alpha.example", persona_password)
    client.post(reverse("account_logout"))
    [event] = journal(account_events.LOGOUT)
    assert event.actor == rep_a


def test_failed_login_records_the_attempted_email_and_no_actor(client, rep_a):
    login(client, "Rep@Alpha.example", "wrong-password", REMOTE_ADDR="203.0.113.5")
    login(client, "nobody@nowhere.example", "wrong-password")

    known, unknown = journal(account_events.LOGIN_FAILED)
    assert known.actor is None and known.ip == "203.0.113.5"
    assert known.changes == {"email": "rep@alpha.example"}
    assert (known.object_type, known.object_id) == ("accounts.user", str(rep_a.pk)), "the targeted account is named"
    assert unknown.object_text == "nobody@nowhere.example" and unknown.object_id == ""
    assert "wrong-password" not in str(AuditEvent.objects.values_list("changes", flat=True)[::1])
    assert not journal(account_events.LOGIN)


def test_password_change_is_recorded_without_the_password(client, rep_a, persona_password):
    login(client, "rep@alpha.example", persona_password)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": persona_password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302

    [event] = journal(account_events.PASSWORD_CHANGED)
    assert event.actor == rep_a and event.changes == {}
    assert NEW_PASSWORD not in str(AuditEvent.objects.values_list("changes", "object_text"))


def test_password_reset_is_recorded(client, rep_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the email is sent by a task after commit
        client.post(reverse("account_reset_password"), {"email": "rep@alpha.example"})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    [event] = journal(account_events.PASSWORD_RESET)
    assert event.actor == rep_a and event.object_id == str(rep_a.pk)


def _totp_code(secret):
    left = mfa_settings.TOTP_PERIOD - (time.time() % mfa_settings.TOTP_PERIOD)
    if left < 5:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def test_two_factor_enabled_and_disabled_are_recorded(
    client, moderator, persona_password, django_capture_on_commit_callbacks
):
    login(client, "moderator@misty.example", persona_password)
    page = client.get(reverse("mfa_activate_totp"))
    if page.status_code == 302:  # allauth asks for the password again before any MFA change
        client.post(page["Location"], {"password": persona_password})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]

    # allauth sends its MFA signals on commit.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": _totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=moderator, type=Authenticator.Type.TOTP).exists()

    [enabled] = journal(account_events.TWO_FACTOR_ENABLED)
    assert enabled.actor == moderator and enabled.changes == {"type": "totp"}
    assert len(journal(account_events.RECOVERY_CODES_GENERATED)) == 1
    assert secret not in str(list(AuditEvent.objects.values_list("changes", flat=True)))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    [disabled] = journal(account_events.TWO_FACTOR_DISABLED)
    assert disabled.actor == moderator and disabled.changes == {"type": "totp"}


class TestAccessDenials:
    def test_a_404_for_another_projects_cabinet_is_recorded(self, client_as, rep_b, project_a):
        url = reverse("cabinet:dashboard", kwargs={"project_slug": project_a.slug})
        assert client_as("rep_b").get(url, REMOTE_ADDR="198.51.100.30").status_code == 404

        [event] = journal(events.ACCESS_NOT_FOUND)
        assert (event.actor, event.actor_role, event.ip) == (rep_b, "representative", "198.51.100.30")
        assert event.project == project_a, "the journal names the project that was probed"
        assert event.changes["status"] == 404 and event.changes["path"] == url
        assert event.changes["url_name"] == "cabinet:dashboard"

    def test_a_403_for_a_representative_on_the_staff_cabinet_is_recorded(self, client_as, rep_a):
        url = reverse("staff:audit")
        assert client_as("rep_a").get(url).status_code == 403

        [event] = journal(events.ACCESS_FORBIDDEN)
        assert event.actor == rep_a and event.project is None
        assert event.changes == {
            "status": 403,
            "method": "GET",
            "path": url,
            "url_name": "staff:audit",
            "reason": "missing capability view_audit",
        }

    def test_a_404_for_an_unknown_project_slug_is_recorded_without_a_project(self, client_as, rep_a):
        client_as("rep_a").get(reverse("cabinet:dashboard", kwargs={"project_slug": "no-such"}))
        [event] = journal(events.ACCESS_NOT_FOUND)
        assert event.project is None and event.object_text == "/cabinet/no-such/"

    def test_allowed_requests_and_anonymous_redirects_record_no_denial(self, client_as, rep_a, project_a):
        client_as("rep_a").get(reverse("cabinet:dashboard", kwargs={"project_slug": project_a.slug}))
        client_as("anonymous").get(reverse("staff:audit"))
        assert not AuditEvent.objects.filter(event__startswith="access.").exists()

    def test_a_failing_journal_does_not_turn_a_denial_into_an_error(self, client_as, rep_a, monkeypatch):
        def broken(**kwargs):
            raise RuntimeError("database is on fire")

        monkeypatch.setattr("auditlog.hooks.record", broken)
        assert client_as("rep_a").get(reverse("staff:audit")).status_code == 403


class TestCabinetServices:
    def test_profile_update_records_old_and_new_values(self, client_as, rep_a):
        client = client_as("rep_a")
        client.post(
            reverse("profile"),
            {"first_name": "Alisa", "last_name": "Alfa", "phone": "", "language": "en", "time_zone": rep_a.time_zone},
            REMOTE_ADDR="198.51.100.40",
        )
        [event] = journal(account_events.USER_PROFILE_UPDATED)
        assert event.actor == rep_a and event.ip == "198.51.100.40", "services get the request's origin"
        assert event.changes == {
            "first_name": {"old": "Alice", "new": "Alisa"},
            "last_name": {"old": "Alpha", "new": "Alfa"},
        }

    def test_language_switch_is_recorded(self, client_as, rep_a):
        client_as("rep_a").post(reverse("set_language"), {"language": "ru", "next": "/"})
        [event] = journal(account_events.USER_LANGUAGE_CHANGED)
        assert event.changes == {"language": {"old": "en", "new": "ru"}}

    def test_block_and_unblock_are_recorded(self, admin, rep_a):
        from accounts import services

        services.user_block(user=rep_a, actor=admin)
        services.user_block(user=rep_a, actor=admin)  # already blocked: nothing happens, nothing recorded
        services.user_unblock(user=rep_a, actor=admin)

        [blocked] = journal(account_events.USER_BLOCKED)
        [unblocked] = journal(account_events.USER_UNBLOCKED)
        assert blocked.actor == admin and blocked.changes == {"status": {"old": "active", "new": "blocked"}}
        assert unblocked.changes == {"status": {"old": "blocked", "new": "active"}}
