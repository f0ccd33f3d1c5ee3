"""Filters of the visits and ledger pages (the list-page kit, portal/filters.py)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.filters import ChoiceFilter, PlainSelect, PortalFilterSet, choices_from
from projects.models import Project
from visits.models import EntryKind, LedgerEntry, Payment, Visit, VisitSource, VisitStatus

MISTY_CHOICE = "misty"


class PaymentFilter(PortalFilterSet):
    """Staff → Payments: a project on either side (or Misty as the payee), the days it was paid on."""

    project = ChoiceFilter(
        label=_("Project"),
        choices=lambda: [(MISTY_CHOICE, "Misty"), *choices_from(Project.objects.order_by("name"))()],
        empty_label=_("All projects"),
        widget=PlainSelect,
        method="filter_project",
    )
    paid_from = django_filters.DateFilter(
        label=_("Paid from"), field_name="paid_on", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    paid_to = django_filters.DateFilter(
        label=_("Paid to"), field_name="paid_on", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta(PortalFilterSet.Meta):
        model = Payment
        fields: list[str] = []

    def filter_project(self, queryset, name, value):
        if value == MISTY_CHOICE:
            return queryset.filter(payee__isnull=True)
        return queryset.filter(Q(payer_id=value) | Q(payee_id=value))


def _date_input():
    return forms.DateInput(attrs={"type": "date"})


class StaffVisitFilter(PortalFilterSet):
    """Staff → Visits: a project on either side, the owner, the partner, how it came, its status, the days."""

    project = ChoiceFilter(
        label=_("Project"),
        choices=choices_from(Project.objects.order_by("name")),
        empty_label=_("All projects"),
        widget=PlainSelect,
        method="filter_project",
    )
    owner = ChoiceFilter(
        label=_("Owner"),
        field_name="owner_id",
        choices=choices_from(Project.objects.order_by("name")),
        empty_label=_("All"),
        widget=PlainSelect,
    )
    partner = ChoiceFilter(
        label=_("Partner"),
        field_name="partner_id",
        choices=choices_from(Project.objects.order_by("name")),
        empty_label=_("All"),
        widget=PlainSelect,
    )
    source = ChoiceFilter(label=_("Source"), choices=VisitSource.choices, empty_label=_("All"), widget=PlainSelect)
    status = ChoiceFilter(label=_("Status"), choices=VisitStatus.choices, empty_label=_("All"), widget=PlainSelect)
    day_from = django_filters.DateFilter(
        label=_("Visited from"), field_name="day", lookup_expr="gte", widget=_date_input()
    )
    day_to = django_filters.DateFilter(label=_("Visited to"), field_name="day", lookup_expr="lte", widget=_date_input())

    class Meta(PortalFilterSet.Meta):
        model = Visit
        fields: list[str] = []

    def filter_project(self, queryset, name, value):
        return queryset.filter(Q(owner_id=value) | Q(partner_id=value))


RECEIVED, BROUGHT = "received", "brought"


class ProjectVisitFilter(PortalFilterSet):
    """A cabinet's visits, both directions: clients the project received (owner) or brought (partner)."""

    direction = ChoiceFilter(
        label=_("Direction"),
        choices=[(RECEIVED, _("Clients we received")), (BROUGHT, _("Clients we brought"))],
        empty_label=_("Both"),
        widget=PlainSelect,
        method="filter_direction",
    )
    status = ChoiceFilter(label=_("Status"), choices=VisitStatus.choices, empty_label=_("All"), widget=PlainSelect)
    day_from = django_filters.DateFilter(
        label=_("Visited from"), field_name="day", lookup_expr="gte", widget=_date_input()
    )
    day_to = django_filters.DateFilter(label=_("Visited to"), field_name="day", lookup_expr="lte", widget=_date_input())

    class Meta(PortalFilterSet.Meta):
        model = Visit
        fields: list[str] = []

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project

    def filter_direction(self, queryset, name, value):
        if value == RECEIVED:
            return queryset.filter(owner=self.project)
        return queryset.filter(partner=self.project)


class LedgerFilter(PortalFilterSet):
    """A project's ledger: the kind of entry, the counterparty, the days the entries belong to."""

    kind = ChoiceFilter(label=_("Kind"), choices=EntryKind.choices, empty_label=_("All"), widget=PlainSelect)
    counterparty = ChoiceFilter(
        label=_("Counterparty"),
        choices=lambda: [(MISTY_CHOICE, "Misty"), *choices_from(Project.objects.order_by("name"))()],
        empty_label=_("All"),
        widget=PlainSelect,
        method="filter_counterparty",
    )
    day_from = django_filters.DateFilter(label=_("From"), field_name="day", lookup_expr="gte", widget=_date_input())
    day_to = django_filters.DateFilter(label=_("To"), field_name="day", lookup_expr="lte", widget=_date_input())

    class Meta(PortalFilterSet.Meta):
        model = LedgerEntry
        fields: list[str] = []

    def filter_counterparty(self, queryset, name, value):
        if value == MISTY_CHOICE:
            return queryset.filter(counterparty__isnull=True)
        return queryset.filter(counterparty_id=value)
