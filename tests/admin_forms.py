"""POST data for Django admin forms, built from an object's current values (tests of admin changes)."""

from django.urls import reverse


def user_change_data(user, **changes) -> dict:
    """The user change form as the admin shows it — memberships included, unchanged — with `changes` applied.
    `memberships` (a list of Membership) replaces the inline rows when given."""
    memberships = changes.pop("memberships", None)
    existing = list(user.memberships.all())
    data = {
        "email": user.email, "full_name": user.full_name, "phone": user.phone, "role": user.role,
        "status": user.status, "language": user.language, "time_zone": user.time_zone, "_save": "Save",
    }
    data.update(changes)
    rows = existing if memberships is None else memberships
    data.update({
        "memberships-TOTAL_FORMS": str(len(rows)), "memberships-INITIAL_FORMS": str(len(existing)),
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
    })
    for index, membership in enumerate(rows):
        if membership.pk:
            data[f"memberships-{index}-id"] = str(membership.pk)
        data[f"memberships-{index}-user"] = str(user.pk)
        data[f"memberships-{index}-project"] = str(membership.project_id)
    return data


def change_user(client, user, **changes):
    return client.post(reverse("admin:accounts_user_change", args=[user.pk]), user_change_data(user, **changes))
