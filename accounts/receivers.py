"""Sign-in and account-security events, journaled from Django's and allauth's signals (a lockout, which
sends no signal, is journaled by the sign-in forms: cabinets/auth_forms.py).

Connected in `AccountsConfig.ready()`. allauth sends its two-factor signals from `on_commit`, so those
entries are written just after the change commits rather than inside its transaction.
"""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth import signals as auth_signals

from accounts import events
from accounts.selectors import user_by_email
from auditlog.services import record


def on_logged_in(sender, request, user, **kwargs):
    record(actor=user, event=events.LOGIN, obj=user, request=request)


def on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(actor=user, event=events.LOGOUT, obj=user, request=request)


def on_login_failed(sender, credentials, request=None, **kwargs):
    attempted = str(credentials.get("email") or credentials.get("username") or "").strip()[:254]
    target = user_by_email(attempted)
    record(
        actor=None,
        event=events.LOGIN_FAILED,
        obj=target,
        object_text=attempted,
        changes={"email": attempted},
        request=request,
    )


def on_password_changed(sender, request, user, **kwargs):
    record(actor=user, event=events.PASSWORD_CHANGED, obj=user, request=request)


def on_password_set(sender, request, user, **kwargs):
    record(actor=user, event=events.PASSWORD_SET, obj=user, request=request)


def on_password_reset(sender, request, user, **kwargs):
    record(actor=user, event=events.PASSWORD_RESET, obj=user, request=request)


def _second_factor_event(authenticator, *, added: bool):
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        # Codes come and go with the factor they back up; only (re)generating them is news.
        return events.RECOVERY_CODES_GENERATED if added else None
    return events.TWO_FACTOR_ENABLED if added else events.TWO_FACTOR_DISABLED


def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    event = _second_factor_event(authenticator, added=True)
    if event:
        record(actor=user, event=event, obj=user, request=request, changes={"type": authenticator.type})


def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    event = _second_factor_event(authenticator, added=False)
    if event:
        record(actor=user, event=event, obj=user, request=request, changes={"type": authenticator.type})


def on_authenticator_reset(sender, request, user, authenticator, **kwargs):
    record(
        actor=user,
        event=events.RECOVERY_CODES_GENERATED,
        obj=user,
        request=request,
        changes={"type": authenticator.type},
    )


def on_second_factor_failed(sender, request, user, authenticator, reauthentication=False, **kwargs):
    """A wrong TOTP or recovery code, at sign-in or at re-authentication. allauth sends this only for a
    code it actually checked — its own rate limit (5 per 5 minutes per user) refuses the rest unchecked,
    and those refusals are journaled as lockouts — so the journal cannot be flooded through it."""
    record(
        actor=user,
        event=events.TWO_FACTOR_FAILED,
        obj=user,
        request=request,
        changes={"type": authenticator.type, "reauthentication": bool(reauthentication)},
    )


def connect():
    uid = "auditlog"
    auth_signals.user_logged_in.connect(on_logged_in, dispatch_uid=f"{uid}.login")
    auth_signals.user_logged_out.connect(on_logged_out, dispatch_uid=f"{uid}.logout")
    auth_signals.user_login_failed.connect(on_login_failed, dispatch_uid=f"{uid}.login_failed")
    account_signals.password_changed.connect(on_password_changed, dispatch_uid=f"{uid}.password_changed")
    account_signals.password_set.connect(on_password_set, dispatch_uid=f"{uid}.password_set")
    account_signals.password_reset.connect(on_password_reset, dispatch_uid=f"{uid}.password_reset")
    mfa_signals.authenticator_added.connect(on_authenticator_added, dispatch_uid=f"{uid}.mfa_added")
    mfa_signals.authenticator_removed.connect(on_authenticator_removed, dispatch_uid=f"{uid}.mfa_removed")
    mfa_signals.authenticator_reset.connect(on_authenticator_reset, dispatch_uid=f"{uid}.mfa_reset")
    mfa_signals.authentication_failed.connect(on_second_factor_failed, dispatch_uid=f"{uid}.mfa_failed")
