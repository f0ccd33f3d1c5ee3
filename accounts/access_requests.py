"""Access requests (SPEC §2): someone without an account asks for one on the public page; an administrator
approves it — which invites the person (`accounts.services.user_invite`) with the project and right chosen
then — or declines it with a reason, which the requester is emailed in the language they asked in.

* One open request per email (a database constraint): a second request from the same address while one is
  open is merged into it — `times_requested` grows, the fields take the newest values, the message is
  appended — so the queue holds one row per person and a persistent visitor cannot fill it.
* Administrators are told of a new request (`accounts.access.requested`); a merged one tells nobody again:
  the queue shows how often the person asked. Moderators and the director see the queue, not the alert —
  they cannot act on it (docs/DECISIONS.md).
* Whether the address already has an account is never shown to the visitor (the page answers the same);
  staff see it on the request's card, and approving such a request is refused by `user_invite`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import auditlog
from accounts import events as audit_events
from accounts.capabilities import Capability, has_capability
from accounts.models import AccessRequest, AccessRequestStatus, Language, Role, User, UserStatus, normalize_email
from portal.exceptions import ApplicationError

MESSAGE_MAX = AccessRequest._meta.get_field("message").max_length
REASON_MAX = AccessRequest._meta.get_field("decline_reason").max_length
MERGE_SEPARATOR = "\n\n— {moment}:\n"


def _one_line(value: str, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


def _appended(old: str, new: str) -> str:
    """The open request's message with the new one after it; when too long, the oldest text goes first."""
    if not new:
        return old
    if not old:
        return new[:MESSAGE_MAX]
    moment = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    combined = old + MERGE_SEPARATOR.format(moment=moment) + new
    return combined if len(combined) <= MESSAGE_MAX else "…" + combined[-(MESSAGE_MAX - 1) :]


def access_request_recipients():
    """Who is told of a new request: the active administrators, the only people who can decide it."""
    return User.objects.filter(role=Role.ADMIN, status=UserStatus.ACTIVE)


@transaction.atomic
def access_request_submit(
    *, company: str, name: str, email: str, phone: str = "", message: str = "", language: str = ""
) -> AccessRequest:
    """File a request from the public page, or merge it into the open one of the same email."""
    email = normalize_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError(_("Enter a valid email address.")) from None
    values = {
        "company": _one_line(company, 200),
        "name": _one_line(name, 200),
        "phone": _one_line(phone, 32),
        "message": (message or "").strip()[:MESSAGE_MAX],
        "language": language if language in Language.values else settings.LANGUAGE_CODE,
    }
    if not values["company"] or not values["name"]:
        raise ApplicationError(_("Enter your name and your company or project."))
    existing = AccessRequest.objects.select_for_update().filter(email=email, status=AccessRequestStatus.OPEN).first()
    if existing is None:
        try:
            with transaction.atomic():  # a savepoint: a simultaneous first request of this email may win
                access_request = AccessRequest.objects.create(email=email, **values)
        except IntegrityError:
            existing = AccessRequest.objects.select_for_update().get(email=email, status=AccessRequestStatus.OPEN)
        else:
            _announce(access_request)
            return access_request
    return _merge(existing, values)


def _announce(access_request: AccessRequest) -> None:
    from accounts.events import ACCESS_REQUESTED
    from notifications.services import notify

    auditlog.record(
        actor=None,
        event=audit_events.ACCESS_REQUEST_SUBMITTED,
        obj=access_request,
        changes={"email": ("", access_request.email), "company": ("", access_request.company)},
    )
    notify(
        recipients=access_request_recipients(),
        event=ACCESS_REQUESTED.code,
        context={
            "requester_name": access_request.name,
            "requester_email": access_request.email,
            "project_name": access_request.company,
            "message": access_request.message,
        },
        link=reverse("staff:access_request_detail", kwargs={"pk": access_request.pk}),
    )


def _merge(access_request: AccessRequest, values: dict) -> AccessRequest:
    changes = {}
    for field in ("company", "name", "phone", "language"):
        new = values[field]
        if new and new != getattr(access_request, field):
            changes[field] = (getattr(access_request, field), new)
            setattr(access_request, field, new)
    if values["message"]:
        access_request.message = _appended(access_request.message, values["message"])
        changes["message"] = ("", values["message"])
    old_times = access_request.times_requested
    access_request.times_requested = old_times + 1
    changes["times_requested"] = (old_times, access_request.times_requested)
    access_request.save()
    auditlog.record(actor=None, event=audit_events.ACCESS_REQUEST_MERGED, obj=access_request, changes=changes)
    return access_request


def _check_may_decide(actor: User) -> None:
    if not has_capability(actor, Capability.MANAGE_USERS):
        raise ApplicationError(_("Only an administrator decides access requests."))


def _locked_open(access_request: AccessRequest) -> AccessRequest:
    locked = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if locked.status != AccessRequestStatus.OPEN:
        raise ApplicationError(_("This request has already been decided."))
    return locked


@transaction.atomic
def access_request_approve(
    *,
    access_request: AccessRequest,
    actor: User,
    first_name: str,
    last_name: str = "",
    role: str = Role.REPRESENTATIVE,
    memberships=(),
) -> User:
    """Invite the requester (their email, phone and language; the role, projects and rights chosen now) and
    close the request. The invitation email is the requester's answer: it says who invited them and carries
    the link to set a password, so no separate "approved" email is sent."""
    from accounts.services import user_invite

    _check_may_decide(actor)
    access_request = _locked_open(access_request)
    user = user_invite(
        actor=actor,
        email=access_request.email,
        first_name=first_name,
        last_name=last_name,
        phone=access_request.phone,
        role=role,
        language=access_request.language,
        memberships=memberships,
    )
    access_request.status = AccessRequestStatus.APPROVED
    access_request.decided_at = timezone.now()
    access_request.decided_by = actor
    access_request.user = user
    access_request.save(update_fields=["status", "decided_at", "decided_by", "user", "updated_at"])
    auditlog.record(
        actor=actor,
        event=audit_events.ACCESS_REQUEST_APPROVED,
        obj=access_request,
        changes={"status": (AccessRequestStatus.OPEN, access_request.status), "account": ("", user.email)},
    )
    return user


@transaction.atomic
def access_request_decline(*, access_request: AccessRequest, actor: User, reason: str) -> AccessRequest:
    """Close the request with a reason; the requester is emailed it, in the language they asked in."""
    from accounts.emails import ACCESS_REQUEST_DECLINED, queue_access_request_email

    _check_may_decide(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Say why the request is declined: the requester receives this reason."))
    if len(reason) > REASON_MAX:
        raise ApplicationError(_("The reason is too long."))
    access_request = _locked_open(access_request)
    access_request.status = AccessRequestStatus.DECLINED
    access_request.decided_at = timezone.now()
    access_request.decided_by = actor
    access_request.decline_reason = reason
    access_request.save(update_fields=["status", "decided_at", "decided_by", "decline_reason", "updated_at"])
    auditlog.record(
        actor=actor,
        event=audit_events.ACCESS_REQUEST_DECLINED,
        obj=access_request,
        changes={"status": (AccessRequestStatus.OPEN, access_request.status), "reason": ("", reason)},
    )
    queue_access_request_email(access_request_id=access_request.pk, template_prefix=ACCESS_REQUEST_DECLINED)
    return access_request
