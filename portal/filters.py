"""The filter half of the list-page kit (docs/RECIPES.md, "Add a list page"): every list filters through a
django-filter `FilterSet` built on `PortalFilterSet`, declared in its domain app's `filters.py` and bound
by a selector over the rows the user may see.

What the base adds to django-filter:
* an invalid filter never widens the list: django-filter drops an invalid value and filters by the rest
  (`?event=bogus` listed every event); here the list is empty and the form carries the error, and the
  export refuses it with the same message;
* `is_filtered`, so the page can say "nothing matches — clear the filters" apart from "nothing yet";
* `SearchFilter`, case-insensitive in any alphabet on SQLite too (`portal.search`);
* `PlainSelect` and `choices_from`, so a select of hundreds of options costs no templates and no model
  instances;
* `DayFilter`, a day typed in the viewer's time zone applied to a moment (a period's "from" and "to");
* `SortedFilterSet`, a list ordered by a whitelisted `o` (anything else is a form error, never a raw
  `order_by`), the order applied last so it holds with or without filters.
"""

from __future__ import annotations

import datetime
from html import escape

import django_filters
import django_filters.fields
from django import forms
from django.db.models import F, Q
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.choices import normalize_choices
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from portal.forms import BootstrapFormMixin
from portal.search import search_q

# Query parameters that page through a list or pick the export format: never filters.
NOT_FILTERS = frozenset({"page", "after", "before", "format", "order", "sort", "o"})
MINE, ALL = "mine", "all"  # a curator's scope: the projects they curate, or every project


class FilterForm(BootstrapFormMixin, forms.Form):
    """Checks a period given as `date_from` / `date_to`, when the filter has both."""

    def clean(self):
        data = super().clean()
        since, until = data.get("date_from"), data.get("date_to")
        if since and until and since > until:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data


class PlainSelect(forms.Select):
    """A <select> rendered in Python from its flat choices. Django renders each <option> through a template
    include (and builds an option dict per choice), which costs more than the whole list query once a
    select of 200 projects is on the page."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value is None else str(value)
        options = "".join(
            f'<option value="{escape(str(key))}"{" selected" if str(key) == chosen else ""}>'
            f"{escape(str(label))}</option>"
            for key, label in self.choices
        )
        final_attrs = self.build_attrs(self.attrs, attrs)
        return mark_safe(f'<select name="{escape(name)}"{flatatt(final_attrs)}>{options}</select>')


class SharedChoiceField(django_filters.fields.ChoiceField):
    """A ChoiceField whose (read-only) choices are shared between copies: every form instance deep-copies
    its fields, which for a select of 200 projects copied 200 tuples per request for nothing."""

    def __deepcopy__(self, memo):
        result = super(forms.ChoiceField, self).__deepcopy__(memo)
        result._choices = self._choices
        return result


class ChoiceFilter(django_filters.ChoiceFilter):
    """django-filter's ChoiceFilter on a `SharedChoiceField`: use it for every select of a list filter."""

    field_class = SharedChoiceField


def choices_from(queryset, label_field: str = "name"):
    """Choices `(pk, label)` read as tuples — no model instance per option. A callable, so the query runs
    when the form is built, not at import."""
    return lambda: [(str(pk), label) for pk, label in queryset.values_list("pk", label_field)]


class SearchFilter(django_filters.CharFilter):
    """One text box searching several fields: `SearchFilter(fields=["full_name", "email"])`."""

    def __init__(self, *, fields, **kwargs):
        self.search_fields = tuple(fields)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "search"}))
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if not value or not value.strip():
            return qs
        return qs.filter(search_q(self.search_fields, value))


class PortalFilterSet(django_filters.FilterSet):
    class Meta:
        form = FilterForm

    def get_form_class(self):
        for filter_ in self.filters.values():
            choices = getattr(filter_.field, "_choices", None)
            # Callable choices (`choices_from`) are read once per request — not once to validate, again to
            # render. django-filter wraps them in an iterator that adds the empty choice: fill its source.
            if isinstance(choices, django_filters.fields.ChoiceIterator) and callable(choices.choices):
                choices.choices = list(normalize_choices(choices.choices))
        return super().get_form_class()

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            if self.is_bound and not self.is_valid():
                self._qs = self.queryset.none()
            else:
                self._qs = super().qs
        return self._qs

    @property
    def is_filtered(self) -> bool:
        """Whether the request narrows the list (so an empty result means "nothing matches")."""
        if not self.is_bound:
            return False
        return any(
            value not in ("", None)
            for key, value in self.data.items()
            if key in self.filters and key not in NOT_FILTERS
        )

    def error_messages(self) -> list[str]:
        """Every error of the form, each prefixed with its field's label: the export shows them as they are."""
        messages = []
        for name, errors in self.form.errors.items():
            label = self.form.fields[name].label if name in self.form.fields else ""
            messages += [f"{label}: {error}" if label else str(error) for error in errors]
        return messages


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight of `day` in the active time zone (the viewer's own, set by UserPreferencesMiddleware)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class DayFilter(django_filters.DateFilter):
    """A day of a period, typed in the viewer's own time zone, applied to the moment `field_name`:
    `since=True` keeps what happened from that day's midnight on, otherwise what happened before the next
    midnight (the day itself included)."""

    def __init__(self, *, since: bool, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(**kwargs)
        self.since = since

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        if self.since:
            return qs.filter(**{f"{self.field_name}__gte": start_of_day(value)})
        return qs.filter(**{f"{self.field_name}__lt": start_of_day(value + datetime.timedelta(days=1))})


def order_filter(choices) -> ChoiceFilter:
    """The `o` select of a `SortedFilterSet`: its values are the whitelist."""
    return ChoiceFilter(label=_("Sort"), method="keep", choices=choices, empty_label=None, widget=PlainSelect)


class SortedFilterSet(PortalFilterSet):
    """A list sortable by `o = order_filter(CHOICES)`: `ORDERS` maps a value (a leading "-" reverses it) to the
    columns it orders by, every order ending in the id so pages never overlap; columns in `NULLS_LAST` put
    their empty values last either way; `DEFAULT_ORDER` is used without (or with an invalid) `o`."""

    ORDERS: dict[str, tuple[str, ...]] = {}
    DEFAULT_ORDER = ""
    NULLS_LAST: frozenset[str] = frozenset()

    def keep(self, queryset, name, value):
        return queryset  # the order is applied last, in `qs`, so it holds without `o` too

    @property
    def chosen_order(self) -> str:
        if self.is_bound and self.form.is_valid():
            return self.form.cleaned_data.get("o") or self.DEFAULT_ORDER
        return self.DEFAULT_ORDER

    def order_by(self, value: str) -> list:
        descending = value.startswith("-")
        order = []
        for column in (*self.ORDERS[value.lstrip("-")], "id"):
            nulls = {"nulls_last": True} if column in self.NULLS_LAST else {}
            order.append(F(column).desc(**nulls) if descending else F(column).asc(**nulls))
        return order

    def with_columns(self, queryset):
        """The computed columns (annotations) the rows show and the order may use, added after the filters and
        left out of `filtered` — so a numbered list's COUNT reads neither them nor their joins. They must not
        change which rows there are (no join that multiplies rows); filters use the model's own columns."""
        return queryset

    @property
    def filtered(self):
        """The filtered rows before `with_columns` and the order: what `cabinets.lists.numbered_list` counts."""
        return super().qs

    @property
    def qs(self):
        if not hasattr(self, "_ordered_qs"):
            self._ordered_qs = self.with_columns(self.filtered).order_by(*self.order_by(self.chosen_order))
        return self._ordered_qs


def scope_filter() -> ChoiceFilter:
    """The `scope` select of a `CuratorScope` list."""
    return ChoiceFilter(
        label=_("Projects"),
        choices=[(MINE, _("My projects")), (ALL, _("All projects"))],
        empty_label=None,
        method="filter_scope",
        widget=PlainSelect,
    )


class CuratorScope:
    """A staff list that a curator opens on "my projects" (the projects they curate) and widens to all in one
    click; for anyone else the `scope` select is not there. Mix in before the FilterSet, declare
    `scope = scope_filter()` and `of_projects(ids) -> Q` (the rows of those projects); the selector passes
    `curated_ids` and defaults `scope` to MINE for a curator. The scope is a view of the list, not a
    narrowing: "reset" keeps it, and an empty "my projects" says nothing matches the filters."""

    def __init__(self, *args, curated_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.curated_ids = list(curated_ids)
        if not self.curated_ids:
            del self.filters["scope"]

    def of_projects(self, ids) -> Q:
        raise NotImplementedError

    def filter_scope(self, queryset, name, value):
        return queryset.filter(self.of_projects(self.curated_ids)) if value == MINE else queryset

    @property
    def is_filtered(self) -> bool:
        """An invalid value (even of the order) is a filter to fix; the scope and the order narrow nothing."""
        if not self.is_bound:
            return False
        if not self.is_valid():
            return True
        return any(
            value not in ("", None)
            for key, value in self.data.items()
            if key in self.filters and key not in NOT_FILTERS | {"scope"}
        )


def default_scope(data, curated_ids):
    """A curator's list starts on "my projects" (`scope=mine`) unless the request says otherwise."""
    if curated_ids and not (data or {}).get("scope"):
        data = data.copy() if hasattr(data, "copy") else dict(data or {})
        data["scope"] = MINE
    return data
