"""Access requests (the public page, the staff queue, approving and declining) and the bulk invitation.

Everyone on staff sees the queue; only an administrator decides (the director and moderators get 403 on
every POST) and invites from a file."""

from tests.matrix import Entry, expect, public, staff_only

ADMIN_ONLY = staff_only(moderator=403, director=403)


def _open_request(world):
    from accounts.models import AccessRequest

    request = AccessRequest.objects.create(company="Gamma Coffee", name="Gleb Gammov", email="gleb@gamma.example")
    return {"pk": request.pk}


ENTRIES = {
    "access_request": Entry(
        expect(anonymous=200, rep_a=302, rep_b=302, moderator=302, admin=302, director=302),
        note="a signed-in person already has an account: sent home",
    ),
    "access_request_sent": Entry(public(200)),
    "staff:access_requests": Entry(staff_only()),
    "staff:access_request_detail": Entry(staff_only(), kwargs=_open_request, note="without buttons but for admins"),
    "staff:access_request_approve": Entry(
        staff_only(moderator=403, admin=302, director=403),
        kwargs=_open_request,
        method="post",
        data=lambda w: {"first_name": "Gleb", "role": "representative", "project": w.project_a.pk, "right": "viewer"},
        note="the administrator's valid approval invites the person and redirects to the card",
    ),
    "staff:access_request_decline": Entry(
        staff_only(moderator=403, admin=302, director=403),
        kwargs=_open_request,
        method="post",
        data={"reason": "Not a business of the ecosystem."},
    ),
    "staff:users_import": Entry(ADMIN_ONLY),
    "staff:users_import_template": Entry(ADMIN_ONLY),
}
