"""Staff → Users: the catalog (filter, sort, paginate, export), inviting a person, a person's card and what
administrators change on it. Every staff role reads; only MANAGE_USERS (administrators) changes anything,
and the services refuse again whatever the policy let through (self, the last administrator, staff roles)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from accounts import services
from accounts.capabilities import Capability, has_capability
from accounts.exporters import UserExporter
from accounts.models import Role, UserStatus
from accounts.selectors import has_two_factor, user_filterset, user_get
from auditlog.selectors import audit_events_about_user
from cabinets.access import capability_required, found_or_deny
from cabinets.lists import export_list, numbered_list, sort_links
from cabinets.people_forms import InviteForm, PersonForm, ReasonForm, project_rows
from portal.exceptions import ApplicationError
from projects.selectors import projects_for

# A column's first click: names A→Z, the newest activity first.
FIRST_ORDER = {"name": "name", "email": "email", "role": "role", "status": "status", "last_login": "-last_login"}


def _label_rows(people) -> None:
    """Role and status labels, translated once per page: `get_<field>_display` per row rebuilt the choices
    and translated them again for every row (a fifth of the page's time with 50 rows)."""
    roles = {code: str(label) for code, label in Role.choices}
    statuses = {code: str(label) for code, label in UserStatus.choices}
    for person in people:
        person.role_label = roles.get(person.role, person.role)
        person.status_label = statuses.get(person.status, person.status)


@capability_required(Capability.USE_STAFF_CABINET)
@require_safe
def user_list(request):
    filterset = user_filterset(user=request.user, data=request.GET)
    listing = numbered_list(request, filterset)
    _label_rows(listing.page)
    return render(
        request,
        "cabinets/staff/users/list.html",
        {
            "list": listing,
            "sort": sort_links(request, filterset.chosen_order, FIRST_ORDER),
            "detail_prefix": reverse("staff:users"),  # + "<pk>/": no reverse() per row
            "can_export": has_capability(request.user, Capability.EXPORT_ALL),
            "can_manage": has_capability(request.user, Capability.MANAGE_USERS),
        },
    )


@capability_required(Capability.USE_STAFF_CABINET, Capability.EXPORT_ALL)
@require_safe
def user_export(request):
    filterset = user_filterset(user=request.user, data=request.GET)
    filters = filterset.form.cleaned_data if filterset.is_valid() else {}
    exporter = UserExporter(queryset=filterset.qs, filters={k: v for k, v in filters.items() if k != "o"})
    return export_list(request, filterset, exporter, list_url=reverse("staff:users"))


def _choosable_projects(user):
    return projects_for(user).only("pk", "name", "active").order_by("name")


@capability_required(Capability.USE_STAFF_CABINET, Capability.MANAGE_USERS)
def user_invite(request):
    projects = _choosable_projects(request.user)
    more = "more_projects" in request.POST
    if request.method == "POST" and not more:
        form = InviteForm(request.POST)
        rows = project_rows(data=request.POST, projects=projects)
        if form.is_valid() and rows.is_valid():
            data = form.cleaned_data
            try:
                person = services.user_invite(
                    actor=request.user,
                    email=data["email"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    phone=data["phone"],
                    role=data["role"],
                    language=data["language"],
                    time_zone=data["time_zone"],
                    # Projects are a representative's: hidden rows of another role are ignored, not refused.
                    memberships=rows.memberships() if data["role"] == Role.REPRESENTATIVE else [],
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("%(name)s is invited: the invitation has been emailed to %(email)s.")
                    % {"name": person.get_full_name(), "email": person.email},
                )
                return redirect("staff:user_detail", pk=person.pk)
    elif more:
        form = InviteForm(initial=request.POST.dict())
        rows = project_rows(data=request.POST, projects=projects, more=True)
    else:
        form, rows = InviteForm(), project_rows(projects=projects)
    return render(request, "cabinets/staff/users/invite.html", {"form": form, "rows": rows})


def _person(request, pk):
    return found_or_deny(request, user_get(user=request.user, pk=pk), reason="user not found")


@capability_required(Capability.USE_STAFF_CABINET)
@require_safe
def user_detail(request, pk: int):
    person = _person(request, pk)
    can_audit = has_capability(request.user, Capability.VIEW_AUDIT)
    return render(
        request,
        "cabinets/staff/users/detail.html",
        {
            "person": person,
            "events": audit_events_about_user(user=request.user, subject=person) if can_audit else None,
            "audit_prefix": reverse("staff:audit"),
            "can_manage": has_capability(request.user, Capability.MANAGE_USERS),
            "is_self": person.pk == request.user.pk,
            "has_two_factor": has_two_factor(user=person),
        },
    )


@capability_required(Capability.USE_STAFF_CABINET, Capability.MANAGE_USERS)
def user_edit(request, pk: int):
    person = _person(request, pk)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(user=person, actor=request.user, data=form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("staff:user_detail", pk=person.pk)
    return render(request, "cabinets/staff/users/edit.html", {"person": person, "form": form})


@capability_required(Capability.USE_STAFF_CABINET, Capability.MANAGE_USERS)
def user_projects(request, pk: int):
    person = _person(request, pk)
    projects = _choosable_projects(request.user)
    more = "more_projects" in request.POST
    refusal = ""
    if request.method == "POST" and not more:
        rows = project_rows(data=request.POST, projects=projects)
        if rows.is_valid():
            try:
                services.user_set_memberships(user=person, actor=request.user, memberships=rows.memberships())
            except ApplicationError as exc:
                refusal = exc.message
            else:
                messages.success(request, _("Projects and rights saved."))
                return redirect("staff:user_detail", pk=person.pk)
    elif more:
        rows = project_rows(data=request.POST, projects=projects, more=True)
    else:
        current = [{"project": str(m.project_id), "right": m.right} for m in person.memberships.all()]
        rows = project_rows(projects=projects, initial=current)
    return render(
        request,
        "cabinets/staff/users/projects.html",
        {"person": person, "rows": rows, "refusal": refusal, "is_representative": person.role == Role.REPRESENTATIVE},
    )


REASON_ACTIONS = {
    # action: (the service, what a success says)
    "block": (services.user_block, gettext_lazy("%(name)s is blocked.")),
    "unblock": (services.user_unblock, gettext_lazy("%(name)s is unblocked.")),
    "reset_2fa": (services.user_reset_two_factor, gettext_lazy("Two-factor authentication of %(name)s is reset.")),
}


def _reason_page(request, pk: int, *, action: str):
    """Block, unblock or reset two-factor authentication: GET confirms, POST acts with a reason; a refusal
    stays on the page with the reason."""
    person = _person(request, pk)
    if action == "reset_2fa":
        already = not has_two_factor(user=person)
    else:
        already = (person.status == UserStatus.BLOCKED) == (action == "block")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service, done = REASON_ACTIONS[action]
        try:
            service(user=person, actor=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, done % {"name": person.get_full_name()})
            return redirect("staff:user_detail", pk=person.pk)
    return render(
        request,
        "cabinets/staff/users/block.html",
        {"person": person, "form": form, "action": action, "already": already},
    )


@capability_required(Capability.USE_STAFF_CABINET, Capability.MANAGE_USERS)
def user_block(request, pk: int):
    return _reason_page(request, pk, action="block")


@capability_required(Capability.USE_STAFF_CABINET, Capability.MANAGE_USERS)
def user_unblock(request, pk: int):
    return _reason_page(request, pk, action="unblock")


@capability_required(Capability.USE_STAFF_CABINET, Capability.MANAGE_USERS)
def user_reset_two_factor(request, pk: int):
    """A person lost their phone: an administrator removes their second factor, with a reason."""
    return _reason_page(request, pk, action="reset_2fa")


@capability_required(Capability.USE_STAFF_CABINET, Capability.MANAGE_USERS)
@require_POST
def user_resend(request, pk: int):
    person = _person(request, pk)
    try:
        services.invitation_resend(user=person, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The invitation has been sent again to %(email)s.") % {"email": person.email})
    return redirect("staff:user_detail", pk=person.pk)
