"""Every email allauth sends about an account comes from the portal, in the recipient's language (not the
requester's), as text and HTML — and the request that causes it never waits on SMTP (accounts/adapters.py,
accounts/emails.py, accounts/tasks.py)."""

import json
import re
from email.header import decode_header, make_header
from pathlib import Path

import allauth
import pytest
from django.conf import settings
from django.core import mail
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone

from accounts import tasks
from accounts.adapters import PortalAccountAdapter
from accounts.emails import restored_context
from tests.accounts.test_auth import NEW_PASSWORD, post_login, reset_link_from
from tests.accounts.test_two_factor import enrol_totp

RU_PORTAL = "Партнёрский портал Misty"
EN_PORTAL = "Misty Partner Portal"


def sender_name(message) -> str:
    return str(make_header(decode_header(message.message()["From"])))


def html_of(message) -> str:
    htmls = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    assert len(htmls) == 1, "an HTML part next to the text"
    return htmls[0]


@pytest.fixture
def russian_rep(rep_a):
    rep_a.language = "ru"
    rep_a.time_zone = "Asia/Yekaterinburg"
    rep_a.save(update_fields=["language", "time_zone"])
    return rep_a


class TestPasswordResetEmail:
    def test_comes_from_the_portal_in_the_recipients_language(self, client, russian_rep, ask_for_reset):
        # the request is English; the reader is Russian
        ask_for_reset("rep@alpha.example", HTTP_ACCEPT_LANGUAGE="en")

        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["rep@alpha.example"]
        assert message.subject == f"Сброс пароля — {RU_PORTAL}"
        assert "[" not in message.subject and "127.0.0.1" not in message.subject and "testserver" not in message.subject
        assert message.from_email == f"{RU_PORTAL} <noreply@misty.example>"
        assert sender_name(message) == f"{RU_PORTAL} <noreply@misty.example>"
        assert message.body.startswith("Здравствуйте, Alice!")
        assert "Hello from" not in message.body and "testserver" not in message.body
        assert "Задать новый пароль: http" in message.body
        page = html_of(message)
        assert '<html lang="ru">' in page
        assert "Здравствуйте, Alice!" in page
        link = reset_link_from(message)
        assert f'href="{settings.PORTAL_BASE_URL}{link}"' in page
        assert "ссылка одноразовая и действует 3 дня" in message.body.lower().replace("\n", " ")

    def test_english_reader_gets_english_even_from_a_russian_browser(self, client, rep_a, ask_for_reset):
        ask_for_reset("rep@alpha.example", HTTP_ACCEPT_LANGUAGE="ru")

        message = mail.outbox[0]
        assert message.subject == f"Reset your password — {EN_PORTAL}"
        assert message.from_email == f"{EN_PORTAL} <noreply@misty.example>"
        assert message.body.startswith("Hello, Alice!")
        assert '<html lang="en">' in html_of(message)

    def test_link_is_built_from_the_portal_address_not_the_requests_host(self, client, rep_a, settings, ask_for_reset):
        settings.PORTAL_BASE_URL = "https://portal.misty.example"
        settings.ALLOWED_HOSTS = ["evil.example", "testserver"]

        ask_for_reset("rep@alpha.example", HTTP_HOST="evil.example")

        body = mail.outbox[0].body
        assert "https://portal.misty.example/accounts/password/reset/key/" in body
        assert "evil.example" not in body

    def test_a_blocked_person_gets_no_reset_email(self, client, rep_a, admin, ask_for_reset):
        from accounts.services import user_block

        user_block(user=rep_a, actor=admin)
        mail.outbox.clear()

        response = ask_for_reset("rep@alpha.example")

        assert response["Location"] == reverse("account_reset_password_done")
        assert mail.outbox == []


class TestSentAfterTheRequest:
    """Should-fix of issue 7: the reset form must not do SMTP work for existing accounts only."""

    @pytest.fixture
    def queued(self, monkeypatch):
        calls = []
        monkeypatch.setattr(tasks.send_account_email, "apply_async", lambda *a, **kw: calls.append(kw))
        return calls

    @pytest.fixture
    def smtp_must_not_be_used(self, settings):
        settings.EMAIL_BACKEND = "tests.accounts.test_account_emails.RefusingBackend"

    def test_existing_account_queues_a_task_and_the_request_sends_nothing(
        self, client, rep_a, queued, smtp_must_not_be_used, ask_for_reset
    ):
        response = ask_for_reset("Rep@Alpha.example")

        assert response.status_code == 302
        assert response["Location"] == reverse("account_reset_password_done")
        assert len(queued) == 1
        task_kwargs = queued[0]["kwargs"]
        assert task_kwargs["user_id"] == rep_a.pk
        assert task_kwargs["template_prefix"] == "account/email/password_reset_key"
        assert task_kwargs["context"] == {}, "no reset key on the broker: the task makes its own"
        assert mail.outbox == []

    def test_unknown_address_queues_nothing_and_answers_the_same(
        self, client, rep_a, queued, smtp_must_not_be_used, ask_for_reset
    ):
        known = ask_for_reset("rep@alpha.example")
        queued.clear()

        unknown = ask_for_reset("stranger@nowhere.example")

        assert queued == []
        assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])

    def test_the_task_is_queued_only_once_the_transaction_commits(
        self, client, rep_a, queued, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            client.post(reverse("account_reset_password"), {"email": "rep@alpha.example"})

        assert queued == [] and len(callbacks) == 1
        callbacks[0]()
        assert len(queued) == 1

    def test_a_notice_travels_as_json_and_comes_back_with_its_time(
        self, client, rep_a, persona_password, queued, django_capture_on_commit_callbacks
    ):
        post_login(client, "rep@alpha.example", persona_password)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("account_change_password"),
                {"oldpassword": persona_password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
            )

        [call] = queued
        task_kwargs = json.loads(json.dumps(call["kwargs"]))  # what a real broker (JSON) delivers
        assert task_kwargs["template_prefix"] == "account/email/password_changed"
        assert task_kwargs["user_id"] == rep_a.pk
        assert NEW_PASSWORD not in json.dumps(task_kwargs)
        restored = restored_context(task_kwargs["context"])
        assert abs((timezone.now() - restored["timestamp"]).total_seconds()) < 60
        assert mail.outbox == []

        tasks.send_account_email.run(**task_kwargs)  # what the worker then does

        assert [m.subject for m in mail.outbox] == [f"Your password was changed — {EN_PORTAL}"]

    def test_a_failing_smtp_relay_does_not_show_in_the_answer(self, client, rep_a, settings, ask_for_reset):
        settings.EMAIL_BACKEND = "tests.accounts.test_account_emails.RefusingBackend"

        response = ask_for_reset("rep@alpha.example")

        assert response.status_code == 302
        assert response["Location"] == reverse("account_reset_password_done")


class RefusingBackend:
    """An email backend that fails the test's request if anything tries to talk to SMTP."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPServerDisconnected("SMTP must not be used here")


class TestSecurityNotices:
    def test_password_change_notice_in_the_recipients_language_and_time_zone(
        self, client, russian_rep, persona_password, django_capture_on_commit_callbacks
    ):
        post_login(client, "rep@alpha.example", persona_password)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("account_change_password"),
                {"oldpassword": persona_password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
                HTTP_USER_AGENT="Firefox/140.0",
            )

        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.subject == f"Пароль изменён — {RU_PORTAL}"
        assert message.from_email.startswith(RU_PORTAL)
        assert "Пароль вашей учётной записи rep@alpha.example изменён." in message.body
        assert "IP-адрес: 127.0.0.1" in message.body
        assert "Браузер: Firefox/140.0" in message.body
        assert "(+05)" in message.body, "the time is in the reader's time zone (Yekaterinburg)"
        assert "/accounts/password/reset/" in message.body
        assert "Пароль вашей учётной записи rep@alpha.example изменён." in html_of(message)

    def test_reset_notice_after_the_new_password_is_set(
        self, client, rep_a, ask_for_reset, django_capture_on_commit_callbacks
    ):
        ask_for_reset("rep@alpha.example")
        form_url = client.get(reset_link_from(mail.outbox[0]))["Location"]
        with django_capture_on_commit_callbacks(execute=True):
            client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

        assert [m.subject for m in mail.outbox] == [
            f"Reset your password — {EN_PORTAL}",
            f"Your password was reset — {EN_PORTAL}",
        ]

    def test_two_factor_notices(self, client, russian_rep, persona_password, django_capture_on_commit_callbacks):
        post_login(client, "rep@alpha.example", persona_password)
        with django_capture_on_commit_callbacks(execute=True):
            enrol_totp(client, persona_password)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("mfa_generate_recovery_codes"))
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("mfa_deactivate_totp"))

        subjects = [m.subject for m in mail.outbox]
        assert subjects == [
            f"Двухфакторная аутентификация включена — {RU_PORTAL}",
            f"Созданы новые коды восстановления — {RU_PORTAL}",
            f"Двухфакторная аутентификация отключена — {RU_PORTAL}",
        ]
        for message in mail.outbox:
            assert message.body.startswith("Здравствуйте, Alice!")
            assert '<html lang="ru">' in html_of(message)
        assert "Старые коды больше не действуют." in mail.outbox[1].body


# --- every allauth email ----------------------------------------------------------------------------

ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
# Emails this configuration sends: each has our subject, text and HTML.
SENT = {
    "account/email/password_reset_key",  # the reset link
    "account/email/password_reset",  # ACCOUNT_EMAIL_NOTIFICATIONS
    "account/email/password_changed",
    "account/email/password_set",
    "mfa/email/totp_activated",
    "mfa/email/totp_deactivated",
    "mfa/email/recovery_codes_generated",
}
# Emails it never sends, and why. Turning one of these features on means writing its templates here.
NEVER_SENT = {
    "account/email/account_already_exists": "no sign-up",
    "account/email/unknown_account": "ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False",
    "account/email/email_confirmation": "ACCOUNT_EMAIL_VERIFICATION = none; no email pages mounted",
    "account/email/email_confirmation_signup": "no sign-up",
    "account/email/email_changed": "no email pages mounted (staff change emails)",
    "account/email/email_deleted": "no email pages mounted",
    "account/email/email_confirm": "no email pages mounted",
    "account/email/login_code": "no login by code",
    "account/email/password_reset_code": "ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False",
    "mfa/email/webauthn_added": "MFA_SUPPORTED_TYPES has no webauthn",
    "mfa/email/webauthn_removed": "MFA_SUPPORTED_TYPES has no webauthn",
}


def allauth_email_prefixes() -> set[str]:
    return {
        str(path.relative_to(ALLAUTH_TEMPLATES)).removesuffix("_subject.txt")
        for app in ("account", "mfa")  # the installed allauth apps that send email (no socialaccount)
        for path in (ALLAUTH_TEMPLATES / app / "email").glob("*_subject.txt")
    }


def test_every_allauth_email_is_either_sent_with_our_templates_or_known_to_be_unused():
    assert allauth_email_prefixes() == SENT | set(NEVER_SENT), (
        "allauth's emails changed: give a new one subject/text/HTML templates of ours, or say why it is never sent"
    )
    for prefix in SENT:
        for suffix in ("_subject.txt", "_message.txt", "_message.html"):
            origin = get_template(prefix + suffix).origin.name
            assert "site-packages" not in origin, f"{prefix}{suffix} is allauth's own template"


@pytest.mark.parametrize("prefix", sorted(SENT | set(NEVER_SENT)))
def test_any_allauth_email_renders_as_the_portal_in_the_readers_language(prefix, russian_rep, rf):
    context = {
        "user": russian_rep,
        "password_reset_url": "http://127.0.0.1:8000/accounts/password/reset/key/x-y/",
        "code": "123456",
        "activate_url": "http://127.0.0.1:8000/x/",
        "signup_url": "http://127.0.0.1:8000/x/",
        "email": "rep@alpha.example",
        "from_email": "old@alpha.example",
        "to_email": "new@alpha.example",
        "deleted_email": "old@alpha.example",
        "ip": "127.0.0.1",
        "user_agent": "Firefox",
        "timestamp": timezone.now(),
    }

    message = PortalAccountAdapter(rf.get("/")).render_mail(prefix, "rep@alpha.example", context)

    assert message.subject.endswith(f" — {RU_PORTAL}")
    assert message.from_email == f"{RU_PORTAL} <noreply@misty.example>"
    assert message.body.startswith("Здравствуйте, Alice!"), message.body
    assert "Hello from" not in message.body and "example.com" not in message.body
    assert re.search(r"[а-я]", message.subject), f"{prefix}: the subject is not in Russian: {message.subject}"
    if prefix in SENT:
        assert '<html lang="ru">' in html_of(message)
