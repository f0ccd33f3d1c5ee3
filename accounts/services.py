"""Writes about people: every change of a user goes through here (STYLE.md rule 1)."""

import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import auditlog
from accounts import events as audit_events  # this app's codes (accounts/events.py)
from accounts import invitations
from accounts.emails import TWO_FACTOR_RESET_EMAIL, queue_account_email
from accounts.models import STAFF_ROLES, Role, User, UserStatus, normalize_email
from accounts.selectors import email_in_use
from accounts.time_zones import offered_zones
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


def _is_last_active_admin(user: User) -> bool:
    """Would the portal be left without an active administrator if `user` stopped being one?

    Called inside the caller's transaction after locking the administrators' rows, so two administrators
    cannot demote each other at the same moment and leave nobody."""
    if user.role != Role.ADMIN or user.status == UserStatus.BLOCKED:
        return False
    admins = list(
        User.objects.select_for_update()
        .filter(role=Role.ADMIN)
        .exclude(status=UserStatus.BLOCKED)
        .values_list("pk", flat=True)
    )
    return admins == [user.pk]


def _check_may_manage(actor: User, *, user: User | None = None, role: str | None = None) -> None:
    """Staff accounts (and making someone staff) are for administrators only; managing people at all needs
    MANAGE_USERS, which the director and moderators lack."""
    from accounts.capabilities import Capability, has_capability

    if not has_capability(actor, Capability.MANAGE_USERS):
        raise ApplicationError(_("You may not manage users."))
    touches_staff = (user is not None and user.role in STAFF_ROLES) or (role is not None and role in STAFF_ROLES)
    if touches_staff and actor.role != Role.ADMIN:
        raise ApplicationError(_("Only an administrator changes staff accounts and roles."))


@transaction.atomic
def user_block(*, user: User, actor: User, reason: str = "") -> User:
    """Block a user: they cannot log in, and every session they hold ends now."""
    if user.pk == actor.pk:
        raise ApplicationError(_("You cannot block yourself."))
    _check_may_manage(actor, user=user)
    if user.status == UserStatus.BLOCKED:
        return user
    if _is_last_active_admin(user):
        raise ApplicationError(_("This is the last active administrator: make someone else an administrator first."))
    old = user.status
    user.status = UserStatus.BLOCKED
    user.save(update_fields=["status"])
    changes = {"status": (old, user.status)}
    if reason.strip():
        changes["reason"] = ("", reason.strip())
    auditlog.record(actor=actor, event=audit_events.USER_BLOCKED, obj=user, changes=changes)
    # Inside the transaction: the session rows go with the status change, or neither does.
    end_all_sessions(user=user)
    return user


@transaction.atomic
def user_unblock(*, user: User, actor: User, reason: str = "") -> User:
    _check_may_manage(actor, user=user)
    if user.status != UserStatus.BLOCKED:
        return user
    old = user.status
    user.status = UserStatus.ACTIVE if user.has_usable_password() else UserStatus.INVITED
    user.save(update_fields=["status"])
    changes = {"status": (old, user.status)}
    if reason.strip():
        changes["reason"] = ("", reason.strip())
    auditlog.record(actor=actor, event=audit_events.USER_UNBLOCKED, obj=user, changes=changes)
    return user


@transaction.atomic
def user_reset_two_factor(*, user: User, actor: User, reason: str) -> list[str]:
    """An administrator removes a person's second factor — their phone is lost, and without it they cannot
    sign in (staff must use two-factor authentication). The authenticator app, recovery codes and security
    keys go; every session the person has open ends (whoever holds the lost phone may hold one of them too);
    the person is emailed why (in their language, from the account-email task). At the next sign-in they set
    it up again. Returns the kinds removed."""
    reason = (reason or "").strip()
    if user.pk == actor.pk:
        raise ApplicationError(_("Turn your own two-factor authentication off on your security page."))
    _check_may_manage(actor, user=user)
    if not reason:
        raise ApplicationError(_("Give the reason."))
    authenticators = Authenticator.objects.filter(user=user)
    kinds = sorted(set(authenticators.values_list("type", flat=True)))
    if not kinds:
        raise ApplicationError(_("This person has no two-factor authentication to reset."))
    authenticators.delete()
    auditlog.record(
        actor=actor,
        event=audit_events.TWO_FACTOR_RESET,
        obj=user,
        changes={"two_factor": (", ".join(kinds), ""), "reason": ("", reason)},
    )
    end_all_sessions(user=user)
    queue_account_email(
        template_prefix=TWO_FACTOR_RESET_EMAIL, email=user.email, user_id=user.pk, context={"reason": reason}
    )
    return kinds


@transaction.atomic
def user_change_email(*, user: User, email: str, actor: User) -> User:
    """Staff change a person's email, which is their login.

    The old address must stop working everywhere at once: allauth's `EmailAddress` rows of the user are
    replaced by the new address alone (primary, verified — staff set it), so neither a password reset nor
    a login by the old address finds the account, and every session of the user ends."""
    _check_may_manage(actor, user=user)
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
    _check_may_manage(actor, user=user, role=role)
    old = User.objects.select_for_update().filter(pk=user.pk).values_list("role", flat=True).get()
    if old == role:
        return user
    if old == Role.ADMIN and _is_last_active_admin(user):
        raise ApplicationError(_("This is the last active administrator: make someone else an administrator first."))
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


# --- invitations ---------------------------------------------------------------------------------------


def _clean_name(value: str) -> str:
    return " ".join((value or "").split())


@transaction.atomic
def user_invite(
    *,
    actor: User,
    email: str,
    first_name: str,
    last_name: str = "",
    phone: str = "",
    role: str = Role.REPRESENTATIVE,
    language: str = "ru",
    time_zone: str = "Europe/Moscow",
    memberships=(),
) -> User:
    """Create an invited account and email it a one-time link to set a password (accounts.invitations).

    `memberships` is an iterable of (project, right) for a representative, who needs at least one project.
    Nobody chooses, sees or emails the password: the person sets it through the link."""
    from accounts.events import USER_INVITED
    from notifications.services import notify

    if role not in Role.values:
        raise ApplicationError(_("Unknown role."))
    _check_may_manage(actor, role=role)
    if language not in dict(User._meta.get_field("language").choices):
        raise ApplicationError(_("Unknown language."))
    if time_zone not in offered_zones():
        raise ApplicationError(_("Unknown time zone."))
    email = normalize_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError(_("Enter a valid email address.")) from None
    if email_in_use(email=email):
        raise ApplicationError(_("Another account already uses this email address."))
    first_name, last_name = _clean_name(first_name), _clean_name(last_name)
    if not first_name:
        raise ApplicationError(_("Enter the person's name."))
    memberships = list(memberships)
    if role == Role.REPRESENTATIVE and not memberships:
        raise ApplicationError(_("A representative needs at least one project."))
    if role != Role.REPRESENTATIVE and memberships:
        raise ApplicationError(_("Only representatives are members of projects."))
    user = User(
        email=email,
        first_name=first_name,
        last_name=last_name,
        phone=phone.strip(),
        role=role,
        status=UserStatus.INVITED,
        language=language,
        time_zone=time_zone,
        invited_at=timezone.now(),
        invited_by=actor,
    )
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    _set_memberships(user=user, memberships=dict(_membership_rights(memberships)))
    auditlog.record(
        actor=actor,
        event=audit_events.USER_INVITED_AUDIT,
        obj=user,
        changes={
            "email": ("", email),
            "role": ("", role),
            "projects": ("", _describe_memberships(user)),
        },
    )
    notify(
        recipients=[user],
        event=USER_INVITED.code,
        context={"inviter_name": actor.get_full_name(), "expires_at": invitations.expires_at(user)},
    )
    return user


@transaction.atomic
def invitation_resend(*, user: User, actor: User) -> User:
    """Send the invitation again with a new link; every earlier link stops working."""
    from accounts.events import USER_INVITED
    from notifications.services import notify

    _check_may_manage(actor, user=user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.status != UserStatus.INVITED:
        raise ApplicationError(_("Only a person who has not set a password yet can be invited again."))
    old = user.invited_at
    user.invited_at = timezone.now()
    user.invited_by = actor
    user.save(update_fields=["invited_at", "invited_by"])
    auditlog.record(
        actor=actor, event=audit_events.USER_INVITATION_RESENT, obj=user, changes={"invited_at": (old, user.invited_at)}
    )
    notify(
        recipients=[user],
        event=USER_INVITED.code,
        context={"inviter_name": actor.get_full_name(), "expires_at": invitations.expires_at(user)},
    )
    return user


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """The invited person sets their password through a valid link: the account becomes active and the
    welcome is sent. The caller validated the password against AUTH_PASSWORD_VALIDATORS (the form)."""
    from accounts.events import USER_WELCOME
    from notifications.services import notify

    checked = invitations.check_token(token)
    if checked.state != invitations.LinkState.VALID:
        raise ApplicationError(invitation_refusal(checked.state))
    user = User.objects.select_for_update().get(pk=checked.user.pk)
    if invitations.check_token(token).state != invitations.LinkState.VALID:  # used meanwhile (a double submit)
        raise ApplicationError(invitation_refusal(invitations.LinkState.USED))
    user.set_password(password)
    user.status = UserStatus.ACTIVE
    user.save(update_fields=["password", "status"])
    auditlog.record(
        actor=user, event=audit_events.USER_ACTIVATED, obj=user, changes={"status": (UserStatus.INVITED, user.status)}
    )
    notify(recipients=[user], event=USER_WELCOME.code, link="/")
    return user


@transaction.atomic
def invitation_renew_expired(*, token: str) -> User | None:
    """The person behind an expired (but genuinely signed) link asks for a new one: it goes to the account's
    own address only, so asking reveals nothing and sends nothing elsewhere. Once per hour per account."""
    from accounts.events import USER_INVITED
    from notifications.services import notify

    checked = invitations.check_token(token)
    if checked.state != invitations.LinkState.EXPIRED or checked.user is None:
        return None
    user = User.objects.select_for_update().get(pk=checked.user.pk)
    if user.status != UserStatus.INVITED or (user.invited_at and timezone.now() - user.invited_at < RENEW_EVERY):
        return None
    old = user.invited_at
    user.invited_at = timezone.now()
    user.save(update_fields=["invited_at"])
    auditlog.record(
        actor=user, event=audit_events.USER_INVITATION_RESENT, obj=user, changes={"invited_at": (old, user.invited_at)}
    )
    inviter = user.invited_by.get_full_name() if user.invited_by_id else _("Misty Partner Portal")
    notify(
        recipients=[user],
        event=USER_INVITED.code,
        context={"inviter_name": inviter, "expires_at": invitations.expires_at(user)},
    )
    return user


RENEW_EVERY = datetime.timedelta(hours=1)


def invitation_refusal(state) -> str:
    """What a person opening a link that does not work is told (the page offers to ask for a new one)."""
    return {
        invitations.LinkState.EXPIRED: _("This invitation link has expired."),
        invitations.LinkState.USED: _("This invitation link has already been used: sign in with your password."),
        invitations.LinkState.REPLACED: _("A newer invitation was sent to you: use the link in the latest email."),
    }.get(state, _("This invitation link is not valid."))


# --- projects and rights of a representative ---------------------------------------------------------------


def _membership_rights(memberships):
    """(project, right) pairs → {project: right}, refusing an unknown right or a project named twice."""
    from projects.models import ProjectRight

    rights = {}
    for project, right in memberships:
        if right not in ProjectRight.values:
            raise ApplicationError(_("Unknown right in a project."))
        if project in rights:
            raise ApplicationError(_("A project is named twice."))
        rights[project] = right
    return rights.items()


def _describe_memberships(user: User) -> str:
    from projects.models import Membership

    # Codes, not labels: the journal stores what happened, and its pages translate when they show it.
    rows = Membership.objects.filter(user=user).select_related("project").order_by("project__slug")
    return ", ".join(f"{m.project.slug}: {m.right}" for m in rows)


def _set_memberships(*, user: User, memberships: dict) -> bool:
    """Make `user`'s memberships exactly `memberships` ({project: right}); True if anything changed."""
    from projects.models import Membership

    current = {m.project_id: m for m in Membership.objects.select_for_update().filter(user=user)}
    wanted = {project.pk: right for project, right in memberships.items()}
    changed = False
    for project_id, membership in current.items():
        if project_id not in wanted:
            membership.delete()
            changed = True
        elif membership.right != wanted[project_id]:
            membership.right = wanted[project_id]
            membership.save(update_fields=["right"])
            changed = True
    new = [Membership(user=user, project_id=pid, right=right) for pid, right in wanted.items() if pid not in current]
    if new:
        Membership.objects.bulk_create(new)
        changed = True
    return changed


@transaction.atomic
def user_set_memberships(*, user: User, actor: User, memberships) -> User:
    """Set the projects a representative works for and their right in each ((project, right) pairs).

    Removing a project takes its cabinet away at the next request; the journal keeps old and new."""
    _check_may_manage(actor, user=user)
    if user.role != Role.REPRESENTATIVE:
        raise ApplicationError(_("Only representatives are members of projects."))
    rights = dict(_membership_rights(memberships))
    before = _describe_memberships(user)
    if _set_memberships(user=user, memberships=rights):
        auditlog.record(
            actor=actor,
            event=audit_events.USER_MEMBERSHIPS_CHANGED,
            obj=user,
            changes={"projects": (before, _describe_memberships(user))},
        )
    return user


@transaction.atomic
def user_update(*, user: User, actor: User, data: dict) -> User:
    """Staff edit a person's card: contacts (PROFILE_FIELDS), email and role, all or nothing — a refused
    role change leaves the contacts unchanged too. A person who stops being a representative leaves their
    projects (staff are members of none); the journal keeps both changes."""
    _check_may_manage(actor, user=user)
    user = User.objects.select_for_update().get(pk=user.pk)  # the stored row, not a form's edited instance
    role = data.get("role", user.role)
    if role != user.role:
        if user.role == Role.REPRESENTATIVE:
            before = _describe_memberships(user)
            if _set_memberships(user=user, memberships={}):
                auditlog.record(
                    actor=actor,
                    event=audit_events.USER_MEMBERSHIPS_CHANGED,
                    obj=user,
                    changes={"projects": (before, "")},
                )
        user = user_change_role(user=user, role=role, actor=actor)
    if "email" in data:
        user = user_change_email(user=user, email=data["email"], actor=actor)
    contacts = {field: data[field] for field in PROFILE_FIELDS if field in data}
    if "first_name" in contacts:
        contacts["first_name"] = _clean_name(contacts["first_name"])
        if not contacts["first_name"]:
            raise ApplicationError(_("Enter the person's name."))
    return profile_update(user=user, actor=actor, data=contacts)
