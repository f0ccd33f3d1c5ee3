"""Staff → Deals: the list and a deal's card for every staff role; writing in the thread, completing and
cancelling only for MODERATE_LOTS — the director reads and gets 403 on every POST, as on the lots' card;
representatives have no staff cabinet (403). The deal is project A's with a third project (tests.matrix.market)."""

from tests.matrix import Entry, staff_only
from tests.matrix.market import deal_of_a

WRITERS = staff_only(moderator=302, admin=302, director=403)


def _deal(world):
    return {"code": deal_of_a(world).code}


def _deal_as_typed(world):
    code = deal_of_a(world).code
    return {"code": f"{code[:3].lower()}-{code[3:].lower()}"}


ENTRIES = {
    "staff:deals": Entry(staff_only(), kwargs=lambda w: deal_of_a(w) and {}, note="Capability.VIEW_ALL_PROJECTS"),
    "staff:deal_detail": Entry(staff_only(), kwargs=_deal_as_typed, note="the code in any case, with its dash"),
    "staff:deal_print": Entry(
        staff_only(), kwargs=lambda w: _deal(w) | {"kind": "poster"}, note="the deal's referral poster (PDF)"
    ),
    "staff:deal_message": Entry(WRITERS, kwargs=_deal, method="post", data={"body": "Misty here: all good?"}),
    "staff:deal_complete": Entry(WRITERS, kwargs=_deal, method="post"),
    "staff:deal_cancel": Entry(WRITERS, kwargs=_deal, method="post", data={"cancel-reason": "Duplicate of another"}),
}
