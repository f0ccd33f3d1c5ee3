"""An administrator resets the second factor of a person who lost their phone: the authenticators go, every
session of the person ends, the journal keeps who did it and why, the person is emailed the reason, and they
sign in with their password again (then set two-factor authentication up anew)."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts import services
from accounts.events import TWO_FACTOR_RESET
from auditlog.models import AuditEvent
from portal.exceptions import ApplicationError
from tests.accounts.test_two_factor import enrol_totp, post_login


def card(user):
    return reverse("staff:user_detail", kwargs={"pk": user.pk})


def reset_url(user):
    return reverse("staff:user_reset_two_factor", kwargs={"pk": user.pk})


@pytest.fixture
def locked_out(client, rep_a, persona_password):
    """rep_a with TOTP and recovery codes, signed out (their phone is lost)."""
    post_login(client, rep_a.email, persona_password)
    enrol_totp(client, persona_password)
    client.post(reverse("account_logout"))
    return rep_a


def test_an_administrator_resets_it_and_the_person_signs_in_with_the_password_alone(
    client, client_as, locked_out, admin, persona_password, django_capture_on_commit_callbacks
):
    assert post_login(client, locked_out.email, persona_password)["Location"] != reverse("home"), "2FA asked"
    client.logout()
    assert UserSession.objects.filter(user=locked_out).exists()

    staff = client_as("admin")
    page = staff.get(card(locked_out)).content.decode()
    assert f'href="{reset_url(locked_out)}"' in page
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        refused = staff.post(reset_url(locked_out), {"reason": ""})
        assert refused.status_code == 200 and Authenticator.objects.filter(user=locked_out).exists()
        done = staff.post(reset_url(locked_out), {"reason": "Lost the phone on a trip"})
    assert done["Location"] == card(locked_out)

    assert not Authenticator.objects.filter(user=locked_out).exists()
    assert not UserSession.objects.filter(user=locked_out).exists(), "every session of the person ended"
    event = AuditEvent.objects.get(event=TWO_FACTOR_RESET)
    assert event.actor == admin and event.object_id == str(locked_out.pk)
    assert event.changes["reason"]["new"] == "Lost the phone on a trip"
    assert event.changes["two_factor"]["old"] == "recovery_codes, totp"
    sent = [m for m in mail.outbox if m.to == [locked_out.email]]
    assert sent and "Lost the phone on a trip" in sent[-1].body

    client.logout()
    assert post_login(client, locked_out.email, persona_password)["Location"] == reverse("home")
    assert client.session.get(SESSION_KEY) == str(locked_out.pk)
    assert f'href="{reset_url(locked_out)}"' not in staff.get(card(locked_out)).content.decode(), "nothing to reset"


@pytest.mark.parametrize("persona", ["moderator", "director", "rep_a"])
def test_only_an_administrator_resets_it(client_as, locked_out, persona):
    response = client_as(persona).post(reset_url(locked_out), {"reason": "Because"})
    assert response.status_code in (403, 404)
    assert Authenticator.objects.filter(user=locked_out).exists()


def test_nobody_resets_their_own_nor_a_person_without_it(admin, rep_b, locked_out):
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={})
    with translation.override("en"):
        with pytest.raises(ApplicationError, match="your own"):
            services.user_reset_two_factor(user=admin, actor=admin, reason="Lost it")
        with pytest.raises(ApplicationError, match="no two-factor"):
            services.user_reset_two_factor(user=rep_b, actor=admin, reason="Lost it")
        with pytest.raises(ApplicationError, match="reason"):
            services.user_reset_two_factor(user=locked_out, actor=admin, reason="  ")
    assert Authenticator.objects.filter(user=admin).exists() and Authenticator.objects.filter(user=locked_out).exists()
    assert not AuditEvent.objects.filter(event=TWO_FACTOR_RESET).exists()
