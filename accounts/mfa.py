"""allauth's MFA adapter (`MFA_ADAPTER`): TOTP secrets and recovery-code seeds are encrypted at rest.

allauth stores them in `Authenticator.data` and passes every one through the adapter's `encrypt()` /
`decrypt()` hooks. We use Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) with the key(s) in
`MFA_ENCRYPTION_KEY`: one URL-safe base64 32-byte key (`Fernet.generate_key()`), or several separated by
commas to rotate — the first encrypts, every one decrypts. A database dump alone no longer gives anyone
the second factor of every account.
"""

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class MFASecretUnreadable(Exception):
    """A stored MFA secret does not decrypt with MFA_ENCRYPTION_KEY: wrong key, or not encrypted by us."""


def cipher_from_setting(value) -> MultiFernet:
    keys = [key.strip() for key in str(value or "").split(",") if key.strip()]
    if not keys:
        raise ImproperlyConfigured("MFA_ENCRYPTION_KEY is empty: set it to a key from Fernet.generate_key().")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "MFA_ENCRYPTION_KEY must be URL-safe base64 32-byte Fernet keys, comma-separated."
        ) from error


def _cipher() -> MultiFernet:
    return cipher_from_setting(getattr(settings, "MFA_ENCRYPTION_KEY", ""))


class PortalMFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return _cipher().encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, encrypted_text: str) -> str:
        try:
            return _cipher().decrypt(str(encrypted_text).encode("utf-8")).decode("utf-8")
        except InvalidToken as error:
            # Never fall back to using the stored value as it is: a TOTP check must not quietly run
            # against garbage (or against a secret stored in the clear by someone else).
            raise MFASecretUnreadable(
                "A stored two-factor secret cannot be decrypted with MFA_ENCRYPTION_KEY "
                "(a wrong or rotated-out key, or a value that was not encrypted by this portal)."
            ) from error
