"""No Django admin page shows a TOTP secret, a recovery seed or code, or a session key (issue 7), and
allauth's rows are read-only there."""

import json

import pytest
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.urls import reverse

from accounts.models import SignInSession, TwoFactorAuthenticator
from tests.accounts.test_two_factor import enrol_totp, post_login


@pytest.fixture
def secrets_of_rep(client, rep_a, persona_password):
    """Everything about rep_a that must never be shown: the TOTP secret and the recovery seed (as typed and
    as stored), the recovery codes, and the key of every session."""
    post_login(client, rep_a.email, persona_password)
    secret, recovery_codes = enrol_totp(client, persona_password)
    stored = {a.type: a.data for a in Authenticator.objects.filter(user=rep_a)}
    seed = get_mfa_adapter().decrypt(stored[Authenticator.Type.RECOVERY_CODES]["seed"])
    session_keys = list(UserSession.objects.values_list("session_key", flat=True))
    assert client.session.session_key in session_keys
    return [
        secret,
        stored[Authenticator.Type.TOTP]["secret"],
        seed,
        stored[Authenticator.Type.RECOVERY_CODES]["seed"],
        *recovery_codes,
        *session_keys,
        *Session.objects.values_list("session_key", flat=True),
    ]


@pytest.fixture
def admin_client(admin):
    from django.test import Client

    client = Client()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    return client


def admin_pages(rep):
    pages = [
        reverse("admin:accounts_twofactorauthenticator_changelist"),
        reverse("admin:accounts_signinsession_changelist"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[rep.pk]),
        reverse("admin:accounts_user_delete", args=[rep.pk]),
        reverse("admin:account_emailaddress_changelist"),
        reverse("admin:index"),
    ]
    pages += [
        reverse("admin:accounts_twofactorauthenticator_change", args=[pk])
        for pk in TwoFactorAuthenticator.objects.filter(user=rep).values_list("pk", flat=True)
    ]
    pages += [
        reverse("admin:accounts_signinsession_change", args=[pk])
        for pk in SignInSession.objects.values_list("pk", flat=True)
    ]
    return pages


def test_no_admin_page_shows_a_secret_or_a_session_key(admin_client, rep_a, secrets_of_rep):
    admin_client.get(reverse("admin:index"))  # the administrator's own session is tracked too
    secrets = [*secrets_of_rep, *UserSession.objects.values_list("session_key", flat=True)]
    assert len(admin_pages(rep_a)) >= 10

    for url in admin_pages(rep_a):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        shown = [s for s in secrets if s and (s in page or json.dumps(s)[1:-1] in page)]
        assert not shown, f"{url} shows {shown}"


def test_second_factors_and_sessions_are_listed_by_person(admin_client, rep_a, secrets_of_rep):
    page = admin_client.get(reverse("admin:accounts_twofactorauthenticator_changelist")).content.decode()
    assert rep_a.full_name in page

    page = admin_client.get(reverse("admin:accounts_signinsession_changelist")).content.decode()
    assert rep_a.full_name in page


def test_allauths_own_admin_pages_are_gone(admin_client, db):
    for path in ("/django-admin/mfa/authenticator/", "/django-admin/usersessions/usersession/"):
        assert admin_client.get(path).status_code == 404, path


def test_allauths_rows_are_read_only_in_the_admin(admin_client, rep_a, secrets_of_rep):
    authenticator = TwoFactorAuthenticator.objects.filter(user=rep_a).first()
    session = SignInSession.objects.first()
    address_add = reverse("admin:account_emailaddress_add")

    assert admin_client.get(reverse("admin:accounts_twofactorauthenticator_add")).status_code == 403
    assert admin_client.get(reverse("admin:accounts_signinsession_add")).status_code == 403
    assert admin_client.get(address_add).status_code == 403
    assert (
        admin_client.post(address_add, {"user": rep_a.pk, "email": "thief@evil.example", "verified": "on"}).status_code
        == 403
    )
    change = reverse("admin:accounts_twofactorauthenticator_change", args=[authenticator.pk])
    assert admin_client.post(change, {"type": "totp"}).status_code == 403
    delete = reverse("admin:accounts_signinsession_delete", args=[session.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Authenticator.objects.filter(user=rep_a).count() == 2
    assert UserSession.objects.filter(pk=session.pk).exists()
