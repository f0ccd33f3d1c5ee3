"""Staff → Visits and payments: importing visits and recording payments need RECORD_VISITS (moderator and
admin); the director, who changes nothing, gets 403; representatives have no staff cabinet (403)."""

import datetime

from tests.matrix import Entry, project_a_cabinet, staff_only

RECORDERS = staff_only(moderator=200, admin=200, director=403)

ENTRIES = {
    "staff:visits_import": Entry(RECORDERS, note="Capability.RECORD_VISITS"),
    "staff:visits_import_template": Entry(RECORDERS, note="the import's template workbook"),
}


def _payment(world):
    from visits.payments import payment_record

    payment = payment_record(
        payer=world.project_a,
        payee=None,
        amount="100",
        paid_on=datetime.date(2025, 1, 15),
        actor=world.admin,
        document=None,
    )
    return {"pk": payment.pk}


ENTRIES |= {
    "staff:payments": Entry(staff_only(), note="Capability.VIEW_ALL_PROJECTS"),
    "staff:payment_create": Entry(RECORDERS, note="Capability.RECORD_VISITS"),
    # Recorded without a document: the download is a 404 for every staff role (the policy's own refusal).
    "staff:payment_document": Entry(staff_only(404, 404, 404), kwargs=_payment, note="no document: 404"),
}


def _visit(world):
    """A confirmed visit: project C's client at project A (tests.matrix.market's deal)."""
    from tests.matrix.market import deal_of_a
    from visits.services import visit_record

    deal = deal_of_a(world)
    return visit_record(code=deal.code, source="manual", owner=world.project_a, client_phone="+79160000001").visit


def _dispute(world):
    from visits.disputes import dispute_open

    visit = _visit(world)
    return {"pk": dispute_open(visit=visit, project=world.project_a, actor=world.rep_a, reason="Never came").pk}


ENTRIES |= {
    "staff:visits": Entry(staff_only(), note="Capability.VIEW_ALL_PROJECTS"),
    "staff:visits_export": Entry(staff_only(), note="VIEW_ALL_PROJECTS and EXPORT_ALL"),
    "staff:visit_detail": Entry(staff_only(), kwargs=lambda w: {"pk": _visit(w).pk}),
    "staff:disputes": Entry(staff_only()),
    "staff:dispute_resolve": Entry(
        staff_only(moderator=302, admin=302, director=403),
        kwargs=_dispute,
        method="post",
        data={"decision": "reject"},
        note="RECORD_VISITS decides; the director reads",
    ),
    "staff:project_ledger": Entry(staff_only(), kwargs=lambda w: {"slug": w.project_a.slug}),
    "staff:project_ledger_export": Entry(staff_only(), kwargs=lambda w: {"slug": w.project_a.slug}),
    "cabinet:visits": Entry(project_a_cabinet(), kwargs=lambda w: {"project_slug": w.project_a.slug}),
    "cabinet:visit_dispute": Entry(
        {**project_a_cabinet(), "viewer_a": 403},
        kwargs=lambda w: {"project_slug": w.project_a.slug, "pk": _visit(w).pk},
        note="disputing is a manager's act: a viewer is refused the page",
    ),
    "cabinet:ledger": Entry(project_a_cabinet(), kwargs=lambda w: {"project_slug": w.project_a.slug}),
    "cabinet:ledger_export": Entry(project_a_cabinet(), kwargs=lambda w: {"project_slug": w.project_a.slug}),
}
