"""allauth's two-factor forms as people meet them (MFA_FORMS in portal/settings/base.py).

* Code fields bring up the digit keypad on phones and accept the code the phone offers
  (`inputmode="numeric"`, `autocomplete="one-time-code"`, digits only). TOTP and recovery codes are
  both digits (allauth's RECOVERY_CODE_DIGITS), so one field serves both.
* Each code field says which code it wants; allauth's Russian catalog calls the secret and the code the
  same thing ("Код аутентификатора").
* A code that was right but already used says so, instead of allauth's "Incorrect code.".
"""

from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.two_factor import totp_code_was_used


def code_field(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=32,
        widget=forms.TextInput(attrs={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "pattern": "[0-9]*",
            "placeholder": "123456",
        }),
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


class PortalAuthenticateForm(ReplayAwareCodeMixin, AuthenticateForm):
    code = code_field(_("Code from the app or a recovery code"))


class PortalReauthenticateForm(ReplayAwareCodeMixin, ReauthenticateForm):
    code = code_field(_("Code from the app or a recovery code"))
