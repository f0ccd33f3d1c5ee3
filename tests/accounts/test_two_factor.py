"""TOTP two-factor authentication through allauth's real MFA pages, and the staff enrolment rule
(PORTAL_STAFF_REQUIRE_2FA)."""

import html
import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import translation

SECRET_FIELD = re.compile(
    r'id="authenticator_secret"[^>]*value="([A-Z2-7=]+)"|value="([A-Z2-7=]+)"[^>]*id="authenticator_secret"'
)


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The code an authenticator app shows now (RFC 6238 via allauth's own HOTP helper)."""
    counter = int(time.time() if at is None else at) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def wait_for_a_fresh_totp_window(seconds_needed: float = 2) -> None:
    """allauth accepts only the current 30 s window (TOTP_TOLERANCE = 0): never start near its end."""
    left = mfa_settings.TOTP_PERIOD - (time.time() % mfa_settings.TOTP_PERIOD)
    if left < seconds_needed:
        time.sleep(left + 0.05)


def post_login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


def incorrect_code_message():
    with translation.override("en"):
        return str(get_mfa_adapter().error_messages["incorrect_code"])


def open_totp_activation(client, password: str) -> str:
    """Open the activation page the way a person does — confirming the password first, as allauth asks
    before any MFA change, even right after login — and copy the secret it shows."""
    page = client.get(reverse("mfa_activate_totp"))
    if page.status_code == 302 and page["Location"].startswith(reverse("account_reauthenticate")):
        assert client.get(page["Location"]).status_code == 200
        confirmed = client.post(page["Location"], {"password": password})
        assert confirmed.status_code == 302 and confirmed["Location"] == reverse("mfa_activate_totp")
        page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200, page.get("Location")
    match = SECRET_FIELD.search(page.content.decode())
    assert match, "the activation page shows the secret"
    secret = match.group(1) or match.group(2)
    assert secret == client.session["mfa.totp.secret"]
    return secret


def enrol_totp(client, password: str) -> tuple[str, list[str]]:
    """Activate TOTP with the code the app shows; return the secret and the recovery codes."""
    secret = open_totp_activation(client, password)
    wait_for_a_fresh_totp_window()
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("mfa_view_recovery_codes")

    codes_page = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    textarea = re.search(r'<textarea[^>]*id="recovery_codes"[^>]*>(.*?)</textarea>', codes_page, re.S)
    assert textarea, "the recovery codes page lists the codes"
    recovery_codes = html.unescape(textarea.group(1)).split()
    return secret, recovery_codes


@pytest.fixture
def rep_with_totp(client, rep_a, persona_password):
    assert post_login(client, "rep@alpha.example", persona_password)["Location"] == reverse("home")
    secret, recovery_codes = enrol_totp(client, persona_password)
    client.post(reverse("account_logout"))
    assert signed_in_user_id(client) is None
    return secret, recovery_codes


def test_totp_enrolment_creates_the_authenticator_and_recovery_codes(client, rep_a, persona_password):
    post_login(client, "rep@alpha.example", persona_password)

    secret, recovery_codes = enrol_totp(client, persona_password)

    assert Authenticator.objects.filter(user=rep_a, type=Authenticator.Type.TOTP).count() == 1
    assert Authenticator.objects.filter(user=rep_a, type=Authenticator.Type.RECOVERY_CODES).count() == 1
    assert len(recovery_codes) == 10 == len(set(recovery_codes))
    assert "mfa.totp.secret" not in client.session
    # the secret is stored encrypted-or-not by allauth, but it is this secret
    stored = Authenticator.objects.get(user=rep_a, type=Authenticator.Type.TOTP).wrap()
    wait_for_a_fresh_totp_window()
    assert stored.validate_code(totp_code(secret))


def test_totp_enrolment_refuses_a_wrong_code(client, rep_a, persona_password):
    post_login(client, "rep@alpha.example", persona_password)
    secret = open_totp_activation(client, persona_password)
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("mfa_activate_totp"), {"code": wrong}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert incorrect_code_message() in response.content.decode()
    assert not Authenticator.objects.filter(user=rep_a).exists()


def test_login_with_totp_asks_for_the_code_and_accepts_the_right_one(client, rep_a, rep_with_totp, persona_password):
    secret, _ = rep_with_totp

    response = post_login(client, "rep@alpha.example", persona_password)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_user_id(client) is None, "the password alone does not sign in"
    cabinet = client.get(reverse("cabinet:dashboard", kwargs={"project_slug": "alpha"}))
    assert cabinet.status_code == 302 and cabinet["Location"].startswith(reverse("account_login"))

    wait_for_a_fresh_totp_window()
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(rep_a.pk)
    assert client.get(reverse("cabinet:dashboard", kwargs={"project_slug": "alpha"})).status_code == 200


def test_login_with_totp_refuses_a_wrong_code(client, rep_a, rep_with_totp, persona_password):
    secret, _ = rep_with_totp
    post_login(client, "rep@alpha.example", persona_password)
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("mfa_authenticate"), {"code": wrong}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert incorrect_code_message() in response.content.decode()
    assert signed_in_user_id(client) is None


def test_replayed_totp_code_is_refused_within_its_window(client, rep_a, rep_with_totp, persona_password):
    secret, _ = rep_with_totp
    wait_for_a_fresh_totp_window(seconds_needed=5)
    window = int(time.time()) // mfa_settings.TOTP_PERIOD
    code = totp_code(secret)
    post_login(client, "rep@alpha.example", persona_password)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert signed_in_user_id(client) == str(rep_a.pk)
    client.post(reverse("account_logout"))

    post_login(client, "rep@alpha.example", persona_password)
    response = client.post(reverse("mfa_authenticate"), {"code": code}, HTTP_ACCEPT_LANGUAGE="en")

    assert int(time.time()) // mfa_settings.TOTP_PERIOD == window, "still the same window: refused as a replay"
    assert response.status_code == 200
    page = response.content.decode()
    # not "Incorrect code.": the person typed it right and only has to wait for the next one
    assert "This code has already been used. Wait until the app shows a new code and enter that one." in page
    assert incorrect_code_message() not in page
    assert signed_in_user_id(client) is None


def test_recovery_code_signs_in_once(client, rep_a, rep_with_totp, persona_password):
    _, recovery_codes = rep_with_totp
    code = recovery_codes[3]

    post_login(client, "rep@alpha.example", persona_password)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert signed_in_user_id(client) == str(rep_a.pk)
    client.post(reverse("account_logout"))

    post_login(client, "rep@alpha.example", persona_password)
    response = client.post(reverse("mfa_authenticate"), {"code": code}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert incorrect_code_message() in response.content.decode()
    assert signed_in_user_id(client) is None

    # another, unused code still works
    assert client.post(reverse("mfa_authenticate"), {"code": recovery_codes[4]}).status_code == 302
    assert signed_in_user_id(client) == str(rep_a.pk)


# --- staff must enrol (PORTAL_STAFF_REQUIRE_2FA) --------------------------------------------------


def cabinet_pages(project):
    return [
        reverse("home"),
        reverse("staff:dashboard"),
        reverse("staff:projects"),
        reverse("staff:project_detail", kwargs={"slug": project.slug}),
        reverse("profile"),
        reverse("usersessions_list"),
        reverse("account_change_password"),
    ]


@pytest.fixture
def staff_must_enrol(settings):
    settings.PORTAL_STAFF_REQUIRE_2FA = True


@pytest.mark.parametrize("persona", ["moderator", "admin", "director"])
def test_staff_without_totp_is_sent_to_totp_activation_from_every_cabinet_page(
    persona, staff_must_enrol, client, personas, project_a, persona_password
):
    post_login(client, personas[persona].email, persona_password)
    assert signed_in_user_id(client) == str(personas[persona].pk)

    for url in cabinet_pages(project_a):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp"), url

    assert client.get(reverse("admin:index")).status_code == 302


def test_staff_can_use_the_cabinet_after_enrolling(staff_must_enrol, client, moderator, project_a, persona_password):
    post_login(client, "moderator@misty.example", persona_password)
    assert client.get(reverse("staff:dashboard"))["Location"] == reverse("mfa_activate_totp")

    enrol_totp(client, persona_password)

    for url in cabinet_pages(project_a)[1:]:
        assert client.get(url).status_code == 200, url


def test_staff_enrolment_works_after_reauthentication_in_an_old_session(
    staff_must_enrol, client, moderator, persona_password
):
    """A session without a recent login is asked for the password before activation: that page must open."""
    client.force_login(moderator, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(reverse("staff:dashboard"), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    response = client.post(response.redirect_chain[-1][0], {"password": persona_password})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    enrol_totp(client, persona_password)
    assert client.get(reverse("staff:dashboard")).status_code == 200


def test_staff_who_turns_totp_off_is_sent_back_to_activation(staff_must_enrol, client, moderator, persona_password):
    post_login(client, "moderator@misty.example", persona_password)
    enrol_totp(client, persona_password)
    assert client.get(reverse("staff:dashboard")).status_code == 200

    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=moderator, type=Authenticator.Type.TOTP).exists()

    response = client.get(reverse("staff:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_requirement_lets_logout_and_language_through(staff_must_enrol, client, moderator, persona_password):
    post_login(client, "moderator@misty.example", persona_password)

    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    assert client.post(reverse("account_logout")).status_code == 302
    assert signed_in_user_id(client) is None


def test_representative_is_not_asked_to_enrol(staff_must_enrol, client, rep_a, persona_password):
    post_login(client, "rep@alpha.example", persona_password)

    assert client.get(reverse("cabinet:dashboard", kwargs={"project_slug": "alpha"})).status_code == 200
    assert client.get(reverse("profile")).status_code == 200


def test_staff_are_not_asked_to_enrol_when_the_setting_is_off(settings, client, moderator, persona_password):
    settings.PORTAL_STAFF_REQUIRE_2FA = False
    post_login(client, "moderator@misty.example", persona_password)

    assert client.get(reverse("staff:dashboard")).status_code == 200
