"""TOTP secrets and recovery-code seeds are encrypted at rest with MFA_ENCRYPTION_KEY (accounts/mfa.py)."""

import json

import pytest
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from cryptography.fernet import Fernet
from django.db import connection
from django.urls import reverse

from accounts.checks import mfa_encryption_key
from accounts.mfa import MFASecretUnreadable, PortalMFAAdapter
from tests.accounts.test_two_factor import (
    enrol_totp,
    post_login,
    signed_in_user_id,
    totp_code,
    wait_for_a_fresh_totp_window,
)


def raw_data(authenticator) -> dict:
    """`Authenticator.data` as the database holds it, read past the ORM."""
    table = Authenticator._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT data FROM {table} WHERE id = %s", [authenticator.pk])
        value = cursor.fetchone()[0]
    return json.loads(value) if isinstance(value, str) else value


def test_the_configured_adapter_is_the_portals():
    assert isinstance(get_mfa_adapter(), PortalMFAAdapter)


def test_totp_secret_is_stored_encrypted_and_the_code_still_signs_in(client, rep_a, persona_password):
    post_login(client, rep_a.email, persona_password)
    secret, recovery_codes = enrol_totp(client, persona_password)
    client.post(reverse("account_logout"))

    totp = Authenticator.objects.get(user=rep_a, type=Authenticator.Type.TOTP)
    stored = raw_data(totp)
    assert stored["secret"] != secret
    assert secret not in json.dumps(stored)
    assert get_mfa_adapter().decrypt(stored["secret"]) == secret

    seed_row = Authenticator.objects.get(user=rep_a, type=Authenticator.Type.RECOVERY_CODES)
    seed = get_mfa_adapter().decrypt(raw_data(seed_row)["seed"])
    assert raw_data(seed_row)["seed"] != seed
    assert RecoveryCodes(seed_row).generate_codes() == recovery_codes

    assert post_login(client, rep_a.email, persona_password)["Location"] == reverse("mfa_authenticate")
    wait_for_a_fresh_totp_window()
    assert client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)}).status_code == 302
    assert signed_in_user_id(client) == str(rep_a.pk)


def test_each_encryption_of_the_same_secret_differs():
    adapter = PortalMFAAdapter()
    assert adapter.encrypt("JBSWY3DPEHPK3PXP") != adapter.encrypt("JBSWY3DPEHPK3PXP")


def test_garbage_or_a_secret_stored_in_the_clear_fails_loudly():
    adapter = PortalMFAAdapter()
    for stored in ("JBSWY3DPEHPK3PXP", "", "gAAAAA-not-a-token"):
        with pytest.raises(MFASecretUnreadable, match="MFA_ENCRYPTION_KEY"):
            adapter.decrypt(stored)


def test_a_secret_encrypted_with_another_key_is_refused(settings):
    encrypted = PortalMFAAdapter().encrypt("JBSWY3DPEHPK3PXP")
    settings.MFA_ENCRYPTION_KEY = Fernet.generate_key().decode()

    with pytest.raises(MFASecretUnreadable):
        PortalMFAAdapter().decrypt(encrypted)


def test_keys_rotate_new_first_old_still_decrypts(settings):
    old_key = settings.MFA_ENCRYPTION_KEY
    encrypted_with_old = PortalMFAAdapter().encrypt("JBSWY3DPEHPK3PXP")
    new_key = Fernet.generate_key().decode()
    settings.MFA_ENCRYPTION_KEY = f"{new_key},{old_key}"

    assert PortalMFAAdapter().decrypt(encrypted_with_old) == "JBSWY3DPEHPK3PXP"
    encrypted_with_new = PortalMFAAdapter().encrypt("JBSWY3DPEHPK3PXP")
    assert Fernet(new_key.encode()).decrypt(encrypted_with_new.encode()) == b"JBSWY3DPEHPK3PXP"


@pytest.mark.parametrize("value", ["", "not-a-fernet-key", "c2hvcnQ="])
def test_a_missing_or_malformed_key_is_a_system_check_error(settings, value):
    settings.MFA_ENCRYPTION_KEY = value

    assert [problem.id for problem in mfa_encryption_key(None)] == ["portal.E002"]


def test_the_configured_key_passes_the_check():
    assert mfa_encryption_key(None) == []
