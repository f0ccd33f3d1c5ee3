"""The one-time link of an invitation: made and checked with Django's signing, never stored.

A link carries the user's id and a fingerprint of the account's state (password hash, status, the time
of the latest invitation), signed with SECRET_KEY and time-stamped by `TimestampSigner`:
* it expires PORTAL_INVITATION_DAYS after it was made (the signature's timestamp);
* setting the password changes the hash and the status, so a used link stops working;
* sending the invitation again moves `invited_at`, so every older link stops working;
* blocking the account stops it too.
Nothing about the link is stored, so neither the database nor the email outbox holds a usable secret: the
email's link is made when the email is built (`invitation_link`, the event's `email_link`).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.models import User, UserStatus

SALT = "accounts.invitation"


class LinkState(enum.StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    USED = "used"  # the password is set: the person signs in instead
    REPLACED = "replaced"  # a newer invitation was sent
    INVALID = "invalid"  # forged, mangled, unknown or blocked account


@dataclass(frozen=True)
class CheckedLink:
    state: LinkState
    user: User | None = None


def lifetime() -> dt.timedelta:
    return dt.timedelta(days=settings.PORTAL_INVITATION_DAYS)


def expires_at(user: User) -> dt.datetime:
    return (user.invited_at or timezone.now()) + lifetime()


def _fingerprint(user: User) -> str:
    invited = user.invited_at.isoformat() if user.invited_at else ""
    state = f"{user.pk}|{user.password}|{user.status}|{invited}"
    return salted_hmac(SALT, state, algorithm="sha256").hexdigest()[:32]


def make_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "f": _fingerprint(user)}, salt=SALT, compress=True)


def invitation_path(user: User) -> str:
    return reverse("invitation_accept", kwargs={"token": make_token(user)})


def invitation_link(user: User) -> str:
    """The link an invitation email carries: a fresh one-time link while the person is invited, else the login."""
    from notifications.rendering import base_url

    if user.status != UserStatus.INVITED:
        return base_url() + reverse("account_login")
    return base_url() + invitation_path(user)


def check_token(token: str) -> CheckedLink:
    try:
        payload = signing.loads(token, salt=SALT, max_age=lifetime())
    except signing.SignatureExpired:
        user = _user_of_expired(token)
        if user is not None and user.status != UserStatus.INVITED:
            return CheckedLink(LinkState.USED if user.status == UserStatus.ACTIVE else LinkState.INVALID)
        return CheckedLink(LinkState.EXPIRED, user)
    except signing.BadSignature:
        return CheckedLink(LinkState.INVALID)
    user = User.objects.filter(pk=payload.get("u")).first() if isinstance(payload, dict) else None
    if user is None or user.status == UserStatus.BLOCKED:
        return CheckedLink(LinkState.INVALID)
    if user.status == UserStatus.ACTIVE:
        return CheckedLink(LinkState.USED, user)
    if not constant_time_compare(str(payload.get("f", "")), _fingerprint(user)):
        return CheckedLink(LinkState.REPLACED, user)
    return CheckedLink(LinkState.VALID, user)


def _user_of_expired(token: str) -> User | None:
    """The account an expired (but genuinely signed) link names: to say "expired" rather than "invalid"."""
    try:
        payload = signing.loads(token, salt=SALT)  # no max_age: the signature is still checked
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=payload.get("u")).first() if isinstance(payload, dict) else None
