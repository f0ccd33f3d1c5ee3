"""Writes about people: every change of a user goes through here (STYLE.md rule 1)."""

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

import auditlog
from accounts import events as audit_events  # this app's codes (accounts/events.py)
from accounts.models import Role, User, UserStatus, normalize_email
from accounts.selectors import email_in_use
from portal.exceptions import ApplicationError

PROFILE_FIELDS = ("first_name", "last_name", "phone", "language", "time_zone")


@transaction.atomic
def profile_update(*, user: User, actor: User, data: dict) -> User:
    # Compare with the stored row, not with `user`: a bound ModelForm has already written the new
    # values onto its instance (request.user), so comparing with it found nothing to save.
    stored = User.objects.select_for_update().filter(pk=user.pk).values(*PROFILE_FIELDS).get()
    changed = {}
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(user, field, data[field])
            if stored[field] != data[field]:
                changed[field] = (stored[field], data[field])
    if changed:
        user.save(update_fields=list(changed))
        auditlog.record(actor=actor, event=audit_events.USER_PROFILE_UPDATED, obj=user, changes=changed)
    return user


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    if language not in dict(User._meta.get_field("language").choices):
        raise ApplicationError(_("Unknown language."))
    if user.language != language:
        old = user.language
        user.language = language
        user.save(update_fields=["language"])
        auditlog.record(
            actor=user, event=audit_events.USER_LANGUAGE_CHANGED, obj=user, changes={"language": (old, language)}
        )
    return user


@transaction.atomic
def user_block(*, user: User, actor: User) -> User:
    """Block a user: they cannot log in, and every session they hold ends now."""
    if user.pk == actor.pk:
        raise ApplicationError(_("You cannot block yourself."))
    if user.status == UserStatus.BLOCKED:
        return user
    old = user.status
    user.status = UserStatus.BLOCKED
    user.save(update_fields=["status"])
    auditlog.record(actor=actor, event=audit_events.USER_BLOCKED, obj=user, changes={"status": (old, user.status)})
    # Inside the transaction: the session rows go with the status change, or neither does.
    end_all_sessions(user=user)
    return user


@transaction.atomic
def user_unblock(*, user: User, actor: User) -> User:
    if user.status != UserStatus.BLOCKED:
        return user
    old = user.status
    user.status = UserStatus.ACTIVE if user.has_usable_password() else UserStatus.INVITED
    user.save(update_fields=["status"])
    auditlog.record(actor=actor, event=audit_events.USER_UNBLOCKED, obj=user, changes={"status": (old, user.status)})
    return user


@transaction.atomic
def user_change_email(*, user: User, email: str, actor: User) -> User:
    """Staff change a person's email, which is their login.

    The old address must stop working everywhere at once: allauth's `EmailAddress` rows of the user are
    replaced by the new address alone (primary, verified — staff set it), so neither a password reset nor
    a login by the old address finds the account, and every session of the user ends."""
    new = normalize_email(email)
    try:
        validate_email(new)
    except ValidationError:
        raise ApplicationError(_("Enter a valid email address.")) from None
    old = User.objects.select_for_update().filter(pk=user.pk).values_list("email", flat=True).get()
    if new == old:
        return user
    if email_in_use(email=new, exclude_user=user):
        raise ApplicationError(_("Another account already uses this email address."))
    user.email = new
    user.save(update_fields=["email"])
    EmailAddress.objects.filter(user=user).delete()
    EmailAddress.objects.create(user=user, email=new, primary=True, verified=True)
    auditlog.record(actor=actor, event=audit_events.USER_EMAIL_CHANGED, obj=user, changes={"email": (old, new)})
    end_all_sessions(user=user)
    return user


@transaction.atomic
def user_change_role(*, user: User, role: str, actor: User) -> User:
    """Change what a person may do. Every session they hold ends: a session opened under the old role
    (a staff session without its second factor, say) must not carry on under the new one."""
    if role not in Role.values:
        raise ApplicationError(_("Unknown role."))
    if user.pk == actor.pk:
        raise ApplicationError(_("You cannot change your own role."))
    old = User.objects.select_for_update().filter(pk=user.pk).values_list("role", flat=True).get()
    if old == role:
        return user
    user.role = role
    user.save(update_fields=["role"])
    auditlog.record(actor=actor, event=audit_events.USER_ROLE_CHANGED, obj=user, changes={"role": (old, role)})
    end_all_sessions(user=user)
    return user


@transaction.atomic
def user_end_other_sessions(*, user: User, keep_session_key: str | None) -> int:
    """ "Sign out of other sessions": end every live session of `user` but the one asking; returns how many
    ended (rows of sessions that had already expired are purged, not counted)."""
    ended = 0
    for session in UserSession.objects.purge_and_list(user):
        if session.session_key != keep_session_key:
            session.end()
            ended += 1
    if ended:
        auditlog.record(actor=user, event=audit_events.USER_OTHER_SESSIONS_ENDED, obj=user, changes={"sessions": ended})
    return ended


def user_session_seen(*, session_key: str, ip: str | None, at) -> None:
    """Remember when and from where a session was last used (the "Active sessions" page). Bookkeeping, not
    an audit event: the web calls it at most once every few minutes per session (cabinets/middleware.py)."""
    values = {"last_seen_at": at}
    if ip:
        values["ip"] = ip
    UserSession.objects.filter(session_key=session_key).update(**values)


def end_all_sessions(*, user: User) -> int:
    """Delete every server-side session of `user` (allauth.usersessions tracks them at login)."""
    ended = 0
    for session in UserSession.objects.filter(user=user):
        session.end()
        ended += 1
    return ended
