"""Representative → the counter page (and, as they come, the other pages of visits and the ledger)."""

from __future__ import annotations

from tests.matrix import Entry, project_a_cabinet, staff_only


def _key(world):
    from visits.api_keys import api_key_create

    key, _plain = api_key_create(project=world.project_a, name="Till", actor=world.admin)
    return {"slug": world.project_a.slug, "pk": key.pk}


ENTRIES = {
    "cabinet:counter": Entry(
        {**project_a_cabinet(), "viewer_a": 403},
        kwargs=lambda w: {"project_slug": w.project_a.slug},
        note="confirming visits is a manager's work: a viewer is refused the page",
    ),
    "staff:project_api_keys": Entry(
        staff_only(moderator=403, director=403),
        kwargs=lambda w: {"slug": w.project_a.slug},
        note="administrators only (MANAGE_PROJECTS)",
    ),
    "staff:project_api_key_revoke": Entry(
        staff_only(moderator=403, director=403, admin=302),
        kwargs=_key,
        method="post",
        note="→ back to the keys",
    ),
}

ENTRIES.update(
    {
        "cabinet:settlement": Entry(
            project_a_cabinet(),
            kwargs=lambda w: {"project_slug": w.project_a.slug},
            note="the month's netting with each counterpart; a viewer reads it too",
        ),
        "staff:settlement": Entry(staff_only(), note="every staff role reads the ecosystem's netting"),
    }
)


def _owes(world):
    """Project B's client came to project A this month: A pays B, so A's cabinet has B's invoice."""
    from offers import codes
    from tests.visits.conftest import make_deal
    from visits.services import visit_record

    w = world
    deal = make_deal(
        owner_rep=w.rep_a, partner_rep=w.rep_b, moderator=w.moderator, owner=w.project_a, partner=w.project_b
    )
    visit_record(code=codes.display(deal.code), source="manual", owner=w.project_a, client_phone="+79160001122")
    return {"project_slug": w.project_a.slug, "payee_slug": w.project_b.slug}


def _this_month() -> str:
    from visits.analytics import portal_today

    return portal_today().strftime("%Y-%m")


ENTRIES["cabinet:settlement_invoice"] = Entry(
    project_a_cabinet(),
    kwargs=_owes,
    data=lambda w: {"month": _this_month()},
    note="the invoice of what A pays B for the month; a viewer may download it too",
)
