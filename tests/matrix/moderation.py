"""Staff moderation of lots: the pool, the queue and a lot's card for every staff role; the decisions
(approve, request changes, reject, close) only for MODERATE_LOTS — the director reads and gets 403 on
every POST; representatives have no staff cabinet (403)."""

from tests.matrix import Entry, staff_only

DECIDERS = staff_only(moderator=302, admin=302, director=403)


def _submitted_lot(world):
    from offers import services
    from tests.offers.conftest import lot_terms

    lot = services.lot_create(project=world.project_a, actor=world.rep_a, data=lot_terms())
    services.lot_submit(lot=lot, actor=world.rep_a)
    return {"pk": lot.pk}


def _live_lot(world):
    from offers import services
    from offers.models import Lot

    pk = _submitted_lot(world)["pk"]
    services.lot_approve(lot=Lot.objects.get(pk=pk), actor=world.admin)
    return {"pk": pk}


def _lot_file(world):
    from offers import services
    from tests.offers.conftest import checked, lot_terms

    lot = services.lot_create(project=world.project_a, actor=world.rep_a, data=lot_terms(), files=checked("a.pdf"))
    return {"pk": lot.attachments.get().pk}


ENTRIES = {
    "staff:lots": Entry(staff_only(), note="Capability.VIEW_ALL_PROJECTS"),
    "staff:lot_queue": Entry(staff_only(), kwargs=lambda w: _submitted_lot(w) and {}, note="with a lot waiting"),
    "staff:lot_detail": Entry(staff_only(), kwargs=_submitted_lot, note="buttons only for MODERATE_LOTS"),
    "staff:lot_approve": Entry(DECIDERS, kwargs=_submitted_lot, method="post"),
    "staff:lot_request_changes": Entry(
        DECIDERS, kwargs=_submitted_lot, method="post", data={"changes-comment": "Give the segment in words."}
    ),
    "staff:lot_reject": Entry(DECIDERS, kwargs=_submitted_lot, method="post", data={"reject-reason": "Not our kind."}),
    "staff:attachment": Entry(
        staff_only(director=403), kwargs=_lot_file, note="any file, for MODERATE_LOTS (a draft's too)"
    ),
    "staff:lot_close": Entry(DECIDERS, kwargs=_live_lot, method="post", data={"close-comment": "Misleading terms."}),
}
