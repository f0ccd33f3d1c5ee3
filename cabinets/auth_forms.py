"""allauth's sign-in forms as people meet them (ACCOUNT_FORMS and MFA_FORMS in portal/settings/base.py).

* Code fields bring up the digit keypad on phones and accept the code the phone offers
  (`inputmode="numeric"`, `autocomplete="one-time-code"`, digits only). TOTP and recovery codes are
  both digits (allauth's RECOVERY_CODE_DIGITS), so one field serves both.
* Each code field says which code it wants; allauth's Russian catalog calls the secret and the code the
  same thing ("Код аутентификатора").
* A code that was right but already used says so, instead of allauth's "Incorrect code.".
* A lockout is journaled: when allauth's rate limit refuses an attempt (5 failures per 5 minutes per email,
  20 a minute per IP; the same per user at the two-factor step) it raises "too many login attempts" before
  checking the password or the code, so no failed-login signal is sent. These forms journal that refusal
  (`accounts.login_locked_out`, bounded by `auditlog.throttle`).
"""

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ReauthenticateForm as AllauthReauthenticateForm
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts import events
from accounts.selectors import user_by_email
from accounts.two_factor import totp_code_was_used
from auditlog.hooks import request_refused

LOCKOUT_CODE = "too_many_login_attempts"  # allauth's error key


def _is_lockout(error: ValidationError) -> bool:
    return any(getattr(e, "code", None) == LOCKOUT_CODE for e in error.error_list)


def journal_lockout(request, *, email: str, stage: str, user=None) -> None:
    """`user` is known at the two-factor step (and is the actor); at the password step only the typed email."""
    email = (email or "").strip()[:254]
    target = user if user is not None else user_by_email(email)
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


def code_field(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]*",
                "placeholder": "123456",
            }
        ),
    )


class PortalActivateTOTPForm(ActivateTOTPForm):
    code = code_field(_("Code from the app"))


class ReplayAwareCodeMixin:
    def clean_code(self) -> str:
        try:
            return super().clean_code()
        except ValidationError as error:
            code = self.cleaned_data.get("code", "")
            if error.code == "incorrect_code" and totp_code_was_used(user=self.user, code=code):
                raise ValidationError(
                    _("This code has already been used. Wait until the app shows a new code and enter that one."),
                    code="code_already_used",
                ) from error
            raise


class PortalAuthenticateForm(ReplayAwareCodeMixin, _JournalsTwoFactorLockout, AuthenticateForm):
    code = code_field(_("Code from the app or a recovery code"))


class PortalReauthenticateForm(ReplayAwareCodeMixin, _JournalsTwoFactorLockout, ReauthenticateForm):
    code = code_field(_("Code from the app or a recovery code"))
