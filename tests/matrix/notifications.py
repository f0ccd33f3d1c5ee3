"""Notifications: every signed-in person has their own; the staff "Email delivery" page, and resend for admins."""

from tests.matrix import Entry, expect, signed_in, staff_only


def _rep_a_notification(world):
    """A notification of rep A: only rep A may mark it read; everybody else gets a 404."""
    from notifications.models import Notification

    notification = Notification.objects.create(recipient=world.rep_a, event="offers.lot.approved", title="Lot approved")
    return {"pk": notification.pk}


ENTRIES = {
    "notifications:list": Entry(signed_in()),
    "notifications:bell": Entry(signed_in()),
    "notifications:preferences": Entry(signed_in()),
    "notifications:mark_read": Entry(
        {**expect(rep_a=302, rep_b=404, moderator=404, admin=404, director=404), "viewer_a": 404},
        kwargs=_rep_a_notification,
        method="post",
        note="someone else's notification is a 404",
    ),
    "notifications:mark_all_read": Entry(signed_in(302), method="post"),
    "staff:email_delivery": Entry(staff_only()),
    "staff:email_resend": Entry(
        staff_only(moderator=403, admin=302, director=403),
        method="post",
        data={"all": "1"},
        note="admins only (Capability.RESEND_EMAILS)",
    ),
}
