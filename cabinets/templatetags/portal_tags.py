"""Template helpers of the cabinets. Query strings use Django's own `{% querystring %}` tag."""

import datetime
import functools
import re

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import DateFormat
from django.utils.formats import get_format
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def support_email() -> str:
    """The address people write to when the portal cannot help them itself (settings.SUPPORT_EMAIL)."""
    return settings.SUPPORT_EMAIL


@register.filter(is_safe=True)
def when(value, precision: str = ""):
    """A moment as the portal shows every moment: in the reader's time zone and language, one format
    (`portal/formats/<lang>/formats.py`), inside `<time>` with the ISO value and the zone's name as its
    title. `value|when:"s"` adds the seconds (the audit journal)."""
    if not isinstance(value, datetime.datetime):
        return "—" if value in (None, "") else value
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    pattern = get_format("SHORT_DATETIME_FORMAT")
    if precision == "s":
        pattern += ":s"
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        local.isoformat(timespec="seconds"),
        timezone.get_current_timezone_name(),
        _format(local, pattern),
    )


@functools.lru_cache(maxsize=32)
def _tokens(pattern: str) -> tuple[tuple[bool, str], ...]:
    """`pattern` split once into (is a format character, text) — what `dateformat.format` re-parses per call."""
    parts = re.split(r"(?<!\\)([aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ])", pattern)
    return tuple((index % 2 == 1, part.replace("\\", "")) for index, part in enumerate(parts) if part)


def _format(moment: datetime.datetime, pattern: str) -> str:
    formatter = DateFormat(moment)
    return "".join(str(getattr(formatter, text)()) if is_code else text for is_code, text in _tokens(pattern))


@register.simple_tag
def project_logo(project, size=48, logo_prefix="/projects/"):
    """A project's logo, or its initial on a coloured square when it has none: `{% project_logo p 48 prefix %}`.

    The one markup of `includes/project_logo.html`, rendered in Python: a list of 48 cards paid more for 48
    template includes than for everything else on its rows. `logo_prefix` is reversed once by the view."""
    size = size or 48
    if project.logo:
        return format_html(
            '<img class="project-logo rounded border bg-white" src="{}{}/logo/" alt="" width="{}" height="{}"'
            ' loading="lazy">',
            logo_prefix or "/projects/",
            project.slug,
            size,
            size,
        )
    return format_html(
        '<span class="project-logo project-logo-initial rounded border" aria-hidden="true" data-size="{}">{}</span>',
        size,
        project.name[:1].upper(),
    )
