"""The lot's life: drafted by a manager, moderated with memory, published, paused, closed, archived — every
transition allowed or refused by the one table (offers/transitions.py), audited, with its history row."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from auditlog.models import AuditEvent
from notifications.models import Notification
from offers import services
from offers.models import (
    CloseReason,
    Deal,
    DealStatus,
    Lot,
    LotRevision,
    LotStatus,
    LotStatusChange,
    Response,
    ResponseStatus,
    RevisionStatus,
)
from offers.transitions import MODERATOR, OWNER, REVISABLE, SYSTEM, TRANSITIONS, available
from portal.exceptions import ApplicationError
from tests.offers.conftest import TODAY
from tests.offers.conftest import lot_terms as terms


@pytest.fixture
def draft(rep_a, project_a):
    return services.lot_create(project=project_a, actor=rep_a, data=terms())


@pytest.fixture
def published(draft, rep_a, moderator):
    services.lot_submit(lot=draft, actor=rep_a)
    return services.lot_approve(lot=draft, actor=moderator)


def test_a_manager_drafts_a_lot_that_nobody_else_sees_yet(draft, rep_a):
    assert draft.status == LotStatus.DRAFT and draft.created_by == rep_a
    assert list(draft.history.values_list("from_status", "to_status")) == [("", "draft")]
    assert AuditEvent.objects.get(event="offers.lot.created").changes["title"]["new"] == draft.title


@pytest.mark.parametrize("persona", ["viewer_a", "rep_b", "moderator", "director", "admin"])
def test_only_a_manager_of_the_project_drafts_its_lots(persona, personas, project_a):
    with pytest.raises(ApplicationError):
        services.lot_create(project=project_a, actor=personas[persona], data=terms())
    assert not Lot.objects.exists()


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"title": "  "}, "title"),
        ({"quota": 0}, "quota"),
        ({"age_from": 40, "age_to": 20}, "age"),
        ({"valid_until": TODAY - dt.timedelta(days=1)}, "ends before it starts"),
        ({"benefit_value": Decimal("0")}, "value"),
        ({"benefit_type": "discount_percent", "benefit_value": Decimal("120")}, "100%"),
        ({"benefit_type": "free_lunch"}, "benefit"),
    ],
)
def test_terms_that_do_not_hold_together_are_refused_with_a_clear_message(changes, message, rep_a, project_a):
    with pytest.raises(ApplicationError, match=message):
        services.lot_create(project=project_a, actor=rep_a, data=terms(**changes))


def test_submission_makes_a_pending_revision_and_tells_staff(draft, rep_a, moderator, admin):
    services.lot_submit(lot=draft, actor=rep_a)
    draft.refresh_from_db()
    assert draft.status == LotStatus.MODERATION and draft.submitted_at
    revision = LotRevision.objects.get(lot=draft)
    assert (revision.number, revision.status, revision.terms["reward"]) == (1, RevisionStatus.PENDING, "300.00")
    told = set(Notification.objects.filter(event="offers.lot.submitted").values_list("recipient", flat=True))
    assert told == {moderator.pk, admin.pk}


def test_approval_publishes_and_tells_the_owner(viewer_a, published, moderator, rep_a):
    assert published.status == LotStatus.PUBLISHED and published.published_at
    assert published.live_revision.status == RevisionStatus.APPROVED
    assert published.live_revision.reviewer == moderator
    told = set(Notification.objects.filter(event="offers.lot.approved").values_list("recipient", flat=True))
    assert told == {rep_a.pk, viewer_a.pk}, "the project's representatives, viewers included"
    assert list(published.history.order_by("created_at", "id").values_list("to_status", flat=True)) == [
        "draft",
        "moderation",
        "published",
    ]


def test_changes_requested_edited_in_place_and_resubmitted(draft, rep_a, moderator):
    services.lot_submit(lot=draft, actor=rep_a)
    with pytest.raises(ApplicationError, match="what should change"):
        services.lot_request_changes(lot=draft, actor=moderator, comment=" ")
    services.lot_request_changes(lot=draft, actor=moderator, comment="Lower the age to 16+")
    draft.refresh_from_db()
    assert draft.status == LotStatus.CHANGES_REQUESTED

    services.lot_update(lot=draft, actor=rep_a, data=terms(age_from=16))
    services.lot_submit(lot=draft, actor=rep_a)
    first, second = LotRevision.objects.filter(lot=draft).order_by("number")
    assert (first.status, first.comment) == (RevisionStatus.CHANGES_REQUESTED, "Lower the age to 16+")
    assert (second.status, second.terms["age_from"]) == (RevisionStatus.PENDING, 16)


def test_rejection_needs_a_reason(draft, rep_a, moderator):
    services.lot_submit(lot=draft, actor=rep_a)
    with pytest.raises(ApplicationError, match="reason"):
        services.lot_reject(lot=draft, actor=moderator, reason="")
    services.lot_reject(lot=draft, actor=moderator, reason="Not a business offer")
    draft.refresh_from_db()
    assert draft.status == LotStatus.REJECTED
    assert Notification.objects.get(event="offers.lot.rejected").recipient_id is not None


def test_editing_a_published_lot_proposes_a_revision_and_keeps_the_live_terms(published, rep_a, moderator):
    services.lot_update(lot=published, actor=rep_a, data=terms(reward=Decimal("500")))
    services.lot_update(lot=published, actor=rep_a, data=terms(reward=Decimal("450")))  # replaces the proposal
    published.refresh_from_db()
    assert published.status == LotStatus.PUBLISHED and published.reward == Decimal("300"), "partners see the live"
    pending = LotRevision.objects.get(lot=published, status=RevisionStatus.PENDING)
    assert pending.terms["reward"] == "450.00"

    services.lot_approve(lot=published, actor=moderator)
    published.refresh_from_db()
    assert published.reward == Decimal("450") and published.live_revision == pending
    assert published.status == LotStatus.PUBLISHED


def test_a_rejected_revision_leaves_the_live_lot_as_it_was(published, rep_a, moderator):
    services.lot_update(lot=published, actor=rep_a, data=terms(quota=1000))
    services.lot_reject(lot=published, actor=moderator, reason="Too many")
    published.refresh_from_db()
    assert (published.status, published.quota) == (LotStatus.PUBLISHED, 100)


def test_an_edit_that_changes_nothing_is_refused(published, rep_a):
    with pytest.raises(ApplicationError, match="Nothing changed"):
        services.lot_update(lot=published, actor=rep_a, data=terms())


def test_pause_resume_close_archive(published, rep_a):
    services.lot_pause(lot=published, actor=rep_a)
    services.lot_resume(lot=published, actor=rep_a)
    services.lot_close(lot=published, actor=rep_a)
    services.lot_archive(lot=published, actor=rep_a)
    published.refresh_from_db()
    assert published.status == LotStatus.ARCHIVED and published.close_reason == CloseReason.OWNER
    assert [e.event for e in AuditEvent.objects.filter(object_id=str(published.pk)).order_by("id")][-4:] == [
        "offers.lot.paused",
        "offers.lot.resumed",
        "offers.lot.closed",
        "offers.lot.archived",
    ]


def test_closing_completes_the_lots_active_deals_and_tells_both_sides(published, rep_a, rep_b, project_b):
    response = Response.objects.create(lot=published, project=project_b, channels="Instagram")
    response.status = ResponseStatus.ACCEPTED
    response.save()
    deal = Deal.objects.create(
        lot=published, response=response, owner=published.project, partner=project_b, code="ABC234", terms={}
    )
    services.lot_close(lot=published, actor=rep_a)
    deal.refresh_from_db()
    assert deal.status == DealStatus.COMPLETED and deal.ended_by == rep_a
    told = set(Notification.objects.filter(event="offers.deal.completed").values_list("recipient", flat=True))
    assert {rep_a.pk, rep_b.pk} <= told


def test_expired_lots_close_once(published, rep_a):
    Lot.objects.filter(pk=published.pk).update(
        valid_from=TODAY - dt.timedelta(days=30), valid_until=TODAY - dt.timedelta(days=1)
    )
    assert services.close_expired(today=TODAY) == 1
    assert services.close_expired(today=TODAY) == 0, "idempotent"
    published.refresh_from_db()
    assert (published.status, published.close_reason) == (LotStatus.CLOSED, CloseReason.EXPIRED)
    assert LotStatusChange.objects.get(lot=published, to_status="closed").actor is None


def test_the_audit_event_rolls_back_with_the_transition(draft, rep_a, monkeypatch):
    monkeypatch.setattr(services, "_new_revision", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        services.lot_submit(lot=draft, actor=rep_a)
    draft.refresh_from_db()
    assert draft.status == LotStatus.DRAFT
    assert not AuditEvent.objects.filter(event="offers.lot.submitted").exists()
    assert not LotStatusChange.objects.filter(lot=draft, to_status="moderation").exists()


# --- the whole table: every transition from every status, for every side ----------------------------------

CALLS = {
    "submit": lambda lot, actor: services.lot_submit(lot=lot, actor=actor),
    "approve": lambda lot, actor: services.lot_approve(lot=lot, actor=actor),
    "request_changes": lambda lot, actor: services.lot_request_changes(lot=lot, actor=actor, comment="x"),
    "reject": lambda lot, actor: services.lot_reject(lot=lot, actor=actor, reason="x"),
    "pause": lambda lot, actor: services.lot_pause(lot=lot, actor=actor),
    "resume": lambda lot, actor: services.lot_resume(lot=lot, actor=actor),
    "close": lambda lot, actor: services.lot_close(lot=lot, actor=actor),
    "archive": lambda lot, actor: services.lot_archive(lot=lot, actor=actor),
}
SIDE_OF = {"rep_a": OWNER, "moderator": MODERATOR, "curator": MODERATOR}


@pytest.mark.parametrize("status", LotStatus.values)
@pytest.mark.parametrize("name", sorted(TRANSITIONS))
@pytest.mark.parametrize("persona", ["rep_a", "viewer_a", "rep_b", "moderator", "curator", "director"])
def test_every_transition_from_every_status_by_everyone(name, status, persona, personas, draft):
    Lot.objects.filter(pk=draft.pk).update(status=status, valid_until=TODAY + dt.timedelta(days=400))
    if status == LotStatus.MODERATION or name in {"approve", "request_changes", "reject"}:
        LotRevision.objects.create(lot=draft, number=1, terms=draft.terms())
    lot = Lot.objects.get(pk=draft.pk)
    side = SIDE_OF.get(persona)
    allowed = status in TRANSITIONS[name].sources and side in TRANSITIONS[name].by
    if name in {"approve", "request_changes", "reject"} and status in REVISABLE and side == MODERATOR:
        # Not a transition: moderation reviews new terms of a live lot, which stays as it is.
        CALLS[name](lot, personas[persona])
        assert Lot.objects.get(pk=lot.pk).status == status
        assert not LotRevision.objects.filter(lot=lot, status=RevisionStatus.PENDING).exists()
    elif allowed:
        CALLS[name](lot, personas[persona])
        assert Lot.objects.get(pk=lot.pk).status == TRANSITIONS[name].target
    else:
        with pytest.raises(ApplicationError):
            CALLS[name](lot, personas[persona])
        assert Lot.objects.get(pk=lot.pk).status == status, "a refused transition changes nothing"


def test_the_system_only_closes(published):
    assert available(status=LotStatus.PUBLISHED, side=SYSTEM) == ["close"]
    services.lot_close(lot=published, actor=None, reason=CloseReason.QUOTA)
    assert Lot.objects.get(pk=published.pk).close_reason == CloseReason.QUOTA


def test_resuming_a_lot_whose_validity_is_over_is_refused(published, rep_a):
    services.lot_pause(lot=published, actor=rep_a)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Lot.objects.filter(pk=published.pk).update(valid_from=yesterday - dt.timedelta(days=30), valid_until=yesterday)
    with pytest.raises(ApplicationError, match="validity is over"):
        services.lot_resume(lot=Lot.objects.get(pk=published.pk), actor=rep_a)


def test_the_nightly_job_and_the_command_close_expired_lots(published, settings):
    import io

    from django.core.management import call_command

    from offers.tasks import close_expired_lots

    assert settings.CELERY_BEAT_SCHEDULE["offers-close-expired-lots"]["task"] == close_expired_lots.name
    Lot.objects.filter(pk=published.pk).update(
        valid_from=timezone.localdate() - dt.timedelta(days=30), valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    out = io.StringIO()
    call_command("close_expired", stdout=out)
    assert "Closed 1 lot" in out.getvalue()
    assert close_expired_lots() == 0


def test_notifications_about_a_lot_lead_to_its_card_in_the_owners_cabinet(published):
    from django.urls import reverse

    link = Notification.objects.get(event="offers.lot.approved").link
    assert link == reverse("cabinet:lot_detail", kwargs={"project_slug": published.project.slug, "pk": published.pk})
