"""POST data for Django admin forms, built from an object's current values (tests of admin changes)."""

from django.urls import reverse


def user_change_data(user, **changes) -> dict:
    """The user change form as the admin shows it — memberships included, unchanged — with `changes` applied.
    `memberships` (a list of Membership) replaces the inline rows when given."""
    memberships = changes.pop("memberships", None)
    existing = list(user.memberships.all())
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "role": user.role,
        "status": user.status,
        "language": user.language,
        "time_zone": user.time_zone,
        "_save": "Save",
    }
    data.update(changes)
    rows = existing if memberships is None else memberships
    data.update(
        {
            "memberships-TOTAL_FORMS": str(len(rows)),
            "memberships-INITIAL_FORMS": str(len(existing)),
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        }
    )
    for index, membership in enumerate(rows):
        if membership.pk:
            data[f"memberships-{index}-id"] = str(membership.pk)
        data[f"memberships-{index}-user"] = str(user.pk)
        data[f"memberships-{index}-project"] = str(membership.project_id)
        data[f"memberships-{index}-right"] = membership.right
    return data


def change_user(client, user, **changes):
    return client.post(reverse("admin:accounts_user_change", args=[user.pk]), user_change_data(user, **changes))


def _encode(name: str, field, value) -> dict:
    from django import forms

    widget = field.widget
    if isinstance(widget, forms.MultiWidget):
        parts = value if isinstance(value, (list, tuple)) else widget.decompress(value)
        encoded = {}
        for index, part in enumerate(parts):
            encoded.update(_encode(f"{name}_{index}", forms.CharField(), part))
        return encoded
    if isinstance(field, forms.BooleanField):
        return {name: "on"} if value else {}
    if value is None:
        return {name: ""}
    if isinstance(value, (list, tuple)):
        return {name: [str(getattr(v, "pk", v)) for v in value]}
    if hasattr(value, "isoformat"):
        return {name: value.isoformat()}
    return {name: str(getattr(value, "pk", value))}


def _form_data(form) -> dict:
    data = {}
    for name, field in form.fields.items():
        data.update(_encode(form.add_prefix(name), field, form[name].value()))
    return data


def admin_form_data(response, **changes) -> dict:
    """The POST data of the admin add/change page in `response`, as a person submitting it unchanged would
    send it (inline rows included), with `changes` applied. Inline fields are named `<prefix>-<n>-<field>`."""
    data = _form_data(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            if form.instance.pk is None:
                continue  # an empty extra row is sent empty: leave it out of TOTAL_FORMS
            data.update(_form_data(form))
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(len(formset.initial_forms))
    data.update(changes)
    data["_save"] = "Save"
    return data


def post_admin_form(client, url, **changes):
    page = client.get(url)
    assert page.status_code == 200, f"{url}: {page.status_code}"
    response = client.post(url, admin_form_data(page, **changes))
    assert response.status_code == 302, _form_errors(response)
    return response


def _form_errors(response) -> str:
    context = getattr(response, "context", None)
    if not context or "adminform" not in context:
        return f"status {response.status_code}"
    errors = [context["adminform"].form.errors]
    errors += [inline.formset.errors for inline in context.get("inline_admin_formsets", [])]
    return f"admin form errors: {errors}"
