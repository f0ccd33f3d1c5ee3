import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.capabilities import capabilities_of


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


class StaffTwoFactorMiddleware:
    """With PORTAL_STAFF_REQUIRE_2FA on, staff must enrol TOTP before any other page opens for them.

    The authenticator is looked up on every staff request (one indexed query, only while the setting is
    on): remembering "has TOTP" in the session let a staff member who turned TOTP off keep working."""

    ALLOWED_URL_NAMES = (
        "mfa_index", "mfa_activate_totp", "mfa_view_recovery_codes", "mfa_download_recovery_codes",
        "mfa_generate_recovery_codes", "account_logout", "set_language", "healthz", "mfa_reauthenticate",
        "account_reauthenticate",
    )

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed_paths = None

    def _is_allowed(self, path: str) -> bool:
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
        if (
            settings.PORTAL_STAFF_REQUIRE_2FA
            and user.is_authenticated
            and user.is_portal_staff
            and not self._is_allowed(request.path)
        ):
            from allauth.mfa.models import Authenticator

            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                messages.warning(request, _("Staff accounts must turn on two-factor authentication before continuing."))
                return redirect("mfa_activate_totp")
        return self.get_response(request)
