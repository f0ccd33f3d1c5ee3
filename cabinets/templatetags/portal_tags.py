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
