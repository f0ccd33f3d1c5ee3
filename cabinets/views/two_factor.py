from allauth.mfa.totp.views import ActivateTOTPView as AllauthActivateTOTPView

from cabinets.sign_in_records import remember_enrolment


class ActivateTOTPView(AllauthActivateTOTPView):
    """allauth's TOTP activation; a valid code typed here counts as using the second factor in this
    session (allauth's own `authenticator_added` signal fires only on commit, too late and not in tests)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        remember_enrolment(self.request)
        return response


activate_totp = ActivateTOTPView.as_view()
