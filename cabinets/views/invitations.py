"""The page an invitation email links to: the invited person sets a password and is signed in."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from accounts import invitations, services
from portal.exceptions import ApplicationError
from portal.forms import BootstrapFormMixin

SIGN_IN_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


class InvitationPasswordForm(BootstrapFormMixin, SetPasswordForm):
    """Django's set-password form (AUTH_PASSWORD_VALIDATORS, typed twice); saving goes through the service."""


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def invitation_accept(request, token):
    checked = invitations.check_token(token)
    if request.method == "POST" and request.POST.get("action") == "renew":
        renewed = services.invitation_renew_expired(token=token)
        return render(request, "account/invitation_renewed.html", {"renewed": renewed is not None})
    if checked.state != invitations.LinkState.VALID:
        return render(
            request,
            "account/invitation_invalid.html",
            {"message": services.invitation_refusal(checked.state), "state": checked.state.value},
        )
    form = InvitationPasswordForm(checked.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(token=token, password=form.cleaned_data["new_password1"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("account_login")
        login(request, user, backend=SIGN_IN_BACKEND)
        messages.success(request, _("Welcome, %(name)s! Your password is set.") % {"name": user.get_short_name()})
        return redirect("home")
    return render(request, "account/invitation_accept.html", {"form": form, "invitee": checked.user})
