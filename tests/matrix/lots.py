"""Representative → Our lots: every page is inside project A's cabinet. A viewer of the project reads the list,
the card and the calculator; the form and the actions are acting pages (403 on GET too). Project B's
representative gets 404 (tests/cabinets/test_lot_pages.py also asks for A's lot inside B's own cabinet);
staff get 403 here — they work on lots in the moderation pages."""

from tests.matrix import Entry, project_a_cabinet


def _in_a(world):
    return {"project_slug": world.project_a.slug}


def _draft_of_a(world):
    from offers import services
    from tests.offers.conftest import lot_terms

    return services.lot_create(project=world.project_a, actor=world.rep_a, data=lot_terms())


def _published_of_a(world):
    from offers import services

    lot = _draft_of_a(world)
    services.lot_submit(lot=lot, actor=world.rep_a)
    return services.lot_approve(lot=lot, actor=world.moderator)


def _draft_file_kwargs(world):
    from offers import services
    from tests.offers.conftest import checked, lot_terms

    lot = services.lot_create(project=world.project_a, actor=world.rep_a, data=lot_terms(), files=checked("a.pdf"))
    return {"project_slug": world.project_a.slug, "pk": lot.pk, "attachment_pk": lot.attachments.get().pk}


def _draft_kwargs(world):
    return {"project_slug": world.project_a.slug, "pk": _draft_of_a(world).pk}


ACTING = {**project_a_cabinet(), "viewer_a": 403}

ENTRIES = {
    "cabinet:lots": Entry(project_a_cabinet(), kwargs=_in_a, note="a viewer reads the list"),
    "cabinet:lot_create": Entry(ACTING, kwargs=_in_a, note="an acting page: a viewer is refused its GET"),
    "cabinet:lot_budget": Entry(
        project_a_cabinet(), kwargs=_in_a, data={"quota": "10", "reward": "300"}, note="the calculator's panel"
    ),
    "cabinet:lot_detail": Entry(project_a_cabinet(), kwargs=_draft_kwargs, note="a draft: its owner's eyes only"),
    "cabinet:lot_edit": Entry(ACTING, kwargs=_draft_kwargs),
    "cabinet:lot_attachment": Entry(
        project_a_cabinet(), kwargs=_draft_file_kwargs, note="a draft's file: its owner's eyes only (a viewer reads)"
    ),
    "cabinet:lot_action": Entry(
        ACTING,
        kwargs=lambda w: {"project_slug": w.project_a.slug, "pk": _published_of_a(w).pk, "action": "close"},
        note="GET is closing's confirmation; the other actions are POST only",
    ),
}
