"""Keys of the visits API: created by staff, shown once, stored as a hash, revoked, checked on every call.

A key reads `misty_<prefix>.<secret>`: the prefix (10 characters of base32, unique) finds the row, the secret
(43 characters of `secrets.token_urlsafe`) is compared — as SHA-256, in constant time — with the stored hash.
A fast hash is right for a long random secret: nobody guesses 256 bits, so the slow, salted hashes made for
passwords add nothing but time to every request. The last use is written at most once a minute, by one
conditional UPDATE, so a busy key does not write on every call.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

import auditlog
from accounts.capabilities import Capability, has_capability
from accounts.models import User
from portal.exceptions import ApplicationError
from projects.models import Project
from visits import events
from visits.models import ApiKey

LEAD = "misty_"
LAST_USED_EVERY = datetime.timedelta(minutes=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_prefix() -> str:
    return base64.b32encode(secrets.token_bytes(10)).decode().lower()[:10]


def looks_like_a_key(text: str) -> bool:
    return LEAD in (text or "")


@transaction.atomic
def api_key_create(*, project: Project, name: str, actor: User) -> tuple[ApiKey, str]:
    """A new key of `project`; returns the row and the whole key, which is shown once and never again."""
    if not has_capability(actor, Capability.MANAGE_PROJECTS):
        raise ApplicationError(_("Only an administrator can create API keys."))
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Name the key: where it is used, e.g. “Loyalty app, till 1”."))
    secret = secrets.token_urlsafe(32)
    for _attempt in range(5):  # 50 random bits rarely collide; the unique prefix decides, never a check first
        prefix = _new_prefix()
        try:
            with transaction.atomic():
                key = ApiKey.objects.create(
                    project=project, name=name[:100], prefix=prefix, secret_hash=_hash(secret), created_by=actor
                )
            break
        except IntegrityError:
            continue
    else:
        raise RuntimeError("no free API key prefix after five draws")
    auditlog.record(
        actor=actor,
        event=events.API_KEY_CREATED,
        obj=key,
        project=project,
        changes={"name": key.name, "prefix": prefix},
    )
    return key, f"{LEAD}{prefix}.{secret}"


@transaction.atomic
def api_key_revoke(*, key: ApiKey, actor: User) -> ApiKey:
    if not has_capability(actor, Capability.MANAGE_PROJECTS):
        raise ApplicationError(_("Only an administrator can revoke API keys."))
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is not None:
        raise ApplicationError(_("This key is already revoked."))
    key.revoked_at, key.revoked_by = timezone.now(), actor
    key.save(update_fields=["revoked_at", "revoked_by"])
    auditlog.record(
        actor=actor, event=events.API_KEY_REVOKED, obj=key, project=key.project, changes={"prefix": key.prefix}
    )
    return key


@dataclass(frozen=True)
class Check:
    key: ApiKey | None
    problem: str = ""  # "" | "missing_key" | "invalid_key" | "revoked_key" | "inactive_project"
    prefix: str = ""  # what the caller sent as the prefix (for the journal; never the secret)


def api_key_check(presented: str | None) -> Check:
    """Which key this is, or why it is none. One indexed read; the secret is compared in constant time."""
    if not presented:
        return Check(None, "missing_key")
    text = presented.strip()
    if text.lower().startswith("bearer "):
        text = text[7:].strip()
    if not text.startswith(LEAD) or "." not in text:
        return Check(None, "invalid_key")
    prefix, _dot, secret = text[len(LEAD) :].partition(".")
    prefix = prefix[:16]
    key = ApiKey.objects.select_related("project").filter(prefix=prefix).first()
    if key is None or not constant_time_compare(key.secret_hash, _hash(secret)):
        return Check(None, "invalid_key", prefix)
    if key.revoked_at is not None:
        return Check(None, "revoked_key", prefix)
    if not key.project.active:
        return Check(None, "inactive_project", prefix)
    return Check(key, "", prefix)


def api_key_touch(key: ApiKey) -> None:
    """Write the last use, at most once a minute: one conditional UPDATE."""
    now = timezone.now()
    ApiKey.objects.filter(Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY), pk=key.pk).update(
        last_used_at=now
    )
