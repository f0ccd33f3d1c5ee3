"""Rendering a notification for one recipient: in their language and time zone, with absolute links.

Plain-text templates (subject, text body, in-app text) go through a second template engine with
autoescaping off, so "Tom & Jerry" stays "Tom & Jerry" in a subject; the HTML body goes through the
project's engine with autoescaping on.
"""

from __future__ import annotations

import contextlib
import logging
import zoneinfo
from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import parseaddr
from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from notifications.events import EventType

logger = logging.getLogger(__name__)

EMAIL_TEMPLATE_DIR = "notifications/email"
INAPP_TEMPLATE_DIR = "notifications/inapp"


@lru_cache(maxsize=1)
def _text_engine() -> Engine:
    from django.template.backends.django import DjangoTemplates

    project = next(t for t in settings.TEMPLATES if t["BACKEND"].endswith("DjangoTemplates"))
    backend = DjangoTemplates(
        {
            "NAME": "notifications-text",
            "DIRS": project.get("DIRS", []),
            "APP_DIRS": True,
            "OPTIONS": {"autoescape": False},
        }
    )
    return backend.engine


@receiver(setting_changed)
def _reset_text_engine(*, setting, **kwargs):
    if setting == "TEMPLATES":
        _text_engine.cache_clear()


def render_text(template_name: str, context: dict) -> str:
    return _text_engine().get_template(template_name).render(Context(context, autoescape=False))


def portal_name() -> str:
    """The portal's name in the active language (the sender's display name, subjects of account emails)."""
    return gettext("Misty Partner Portal")


def sender_address() -> str:
    """DEFAULT_FROM_EMAIL's address under the portal's name in the active language: call it inside the
    recipient's locale (`recipient_locale`), so a Russian reader sees "Партнёрский портал Misty <noreply@…>"."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return str(Address(display_name=portal_name(), addr_spec=address))


def base_url() -> str:
    return settings.PORTAL_BASE_URL.rstrip("/")


def absolute_url(link: str) -> str:
    """A link stored on a notification as a path (`/cabinet/alpha/`), made absolute for an email."""
    if not link:
        return base_url() + reverse("notifications:list")
    if link.startswith(("http://", "https://")):
        return link
    return base_url() + (link if link.startswith("/") else "/" + link)


@contextlib.contextmanager
def recipient_locale(recipient):
    """Activate the recipient's language and time zone (and restore the caller's afterwards)."""
    try:
        zone = zoneinfo.ZoneInfo(recipient.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    with translation.override(recipient.language or settings.LANGUAGE_CODE), timezone.override(zone):
        yield


def template_context(*, recipient, event_context: dict, link: str) -> dict:
    return {
        **event_context,
        "recipient": recipient,
        "link_url": absolute_url(link),
        "base_url": base_url(),
        "preferences_url": base_url() + reverse("notifications:preferences"),
    }


def single_line(text: str, limit: int) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _inapp_texts(event_type: EventType, values: dict) -> tuple[str, str]:
    title = render_text(f"{EMAIL_TEMPLATE_DIR}/{event_type.template}-subject.txt", values)
    body = render_text(f"{INAPP_TEMPLATE_DIR}/{event_type.template}.txt", values)
    return single_line(title, 300), body.strip()


def render_inapp(event_type: EventType, *, recipient, event_context: dict, link: str) -> tuple[str, str]:
    """(title, body) in the recipient's language when the event happens: stored on the notification (the
    staff "Email delivery" page, the admin, and the fallback when the event is no longer registered)."""
    with recipient_locale(recipient):
        values = template_context(recipient=recipient, event_context=event_context, link=link)
        return _inapp_texts(event_type, values)


def rendered_in(language: str, time_zone: str) -> str:
    """What a notification's stored texts were rendered in (`Notification.rendered_in`)."""
    return f"{language}|{time_zone}"


def localize_notifications(notifications, *, reader) -> None:
    """Give each notification `shown_title` and `shown_body`: its texts rendered now, from its stored context,
        in the language and time zone active for this request (the reader's current ones) — so switching to
        English turns the whole history English. No query: the context is a column of the row and `reader` is
        the request's user; each template is compiled once per process; texts already stored in the reader's
    language and zone (`rendered_in`) are not rendered again. A notification whose event is no longer
        registered, or whose context no longer renders, keeps the texts stored when it happened."""
    from notifications import events
    from notifications.context import load_context

    shared = template_context(recipient=reader, event_context={}, link="")
    current = rendered_in(translation.get_language() or "", timezone.get_current_timezone_name())
    for notification in notifications:
        notification.shown_title, notification.shown_body = notification.title, notification.body
        if notification.rendered_in == current:
            continue  # the stored texts are already in this reader's language and zone
        try:
            event_type = events.get(notification.event)
        except LookupError:
            continue
        values = {
            **shared,
            **load_context(notification.context or {}),
            "recipient": reader,
            "link_url": absolute_url(notification.link) if notification.link else shared["link_url"],
        }
        try:
            notification.shown_title, notification.shown_body = _inapp_texts(event_type, values)
        except Exception:  # a template changed since: the stored texts are still true
            logger.warning("notification %s: could not render it again", notification.pk, exc_info=True)


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str
    sender: str  # "Portal name <address>", the name in the recipient's language


def render_email(event_type: EventType, *, recipient, event_context: dict, link: str) -> RenderedEmail:
    with recipient_locale(recipient):
        values = template_context(recipient=recipient, event_context=event_context, link=link)
        name = f"{EMAIL_TEMPLATE_DIR}/{event_type.template}"
        subject = render_text(f"{name}-subject.txt", values)
        text = render_text(f"{name}-body.txt", values)
        subject = single_line(subject, 200)
        html = render_to_string(f"{name}-body.html", {**values, "email_subject": subject})
        sender = sender_address()
    return RenderedEmail(subject=subject, text=tidy_text(text), html=html, sender=sender)


def tidy_text(text: str) -> str:
    """Template tags leave blank lines behind: keep at most one empty line between paragraphs."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy) + "\n"
