"""Responses and deals: a partner offers, the owner accepts or rejects, a deal starts on the approved terms
with a readable code, the two projects talk in its thread, and it ends by either party, staff or the lot."""

import threading

import pytest
from django.db import connection, connections

from auditlog.models import AuditEvent
from notifications.models import Notification
from offers import codes, services
from offers.models import Deal, DealMessage, DealStatus, Lot, LotStatus, Response, ResponseStatus
from portal.exceptions import ApplicationError
from tests.conftest import need
from tests.offers.conftest import lot_terms

CHANNELS = {"channels": "Stories on our Instagram (12k), a poster at the till", "expected_reach": 5000}


@pytest.fixture
def response(live_lot, rep_b, project_b):
    return services.response_submit(lot=live_lot, project=project_b, actor=rep_b, data=CHANNELS)


def test_a_partner_responds_and_the_owner_is_told(response, rep_a, live_lot):
    assert response.status == ResponseStatus.PENDING and response.expected_reach == 5000
    assert Notification.objects.filter(event="offers.response.received", recipient=rep_a).exists()
    assert AuditEvent.objects.filter(event="offers.response.submitted").exists()


def test_one_open_response_per_partner(response, live_lot, rep_b, project_b):
    with pytest.raises(ApplicationError, match="already has an open response"):
        services.response_submit(lot=live_lot, project=project_b, actor=rep_b, data=CHANNELS)
    services.response_withdraw(response=response, actor=rep_b)
    again = services.response_submit(lot=live_lot, project=project_b, actor=rep_b, data=CHANNELS)
    assert again.status == ResponseStatus.PENDING, "after a withdrawal, a new response is welcome"


def test_never_to_ones_own_lot(live_lot, rep_a, project_a):
    with pytest.raises(ApplicationError, match="own lot"):
        services.response_submit(lot=live_lot, project=project_a, actor=rep_a, data=CHANNELS)


@pytest.mark.parametrize("status", [LotStatus.PAUSED, LotStatus.CLOSED, LotStatus.DRAFT, LotStatus.MODERATION])
def test_never_to_a_lot_that_is_not_published(status, live_lot, rep_b, project_b):
    Lot.objects.filter(pk=live_lot.pk).update(status=status)
    with pytest.raises(ApplicationError, match="Only a published lot"):
        services.response_submit(lot=live_lot, project=project_b, actor=rep_b, data=CHANNELS)


@pytest.mark.parametrize("persona", ["viewer_a", "rep_a", "moderator", "director"])
def test_only_a_manager_of_the_responding_project_responds(persona, personas, live_lot, project_b):
    with pytest.raises(ApplicationError):
        services.response_submit(lot=live_lot, project=project_b, actor=personas[persona], data=CHANNELS)


def test_accepting_starts_a_deal_on_the_approved_terms_with_a_readable_code(response, rep_a, rep_b, live_lot):
    deal = services.response_accept(response=response, actor=rep_a)
    assert deal.status == DealStatus.ACTIVE and (deal.owner, deal.partner) == (live_lot.project, response.project)
    assert codes.normalize(deal.code) == deal.code
    assert deal.terms == live_lot.terms() and deal.revision == live_lot.live_revision
    assert Response.objects.get(pk=response.pk).status == ResponseStatus.ACCEPTED
    assert Notification.objects.filter(event="offers.response.accepted", recipient=rep_b).exists()


def test_a_code_collision_draws_again(response, rep_a, monkeypatch, live_lot, project_b):
    Deal.objects.create(
        lot=live_lot,
        response=Response.objects.create(lot=live_lot, project=project_b, channels="x", status="accepted"),
        owner=live_lot.project,
        partner=project_b,
        code="AAA777",
        terms={},
    )
    drawn = iter(["AAA777", "AAA777", "BBB888"])
    monkeypatch.setattr(codes, "new_code", lambda: next(drawn))
    assert services.response_accept(response=response, actor=rep_a).code == "BBB888"


def test_rejecting_needs_a_reason_and_tells_the_partner(response, rep_a, rep_b):
    with pytest.raises(ApplicationError, match="reason"):
        services.response_reject(response=response, actor=rep_a, reason=" ")
    services.response_reject(response=response, actor=rep_a, reason="Not our audience")
    assert Notification.objects.filter(event="offers.response.rejected", recipient=rep_b).exists()


def test_only_the_owner_decides_and_only_the_partner_withdraws(response, rep_b, viewer_a, rep_a):
    with pytest.raises(ApplicationError):
        services.response_accept(response=response, actor=rep_b)
    with pytest.raises(ApplicationError):
        services.response_accept(response=response, actor=viewer_a)
    with pytest.raises(ApplicationError):
        services.response_withdraw(response=response, actor=rep_a)
    assert Response.objects.get(pk=response.pk).status == ResponseStatus.PENDING


def test_an_answered_response_cannot_be_answered_again(response, rep_a, rep_b):
    services.response_withdraw(response=response, actor=rep_b)
    with pytest.raises(ApplicationError, match="already"):
        services.response_accept(response=response, actor=rep_a)


def test_closing_the_lot_answers_pending_responses(response, rep_a, rep_b, live_lot):
    services.lot_close(lot=live_lot, actor=rep_a)
    assert Response.objects.get(pk=response.pk).status == ResponseStatus.REJECTED
    assert Notification.objects.filter(event="offers.response.rejected", recipient=rep_b).exists()


@pytest.fixture
def deal(response, rep_a):
    return services.response_accept(response=response, actor=rep_a)


def test_either_party_or_staff_completes_and_everyone_is_told(deal, rep_b, rep_a, moderator):
    services.deal_complete(deal=deal, actor=rep_b)
    deal.refresh_from_db()
    assert deal.status == DealStatus.COMPLETED and deal.ended_by == rep_b
    told = set(Notification.objects.filter(event="offers.deal.completed").values_list("recipient", flat=True))
    assert {rep_a.pk, rep_b.pk, moderator.pk} <= told
    with pytest.raises(ApplicationError, match="already"):
        services.deal_complete(deal=deal, actor=rep_a)


@pytest.mark.parametrize("persona", ["viewer_a", "director", "rep_b"])
def test_people_outside_the_deal_cannot_end_it(persona, personas, deal, project_b):
    if persona == "rep_b":  # a representative of a third project
        from tests.factories import MembershipFactory, ProjectFactory, UserFactory

        outsider = UserFactory(email="c@gamma.example")
        MembershipFactory(user=outsider, project=ProjectFactory(slug="gamma"))
        actor = outsider
    else:
        actor = personas[persona]
    with pytest.raises(ApplicationError):
        services.deal_complete(deal=deal, actor=actor)
    with pytest.raises(ApplicationError):
        services.deal_cancel(deal=deal, actor=actor, reason="x")
    assert Deal.objects.get(pk=deal.pk).status == DealStatus.ACTIVE


def test_cancelling_needs_a_reason(deal, moderator):
    with pytest.raises(ApplicationError, match="reason"):
        services.deal_cancel(deal=deal, actor=moderator, reason="")
    services.deal_cancel(deal=deal, actor=moderator, reason="Duplicate deal")
    assert Deal.objects.get(pk=deal.pk).status == DealStatus.CANCELLED


def test_the_thread_tells_the_other_side_and_staff_may_write(deal, rep_a, rep_b, viewer_a, moderator, director):
    services.deal_message_post(deal=deal, actor=rep_b, body="We start on Monday.")
    told = set(Notification.objects.filter(event="offers.deal.message").values_list("recipient", flat=True))
    assert told == {rep_a.pk, viewer_a.pk}, "the owner's side, not the author's"
    message = services.deal_message_post(deal=deal, actor=moderator, body="Misty here: all good.")
    assert message.author_project is None
    for outsider in (viewer_a, director):
        with pytest.raises(ApplicationError):
            services.deal_message_post(deal=deal, actor=outsider, body="hi")
    with pytest.raises(ApplicationError, match="Write a message"):
        services.deal_message_post(deal=deal, actor=rep_a, body="   ")
    assert DealMessage.objects.filter(deal=deal).count() == 2


# --- concurrency on PostgreSQL: two owners accept while the lot closes; a withdrawal races an acceptance ---


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(5))
def test_accepting_while_the_lot_closes_leaves_a_consistent_state(
    round_, rep_a, rep_b, moderator, project_a, project_b
):
    need(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL)")
    from tests.factories import MembershipFactory, ProjectFactory, UserFactory

    lot = services.lot_create(project=project_a, actor=rep_a, data=lot_terms())
    services.lot_submit(lot=lot, actor=rep_a)
    services.lot_approve(lot=lot, actor=moderator)
    second_owner = UserFactory(email=f"owner2-{round_}@alpha.example")
    MembershipFactory(user=second_owner, project=project_a)
    gamma = ProjectFactory(slug=f"gamma-{round_}")
    rep_c = UserFactory(email=f"rep-{round_}@gamma.example")
    MembershipFactory(user=rep_c, project=gamma)
    first = services.response_submit(lot=lot, project=project_b, actor=rep_b, data=CHANNELS)
    second = services.response_submit(lot=lot, project=gamma, actor=rep_c, data=CHANNELS)

    barrier = threading.Barrier(3)
    errors = []

    def run(call):
        try:
            barrier.wait()
            call()
        except ApplicationError as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(lambda: services.response_accept(response=first, actor=rep_a),)),
        threading.Thread(target=run, args=(lambda: services.response_accept(response=second, actor=second_owner),)),
        threading.Thread(target=run, args=(lambda: services.lot_close(lot=lot, actor=rep_a),)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    lot.refresh_from_db()
    assert lot.status == LotStatus.CLOSED
    assert not Deal.objects.filter(lot=lot, status=DealStatus.ACTIVE).exists(), "no deal stays active on a closed lot"
    for response in Response.objects.filter(lot=lot):
        assert response.status in (ResponseStatus.ACCEPTED, ResponseStatus.REJECTED)
        assert (response.status == ResponseStatus.ACCEPTED) == Deal.objects.filter(response=response).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(5))
def test_a_withdrawal_racing_an_acceptance_ends_one_way(round_, rep_a, rep_b, moderator, project_a, project_b):
    need(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL)")
    lot = services.lot_create(project=project_a, actor=rep_a, data=lot_terms())
    services.lot_submit(lot=lot, actor=rep_a)
    services.lot_approve(lot=lot, actor=moderator)
    response = services.response_submit(lot=lot, project=project_b, actor=rep_b, data=CHANNELS)
    barrier = threading.Barrier(2)
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("done")
        except ApplicationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(lambda: services.response_accept(response=response, actor=rep_a),)),
        threading.Thread(target=run, args=(lambda: services.response_withdraw(response=response, actor=rep_b),)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["done", "refused"]
    response.refresh_from_db()
    has_deal = Deal.objects.filter(response=response).exists()
    assert (response.status, has_deal) in {(ResponseStatus.ACCEPTED, True), (ResponseStatus.WITHDRAWN, False)}
