"""The journal's filter: event, period (dates in the viewer's time zone), actor, project, order."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from auditlog import events
from auditlog.models import AuditEvent
from portal.filters import ChoiceFilter, DayFilter, PlainSelect, PortalFilterSet, choices_from
from portal.search import search_q
from projects.models import Project

ORDER_NEWEST, ORDER_OLDEST = "desc", "asc"
ACTOR_IDS_INLINE = 500


class AuditEventFilter(PortalFilterSet):
    event = ChoiceFilter(label=_("Event"), choices=events.choices, empty_label=_("All events"), widget=PlainSelect)
    date_from = DayFilter(label=_("From"), field_name="created_at", since=True)
    date_to = DayFilter(label=_("To"), field_name="created_at", since=False)
    actor = django_filters.CharFilter(
        label=_("Actor"),
        method="filter_actor",
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Name or email"), "type": "search"}),
    )
    project = ChoiceFilter(
        label=_("Project"),
        field_name="project_id",
        choices=choices_from(Project.objects.order_by("name")),
        empty_label=_("All projects"),
        widget=PlainSelect,
    )
    order = ChoiceFilter(
        label=_("Order"),
        method="keep",
        empty_label=None,
        widget=PlainSelect,
        choices=[(ORDER_NEWEST, _("Newest first")), (ORDER_OLDEST, _("Oldest first"))],
    )

    class Meta(PortalFilterSet.Meta):
        model = AuditEvent
        fields: list[str] = []

    def filter_actor(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # Find the people first (a small table), then give the journal query their ids as literals: with a
        # subquery the planner cannot know that a newcomer has three events and walks the whole time index;
        # with the ids it picks the (actor, created_at) index for rare actors and the time index for busy ones.
        people = get_user_model()._default_manager.filter(search_q(["full_name", "email"], value))
        ids = list(people.values_list("pk", flat=True)[: ACTOR_IDS_INLINE + 1])
        if len(ids) > ACTOR_IDS_INLINE:  # a very broad search matches busy rows everywhere: the subquery is fine
            return queryset.filter(actor__in=people.values("pk"))
        return queryset.filter(actor__in=ids)

    def keep(self, queryset, name, value):
        return queryset  # the paginator applies the order

    @property
    def chosen_order(self) -> str:
        if self.is_bound and self.form.is_valid():
            return self.form.cleaned_data.get("order") or ORDER_NEWEST
        return ORDER_NEWEST
