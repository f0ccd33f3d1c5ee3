import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.capabilities import capabilities_of
from cabinets.second_factor import session_used_second_factor


class UserPreferencesMiddleware:
    """Applies the signed-in user's language and time zone to the whole request, and exposes their capabilities."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        request.capabilities = capabilities_of(user)
        if user.is_authenticated:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
            if SESSION_KEY in request.session:
                _end_refused_session(request)
        return self.get_response(request)


def _end_refused_session(request) -> None:
    """The session names a user the auth backend refused (blocked — `is_active` is False — or deleted).

    Ignoring it is not enough: a status edited in the Django admin does not run `user_block`, and an
    unblock would bring the old session back. End it at this first request instead.
    """
    from allauth.usersessions.models import UserSession

    session_key = request.session.session_key
    request.session.flush()
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def sign_out(request, message: str):
    """End this session now (journaled as a sign-out) and send the person to the login page, saying why.

    The message is added after the session is flushed, so it travels in the messages cookie."""
    from allauth.usersessions.models import UserSession

    session_key = request.session.session_key
    next_url = request.get_full_path()
    logout(request)
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()
    messages.warning(request, message)
    return redirect_to_login(next_url)


class StaffTwoFactorMiddleware:
    """Staff work only in sessions that used the second factor.

    * A staff member who has a TOTP authenticator must have used it in this session (at login or at
      re-authentication): a session signed in by password alone — the Django admin's old login form,
      `force_login`, a session from before TOTP was enrolled elsewhere — is signed out.
    * With PORTAL_STAFF_REQUIRE_2FA on, staff without TOTP must enrol before any other page opens for
      them; enrolling counts as using the factor (`cabinets.second_factor.remember_enrolment`).

    The authenticator is looked up on every staff request (one indexed query) unless the session already
    used the factor and the setting is off: remembering "has TOTP" in the session let a staff member who
    turned TOTP off keep working."""

    ALLOWED_URL_NAMES = (
        "mfa_index", "mfa_activate_totp", "mfa_view_recovery_codes", "mfa_download_recovery_codes",
        "mfa_generate_recovery_codes", "account_logout", "set_language", "healthz", "mfa_reauthenticate",
        "account_reauthenticate",
    )

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed_paths = None

    def _is_allowed(self, path: str) -> bool:
        """Pages a staff member without TOTP may open while the setting asks them to enrol."""
        if self._allowed_paths is None:
            found = set()
            for name in self.ALLOWED_URL_NAMES:
                try:
                    found.add(reverse(name))
                except Exception:  # noqa: BLE001 — an optional allauth URL may be absent
                    continue
            self._allowed_paths = found
        return path in self._allowed_paths or path.startswith((settings.STATIC_URL, "/accounts/reauthenticate"))

    def __call__(self, request):
        user = request.user
        if not (user.is_authenticated and user.is_portal_staff) or request.path.startswith(settings.STATIC_URL):
            return self.get_response(request)

        used_factor = session_used_second_factor(request, user)
        if used_factor and not settings.PORTAL_STAFF_REQUIRE_2FA:
            return self.get_response(request)

        from allauth.mfa.models import Authenticator

        has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        if has_totp and not used_factor:
            return sign_out(request, _("Sign in again with your password and your two-factor authentication code."))
        if not has_totp and settings.PORTAL_STAFF_REQUIRE_2FA and not self._is_allowed(request.path):
            messages.warning(request, _("Staff accounts must turn on two-factor authentication before continuing."))
            return redirect("mfa_activate_totp")
        return self.get_response(request)
