"""What changed between two sets of a lot's terms, field by field, for the moderator's card.

After the idea of Wagtail's `admin/compare.py` (../shared/PATTERNS.md, "Moderation with memory"): one
comparison per field of `TERM_FIELDS`, labelled by the model's verbose name; a choice shows its label, an
amount and a date are formatted for the reader; text fields get a word-level diff (`difflib`), other fields
the old value struck out beside the new one. Every value is HTML-escaped before any markup is added, so a
title of `<script>` is shown as text, never run.

    changes = compare_terms(last_reviewed.terms if last_reviewed else None, pending.terms)
    [c for c in changes if c.changed]  # what the moderator reads first

The files of a snapshot (`offers.attachments`) are compared by `compare_attachments`: the names added and
removed, the kept ones as they are.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils import formats
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from offers.attachments import ATTACHMENTS_KEY
from offers.models import MONEY_FIELDS, TERM_FIELDS, Lot

# Free text a moderator reads word by word; every other field is one value.
TEXT_FIELDS = frozenset({"title", "description", "segment"})
EMPTY = "—"
# Words and the runs of spaces and punctuation between them, kept, so the diff puts text back as it was.
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: str  # the old value as the reader sees it ("" when there was none: a first submission)
    after: str
    changed: bool
    is_new: bool  # nothing was reviewed before: the whole field is new
    html: SafeString  # the value with its changes marked (<del>/<ins>), escaped


def display_value(field_name: str, value) -> str:
    """A snapshot's JSON value as the reader sees it: choice labels, amounts and dates in their format."""
    if value in (None, ""):
        return EMPTY
    field = Lot._meta.get_field(field_name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field_name in MONEY_FIELDS:
        try:
            return formats.number_format(Decimal(str(value)), decimal_pos=2, use_l10n=True, force_grouping=True)
        except InvalidOperation:
            return str(value)
    if isinstance(field, models.DateField):
        try:
            day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
        except ValueError:
            return str(value)
        return formats.date_format(day, "SHORT_DATE_FORMAT")  # as the tables of the portal show a day
    if isinstance(value, int) and not isinstance(value, bool):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


def diff_words(before: str, after: str) -> SafeString:
    """`after` with the words removed since `before` in <del> and the words added in <ins>, all escaped."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    parts = []
    # No autojunk: in a long description, frequent words ("и", "the") are exactly what must line up.
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(new[j1:j2])))
            continue
        if op in ("delete", "replace"):
            parts.append(format_html("<del>{}</del>", "".join(old[i1:i2])))
        if op in ("insert", "replace"):
            parts.append(format_html("<ins>{}</ins>", "".join(new[j1:j2])))
    return mark_safe("".join(parts))  # every part above is escaped


def compare_field(name: str, before, after, *, is_new: bool) -> FieldChange:
    label = _label(name)
    shown_after = display_value(name, after)
    if is_new:
        return FieldChange(name, label, "", shown_after, True, True, format_html("<ins>{}</ins>", shown_after))
    shown_before = display_value(name, before)
    changed = _normal(name, before) != _normal(name, after)
    if not changed:
        html = format_html("{}", shown_after)
    elif name in TEXT_FIELDS and before and after:
        html = diff_words(str(before), str(after))
    else:
        html = format_html("<del>{}</del> <ins>{}</ins>", shown_before, shown_after)
    return FieldChange(name, label, shown_before, shown_after, changed, False, html)


def _normal(name: str, value):
    """Equal values compare equal however a snapshot spelled them ("300" and "300.00", None and "")."""
    if value in (None, ""):
        return None
    if name in MONEY_FIELDS:
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return value
    return value


def compare_terms(before: dict | None, after: dict) -> list[FieldChange]:
    """Every term field, in the order of `TERM_FIELDS`; `before` None means a first submission (all new)."""
    is_new = before is None
    before = before or {}
    return [compare_field(name, before.get(name), after.get(name), is_new=is_new) for name in TERM_FIELDS]


def terms_display(terms: dict) -> list[tuple[str, str]]:
    """`(label, value)` of every term field, as the card lists a lot's terms."""
    return [(_label(name), display_value(name, terms.get(name))) for name in TERM_FIELDS]


def _label(name: str) -> str:
    return capfirst(str(Lot._meta.get_field(name).verbose_name))


def compare_attachments(
    before: list[int] | None, after: list[int], names: dict[int, str], *, is_new: bool
) -> FieldChange:
    """The files of two snapshots (lists of attachment ids; `names` maps an id to its file name): the names
    added in <ins>, removed in <del>, kept ones as they are, each on a line of its own and escaped.
    `before` None with `is_new` False means the older snapshot named no files of its own (written before
    attachments): it is compared as if it had none."""
    label = _("Attachments")
    before_ids = [] if is_new else list(before or [])
    added = [pk for pk in after if pk not in before_ids]
    removed = [pk for pk in before_ids if pk not in after]
    kept = [pk for pk in after if pk in before_ids]

    def name(pk):
        return names.get(pk, f"#{pk}")

    lines = [format_html("<ins>{}</ins>", name(pk)) for pk in added]
    lines += [format_html("<del>{}</del>", name(pk)) for pk in removed]
    lines += [format_html("{}", name(pk)) for pk in kept]
    html = mark_safe("<br>".join(lines)) if lines else format_html("{}", EMPTY)  # every line is escaped
    shown_before = ", ".join(name(pk) for pk in before_ids) if not is_new else ""
    shown_after = ", ".join(name(pk) for pk in after) or EMPTY
    return FieldChange(ATTACHMENTS_KEY, label, shown_before, shown_after, bool(added or removed), is_new, html)
