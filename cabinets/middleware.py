import time
import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_htmx.http import HttpResponseClientRedirect

from accounts.capabilities import capabilities_of
from cabinets.sign_in_records import session_used_second_factor, signed_in_at


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
    session_key = request.session.session_key
    request.session.flush()
    _forget_session_row(session_key)


def _forget_session_row(session_key: str | None) -> None:
    """allauth.usersessions keeps a row per session (the "Active sessions" page): it goes with the session."""
    from allauth.usersessions.models import UserSession

    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def sign_out(request, message: str):
    """End this session now (journaled as a sign-out) and send the person to the login page, saying why.

    The message is added after the session is flushed, so it travels in the messages cookie."""
    session_key = request.session.session_key
    htmx = getattr(request, "htmx", None)
    next_url = (htmx.current_url_abs_path if htmx else None) or request.get_full_path()
    logout(request)
    _forget_session_row(session_key)
    messages.warning(request, message)
    if htmx:
        # A background request (the bell's poll): move the whole page to the login, not the fragment.
        return HttpResponseClientRedirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_url})}")
    return redirect_to_login(next_url)


class _ActivityMiddleware:
    """A middleware that tells the person's own requests from those a page makes by itself: the bell's poll
    is not someone using the portal."""

    BACKGROUND_URL_NAMES = ("notifications:bell",)

    def __init__(self, get_response):
        self.get_response = get_response
        self._background_paths = None

    def _is_background(self, path: str) -> bool:
        if self._background_paths is None:
            self._background_paths = {reverse(name) for name in self.BACKGROUND_URL_NAMES}
        return path in self._background_paths


class SessionLastSeenMiddleware(_ActivityMiddleware):
    """Keeps "last seen" and the IP of each sign-in session current for the "Active sessions" page, at most
    once every LAST_SEEN_EVERY_SECONDS per session (one UPDATE and a session write then; nothing on the other
    requests). allauth's own tracking (USERSESSIONS_TRACK_ACTIVITY) writes on every request instead. The
    bell's poll is not the person using the portal and does not count."""

    SESSION_KEY = "portal_seen_at"
    EVERY_SECONDS = 300

    def _is_background(self, path: str) -> bool:
        return super()._is_background(path) or path.startswith(settings.STATIC_URL)

    def __call__(self, request):
        session_key = request.session.session_key
        if request.user.is_authenticated and session_key and not self._is_background(request.path):
            now = int(time.time())
            if now - request.session.get(self.SESSION_KEY, 0) >= self.EVERY_SECONDS:
                from allauth.account.adapter import get_adapter

                from accounts.services import user_session_seen

                user_session_seen(session_key=session_key, ip=get_adapter().get_client_ip(request), at=timezone.now())
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)


class StaffSessionIdleMiddleware(_ActivityMiddleware):
    """Staff sessions end after PORTAL_STAFF_SESSION_IDLE_MINUTES without a request from the person
    (0 turns the limit off); representatives keep the SESSION_COOKIE_AGE of every session.

    The time of the last request is kept in the session, written at most once a minute (so the limit is
    exact to a minute and most staff page views cost no session write); before the first one, the time
    of the sign-in counts. The bell's poll is not activity — an open tab would otherwise keep the session
    alive for ever — but it does end an idle session, which sends the page to the login at once."""

    LAST_SEEN_SESSION_KEY = "portal_staff_last_seen"
    WRITE_EVERY_SECONDS = 60

    def __call__(self, request):
        user = request.user
        minutes = settings.PORTAL_STAFF_SESSION_IDLE_MINUTES
        if (
            minutes <= 0
            or not (user.is_authenticated and user.is_portal_staff)
            or request.path.startswith(settings.STATIC_URL)
        ):
            return self.get_response(request)
        now = int(time.time())
        last_seen = request.session.get(self.LAST_SEEN_SESSION_KEY)
        if last_seen is None:
            # A session's first request after sign-in: it has been idle since the sign-in itself.
            last_seen = signed_in_at(request, user)
        if last_seen is not None and now - last_seen > minutes * 60:
            return sign_out(
                request,
                ngettext(
                    "You were signed out after %(minutes)d minute without activity. Sign in again.",
                    "You were signed out after %(minutes)d minutes without activity. Sign in again.",
                    minutes,
                )
                % {"minutes": minutes},
            )
        if not self._is_background(request.path) and (last_seen is None or now - last_seen >= self.WRITE_EVERY_SECONDS):
            request.session[self.LAST_SEEN_SESSION_KEY] = now
        return self.get_response(request)


class StaffTwoFactorMiddleware:
    """Staff work only in sessions that used the second factor.

    * A staff member who has a TOTP authenticator must have used it in this session (at login or at
      re-authentication): a session signed in by password alone — the Django admin's old login form,
      `force_login`, a session from before TOTP was enrolled elsewhere — is signed out.
    * With PORTAL_STAFF_REQUIRE_2FA on, staff without TOTP must enrol before any other page opens for
      them; enrolling counts as using the factor (`cabinets.sign_in_records.remember_enrolment`).

    The authenticator is looked up on every staff request (one indexed query) unless the session already
    used the factor and the setting is off: remembering "has TOTP" in the session let a staff member who
    turned TOTP off keep working."""

    ALLOWED_URL_NAMES = (
        "mfa_index",
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_generate_recovery_codes",
        "account_logout",
        "set_language",
        "healthz",
        "mfa_reauthenticate",
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
                except Exception:
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
