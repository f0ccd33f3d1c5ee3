"""allauth's sign-in forms, plus the one thing allauth does not report: a lockout.

When allauth's rate limit refuses an attempt (5 failures per 5 minutes per email, 20 a minute per IP; the
same per user at the two-factor step) it raises "too many login attempts" before checking the password
or the code, so no failed-login signal is sent. These subclasses journal that refusal
(`accounts.login_locked_out`, bounded by `auditlog.throttle`) and change nothing else.
Installed by ACCOUNT_FORMS["login" / "reauthenticate"] and MFA_FORMS["authenticate" / "reauthenticate"].
"""

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ReauthenticateForm as AllauthReauthenticateForm
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from accounts import events
from auditlog.hooks import request_refused

LOCKOUT_CODE = "too_many_login_attempts"  # allauth's error key


def _is_lockout(error: ValidationError) -> bool:
    return any(getattr(e, "code", None) == LOCKOUT_CODE for e in error.error_list)


def journal_lockout(request, *, email: str, stage: str, user=None) -> None:
    """`user` is known at the two-factor step (and is the actor); at the password step only the typed email."""
    email = (email or "").strip()[:254]
    target = user
    if target is None and email:
        target = get_user_model()._default_manager.filter(email__iexact=email).first()
    request_refused(
        request=request,
        event=events.LOGIN_LOCKED_OUT,
        actor=user,
        obj=target,
        object_text=email,
        changes={"email": email, "stage": stage},
        detail=f"{stage}:{email.lower()}",
    )


class LoginForm(AllauthLoginForm):
    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            if _is_lockout(error):
                journal_lockout(self.request, email=self.cleaned_data.get("login", ""), stage="password")
            raise


class PasswordReauthenticateForm(AllauthReauthenticateForm):
    def clean_password(self):
        try:
            return super().clean_password()
        except ValidationError as error:
            if _is_lockout(error):
                journal_lockout(context.request, email=self.user.email, stage="reauthentication", user=self.user)
            raise


class _JournalsTwoFactorLockout:
    def clean_code(self):
        try:
            return super().clean_code()
        except ValidationError as error:
            if _is_lockout(error):
                journal_lockout(context.request, email=self.user.email, stage="2fa", user=self.user)
            raise


class TwoFactorAuthenticateForm(_JournalsTwoFactorLockout, AuthenticateForm):
    pass


class TwoFactorReauthenticateForm(_JournalsTwoFactorLockout, ReauthenticateForm):
    pass
