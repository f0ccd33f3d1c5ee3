"""Representative → the marketplace, responses and deals: every page is inside project A's cabinet. The
objects each URL needs are made through the services: a lot of project B published in the marketplace,
responses and deals of project A with project C (so project B is party to none of them)."""

from __future__ import annotations

from offers import services
from tests.factories import MembershipFactory, ProjectFactory, UserFactory
from tests.matrix import Entry, project_a_cabinet
from tests.offers.conftest import checked, lot_terms


def published_lot(project, manager, moderator, **terms):
    lot = services.lot_create(project=project, actor=manager, data=lot_terms(**terms))
    services.lot_submit(lot=lot, actor=manager)
    return services.lot_approve(lot=lot, actor=moderator)


def project_c():
    """A third project with a manager: the counterpart of project A's responses and deals here."""
    project = ProjectFactory(name="Gamma Gym", slug="gamma")
    manager = UserFactory(email="rep@gamma.example")
    MembershipFactory(user=manager, project=project)
    return project, manager


def response_to_a(world):
    """A pending response of project C to a lot of project A."""
    project, manager = project_c()
    lot = published_lot(world.project_a, world.rep_a, world.moderator)
    return services.response_submit(lot=lot, project=project, actor=manager, data={"channels": "Our counter"})


def response_from_a(world):
    """A pending response of project A to a lot of project C."""
    project, manager = project_c()
    lot = published_lot(project, manager, world.moderator)
    return services.response_submit(lot=lot, project=world.project_a, actor=world.rep_a, data={"channels": "Posts"})


def deal_of_a(world):
    """An active deal: project C brings clients to project A's lot."""
    return services.response_accept(response=response_to_a(world), actor=world.rep_a)


def _in_a(world, **kwargs):
    return {"project_slug": world.project_a.slug, **kwargs}


def _market_lot(world):
    return _in_a(world, pk=published_lot(world.project_b, world.rep_b, world.moderator).pk)


def _deal(world):
    return _in_a(world, code=deal_of_a(world).code)


def _market_file(world):
    """A file of the live terms of project B's published lot."""
    lot = services.lot_create(project=world.project_b, actor=world.rep_b, data=lot_terms(), files=checked("b.pdf"))
    services.lot_submit(lot=lot, actor=world.rep_b)
    services.lot_approve(lot=lot, actor=world.moderator)
    return _in_a(world, pk=lot.pk, attachment_pk=lot.attachments.get().pk)


def _deal_file(world):
    """A file of a message of project A's deal with project C."""
    deal = deal_of_a(world)
    message = services.deal_message_post(deal=deal, actor=world.rep_a, body="Our poster", files=checked("p.pdf"))
    return _in_a(world, code=deal.code, attachment_pk=message.attachments.get().pk)


ENTRIES = {
    "cabinet:market": Entry(project_a_cabinet(), kwargs=_in_a),
    "cabinet:market_lot": Entry(project_a_cabinet(), kwargs=_market_lot, note="project B's published lot"),
    "cabinet:market_attachment": Entry(project_a_cabinet(), kwargs=_market_file, note="a live file of B's lot"),
    "cabinet:responses": Entry(project_a_cabinet(), kwargs=_in_a),
    "cabinet:response_accept": Entry(
        project_a_cabinet(302),
        kwargs=lambda w: _in_a(w, pk=response_to_a(w).pk),
        method="post",
        note="→ the new deal's page",
    ),
    "cabinet:response_reject": Entry(
        {**project_a_cabinet(), "viewer_a": 403},
        kwargs=lambda w: _in_a(w, pk=response_to_a(w).pk),
        note="the reason form: a page only to act (a viewer's GET is refused too)",
    ),
    "cabinet:response_withdraw": Entry(
        project_a_cabinet(302), kwargs=lambda w: _in_a(w, pk=response_from_a(w).pk), method="post"
    ),
    "cabinet:deals": Entry(project_a_cabinet(), kwargs=_in_a),
    "cabinet:deal_detail": Entry(project_a_cabinet(), kwargs=_deal),
    "cabinet:deal_attachment": Entry(project_a_cabinet(), kwargs=_deal_file, note="a file of the deal's thread"),
    "cabinet:deal_print": Entry(
        project_a_cabinet(), kwargs=lambda w: _deal(w) | {"kind": "cards"}, note="referral cards to print (PDF)"
    ),
    "cabinet:deal_message": Entry(project_a_cabinet(302), kwargs=_deal, method="post", data={"body": "Hello"}),
    "cabinet:deal_complete": Entry(project_a_cabinet(302), kwargs=_deal, method="post"),
    "cabinet:deal_cancel": Entry(
        {**project_a_cabinet(), "viewer_a": 403}, kwargs=_deal, note="the reason form: a page only to act"
    ),
}
