"""allauth's hooks for the portal: no public sign-up, and account emails that look like the portal's own.

Every email allauth sends (password reset, the security notices of ACCOUNT_EMAIL_NOTIFICATIONS, the
two-factor notices) goes through `send_mail` → a Celery task after commit (accounts/emails.py) →
`render_mail`, which renders it in the recipient's language and time zone — never the requester's — as
text and HTML (templates/account/email/, templates/mfa/email/, on the look of the notification emails),
with the portal's name in the subject and in the sender's display name.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.emails import PASSWORD_RESET_KEY, queue_account_email
from accounts.models import User
from accounts.selectors import user_by_email
from accounts.services import user_set_language
from notifications.rendering import (
    base_url,
    portal_name,
    recipient_locale,
    render_text,
    sender_address,
    single_line,
    tidy_text,
)


def language_chosen_before_sign_in(request) -> str | None:
    """The language a visitor picked with the switcher (Django's language cookie), if it is one we speak."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in dict(settings.LANGUAGES) else None


class PortalAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """No public sign-up: people are invited by staff."""
        return False

    # --- signing in: the language chosen on the login page wins ------------------------------------------

    def post_login(self, request, user, **kwargs):
        """The language picked on the login page becomes the user's (saved and journaled), and allauth's
        "Successfully signed in as …" is rendered in the language the next page is shown in — the user's —
        not in the language of the login request (UserPreferencesMiddleware only applies it from the next
        request on). Runs after every way of signing in through allauth: password, then second factor."""
        chosen = language_chosen_before_sign_in(request)
        if chosen and chosen != user.language:
            user_set_language(user=user, language=chosen)
        with translation.override(user.language):
            response = super().post_login(request, user, **kwargs)
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language
        return response

    # --- sending: queued, never in the request -----------------------------------------------------------

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        user = context.get("user")
        if not isinstance(user, User):
            user = user_by_email(email)
        queue_account_email(
            template_prefix=template_prefix, email=email, user_id=user.pk if user else None, context=context
        )

    def send_notification_mail(self, template_prefix, user, context=None, email=None) -> None:
        # allauth leaves the user out of a notice's context; keep it, so the notice is not looked up by address.
        super().send_notification_mail(template_prefix, user, {**(context or {}), "user": user}, email)

    def send_password_reset_mail(self, user, email: str, context: dict) -> None:
        # The context carries the reset key: leave it here. The task makes a fresh key (accounts/emails.py).
        queue_account_email(template_prefix=PASSWORD_RESET_KEY, email=email, user_id=user.pk, context={})

    # --- rendering: in the recipient's language ------------------------------------------------------------

    def format_email_subject(self, subject: str) -> str:
        return f"{subject} — {portal_name()}"

    def get_from_email(self) -> str:
        """DEFAULT_FROM_EMAIL's address, under the portal's name in the active (the recipient's) language."""
        return sender_address()

    def render_mail(
        self, template_prefix: str, email, context: dict, headers: dict | None = None
    ) -> EmailMultiAlternatives:
        recipient = context.get("user") if isinstance(context.get("user"), User) else None
        to = [email] if isinstance(email, str) else list(email)
        # Someone without an account (an access request's author) is written to in the language they used.
        language = context.get("recipient_language") or settings.LANGUAGE_CODE
        locale = recipient_locale(recipient) if recipient else translation.override(language)
        with locale:
            values = {**self._email_context(), **context, "email": to[0]}
            values["recipient"] = recipient or context.get("recipient")
            values.setdefault("link_url", values.get("password_reset_url") or values["login_url"])
            subject = self.format_email_subject(single_line(render_text(f"{template_prefix}_subject.txt", values), 150))
            text = tidy_text(render_text(f"{template_prefix}_message.txt", values))
            try:
                html = render_to_string(f"{template_prefix}_message.html", {**values, "email_subject": subject})
            except TemplateDoesNotExist:
                html = None  # an allauth email this configuration never sends (tests/accounts/test_account_emails.py)
            message = EmailMultiAlternatives(
                subject=subject,
                body=text,
                from_email=self.get_from_email(),
                to=to,
                headers={"Auto-Submitted": "auto-generated", **(headers or {})},
            )
        if html:
            message.attach_alternative(html, "text/html")
        return message

    @staticmethod
    def _email_context() -> dict[str, Any]:
        root = base_url()
        hours = max(1, round(settings.PASSWORD_RESET_TIMEOUT / 3600))  # how long a reset link works
        return {
            "base_url": root,
            "login_url": root + reverse("account_login"),
            "reset_password_url": root + reverse("account_reset_password"),
            "two_factor_url": root + reverse("mfa_index"),
            "support_email": settings.SUPPORT_EMAIL,
            "link_valid_hours": hours,
            "link_valid_days": hours // 24 if hours % 24 == 0 else None,
            # allauth's own templates name the site; ours are the portal, whatever host served the request
            "current_site": SimpleNamespace(name=portal_name(), domain=root.split("://", 1)[-1]),
        }
