"""`seed_demo`'s marketplace: lots in every status, responses, deals with threads between the 16 businesses,
made through the services (history, revisions, journal, notifications), so every page has something to show."""

import io
import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.models import User
from auditlog.models import AuditEvent
from notifications.models import EmailState, Notification
from offers.attachments import ATTACHMENTS_KEY
from offers.demo import DEMO_LOTS
from offers.models import (
    Attachment,
    CloseReason,
    Deal,
    DealMessage,
    DealStatus,
    Lot,
    LotRevision,
    LotStatus,
    LotStatusChange,
    Response,
    ResponseStatus,
    RevisionStatus,
)
from portal.demo import DEMO_PERSONAS
from projects.models import Project


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=io.StringIO())


def rep_personas():
    return [email for email, _who in DEMO_PERSONAS if email.startswith("rep")]


def test_there_are_lots_in_every_status_responses_in_every_status_and_deals_in_every_status(seeded):
    assert set(Lot.objects.values_list("status", flat=True)) == set(LotStatus.values)
    assert set(Response.objects.values_list("status", flat=True)) == set(ResponseStatus.values)
    assert set(Deal.objects.values_list("status", flat=True)) == set(DealStatus.values)
    assert Lot.objects.count() == len(DEMO_LOTS)
    assert Lot.objects.filter(status=LotStatus.PUBLISHED).count() >= 10
    # the marketplace's filters have something to tell apart
    published = Lot.objects.filter(status=LotStatus.PUBLISHED)
    assert len(set(published.values_list("benefit_type", flat=True))) == 3
    assert len(set(published.values_list("project__category", flat=True))) >= 6
    assert set(Project.objects.filter(lots__isnull=False).values_list("slug", flat=True)) == set(
        Project.objects.values_list("slug", flat=True)
    ), "every business owns a lot"


def test_moderation_has_first_submissions_resubmissions_and_new_terms_of_live_lots_to_review(seeded):
    waiting = LotRevision.objects.filter(status=RevisionStatus.PENDING).select_related("lot")
    by_lot_status = {revision.lot.status for revision in waiting}
    assert by_lot_status == {LotStatus.MODERATION, LotStatus.PUBLISHED}
    # a live lot's new terms: partners keep seeing the approved ones
    live = next(r for r in waiting if r.lot.status == LotStatus.PUBLISHED)
    assert live.number == 2 and live.terms["reward"] != str(live.lot.reward)
    # a resubmission after changes were requested: the moderator has a reviewed revision to diff against
    resubmitted = [r for r in waiting if r.number > 1 and r.lot.status == LotStatus.MODERATION]
    assert resubmitted
    earlier = resubmitted[0].lot.revisions.get(number=1)
    assert earlier.status == RevisionStatus.CHANGES_REQUESTED and earlier.comment
    assert earlier.terms["benefit_value"] != resubmitted[0].terms["benefit_value"]
    # still sent back, and refused, with what the moderator said
    for status, revision_status in (
        (LotStatus.CHANGES_REQUESTED, RevisionStatus.CHANGES_REQUESTED),
        (LotStatus.REJECTED, RevisionStatus.REJECTED),
    ):
        lot = Lot.objects.get(status=status)
        assert lot.revisions.get().status == revision_status and lot.revisions.get().comment
        assert lot.history.filter(to_status=status).exclude(comment="").exists()
    # new terms approved after a first deal: that deal keeps the terms it was made on
    approved_live = LotRevision.objects.filter(status=RevisionStatus.APPROVED, number=2).get().lot
    terms = set(approved_live.deals.values_list("terms__reward", flat=True))
    assert len(terms) == 2


def test_lots_close_by_the_owner_and_by_expiry_and_closing_ends_their_deals(seeded):
    closed = Lot.objects.filter(status__in=[LotStatus.CLOSED, LotStatus.ARCHIVED])
    assert {CloseReason.OWNER, CloseReason.EXPIRED} <= set(closed.values_list("close_reason", flat=True))
    expired = Lot.objects.get(close_reason=CloseReason.EXPIRED)
    assert expired.history.filter(to_status=LotStatus.CLOSED, actor=None).exists()
    assert not Deal.objects.filter(lot__in=closed, status=DealStatus.ACTIVE).exists()
    assert not Response.objects.filter(lot__in=closed, status=ResponseStatus.PENDING).exists()
    # a response nobody answered before the lot expired was answered by the closing
    assert expired.responses.filter(status=ResponseStatus.REJECTED).exists()


def test_every_deal_has_a_thread_from_both_sides_and_staff_write_in_some(seeded):
    for deal in Deal.objects.all():
        sides = set(deal.messages.values_list("author_project", flat=True))
        assert {deal.owner_id, deal.partner_id} <= sides, deal.code
    assert DealMessage.objects.filter(author_project=None).exists()
    assert Deal.objects.get(status=DealStatus.CANCELLED).end_reason
    assert Response.objects.filter(status=ResponseStatus.REJECTED).exclude(reason="").exists()


def test_everything_was_made_through_the_services_and_told_in_the_portal_without_email(seeded):
    for lot in Lot.objects.all():
        assert lot.history.filter(from_status="", to_status=LotStatus.DRAFT).exists(), lot.title
        assert lot.history.order_by("-created_at", "-id").first().to_status == lot.status, lot.title
        assert AuditEvent.objects.filter(event="offers.lot.created", object_id=str(lot.pk)).exists(), lot.title
    assert AuditEvent.objects.filter(event="offers.deal.message_posted").count() == DealMessage.objects.count()
    assert AuditEvent.objects.filter(event="offers.response.submitted").count() == Response.objects.count()
    seeded_events = Notification.objects.filter(event__startswith="offers.")
    assert seeded_events.filter(event="offers.deal.message").exists()
    assert not seeded_events.exclude(email_state=EmailState.NOT_WANTED).exists()
    assert mail.outbox == []


@pytest.mark.parametrize("email", rep_personas())
def test_each_representative_persona_sits_on_both_sides(seeded, email):
    """SPEC §7.1: the persona's project owns lots and is the partner in other projects' deals."""
    for project in Project.objects.filter(memberships__user__email=email):
        assert Lot.objects.filter(project=project).exists(), project.slug
        assert Response.objects.filter(project=project).exists(), project.slug  # sent
        assert Response.objects.filter(lot__project=project).exists(), project.slug  # received
        assert Deal.objects.filter(owner=project).exists(), project.slug
        assert Deal.objects.filter(partner=project).exists(), project.slug
        assert Notification.objects.filter(recipient__email=email, read_at=None).exists()


def marketplace_state():
    return {
        model.__name__: model.objects.count()
        for model in (
            Lot,
            LotRevision,
            LotStatusChange,
            Response,
            Deal,
            DealMessage,
            Attachment,
            Notification,
            AuditEvent,
        )
    } | {"statuses": sorted(Lot.objects.values_list("title", "status"))}


def test_running_it_again_adds_and_changes_nothing(seeded):
    before = marketplace_state()

    call_command("seed_demo", stdout=io.StringIO())

    assert marketplace_state() == before


def test_a_lot_made_or_changed_by_someone_since_is_left_alone(seeded):
    lot = Lot.objects.get(status=LotStatus.DRAFT)
    lot.delete()  # the owner deleted the draft: the seed makes it again, and only it

    call_command("seed_demo", stdout=io.StringIO())

    assert Lot.objects.count() == len(DEMO_LOTS)
    assert Lot.objects.filter(status=LotStatus.DRAFT).count() == 1


def test_the_marketplace_takes_a_small_part_of_the_seed(db):
    started = time.monotonic()
    call_command("seed_demo", stdout=io.StringIO())
    assert time.monotonic() - started < 15  # about 2 s on SQLite here; a budget, not a benchmark


def test_the_command_names_the_personas_to_try(db):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert f"{len(DEMO_LOTS)} lots ({len(DEMO_LOTS)} new)" in text
    for email, _who in DEMO_PERSONAS:
        assert email in text
        assert User.objects.filter(email=email).exists()


def client_for(email):
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def test_a_persona_sees_seeded_data_on_every_page_of_its_cabinet(seeded):
    slug = "misty-lounge"
    client = client_for(f"rep1@{slug}.example")
    own = Lot.objects.get(project__slug=slug, status=LotStatus.PUBLISHED)
    market_lot = Lot.objects.filter(status=LotStatus.PUBLISHED).exclude(project__slug=slug).first()
    as_partner = Deal.objects.filter(partner__slug=slug).first()
    as_owner = Deal.objects.filter(owner__slug=slug).first()
    own_titles = list(Lot.objects.filter(project__slug=slug).values_list("title", flat=True))
    responded_to = list(Response.objects.filter(project__slug=slug).values_list("lot__title", flat=True))
    pages = {
        "dashboard": (reverse("cabinet:dashboard", args=[slug]), []),
        "lots": (reverse("cabinet:lots", args=[slug]), [*own_titles, 'data-testid="pending-revision"']),
        "lot": (reverse("cabinet:lot_detail", args=[slug, own.pk]), [own.title, 'data-testid="proposed"']),
        "market": (reverse("cabinet:market", args=[slug]), [market_lot.title]),
        "market lot": (reverse("cabinet:market_lot", args=[slug, market_lot.pk]), [market_lot.title]),
        "responses": (reverse("cabinet:responses", args=[slug]), [own.title, *responded_to]),
        "deals": (reverse("cabinet:deals", args=[slug]), [as_owner.code, as_partner.code]),
    }
    for deal in (as_owner, as_partner):
        pages[deal.code] = (reverse("cabinet:deal_detail", args=[slug, deal.code]), [deal.messages.first().body])
    for name, (url, texts) in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        content = response.content.decode()
        for text in texts:
            assert text in content or escape(text) in content, (name, text)
    assert 'data-testid="first-lot"' not in client.get(pages["dashboard"][0]).content.decode()


def test_the_moderator_sees_the_queue_and_the_diff_of_a_resubmission(seeded):
    client = client_for("moderator@misty.example")
    resubmitted = LotRevision.objects.filter(status=RevisionStatus.PENDING, number=2, lot__status="moderation").get()
    queue = client.get(reverse("staff:lot_queue") + "?scope=all")
    assert queue.status_code == 200
    assert resubmitted.lot.title in queue.content.decode()
    card = client.get(reverse("staff:lot_detail", args=[resubmitted.lot.pk]))
    assert card.status_code == 200
    assert 'data-testid="diff-changed"' in card.content.decode()
    assert client.get(reverse("staff:lots")).status_code == 200


def test_lots_and_a_thread_carry_real_files_the_pages_serve(seeded, client):
    with_files = Lot.objects.filter(attachments__isnull=False).distinct()
    assert {LotStatus.DRAFT, LotStatus.MODERATION, LotStatus.PUBLISHED} <= set(
        with_files.values_list("status", flat=True)
    )
    kinds = set(Attachment.objects.values_list("content_type", flat=True))
    assert kinds == {"application/pdf", "image/png"}
    # A published lot's new poster waits in its pending revision: the moderator's diff names it.
    revision = LotRevision.objects.filter(status=RevisionStatus.PENDING, lot__status=LotStatus.PUBLISHED).get(
        terms__has_key=ATTACHMENTS_KEY, lot__title__startswith="Первый вечер"
    )
    proposed = set(
        Attachment.objects.filter(pk__in=revision.terms[ATTACHMENTS_KEY]).values_list("display_name", flat=True)
    )
    live = set(revision.lot.attachments.filter(live=True).values_list("display_name", flat=True))
    assert proposed - live == {"Афиша будних вечеров.png"} and live == {"Условия акции.pdf"}
    message_file = Attachment.objects.get(message__isnull=False)
    assert message_file.display_name == "Макет карточки.pdf"

    # The owner's representative downloads the live file through the page, as an attachment.
    lot_file = revision.lot.attachments.get(live=True)
    client.force_login(User.objects.get(email="rep1@misty-lounge.example"))
    url = reverse(
        "cabinet:lot_attachment",
        kwargs={"project_slug": "misty-lounge", "pk": lot_file.lot_id, "attachment_pk": lot_file.pk},
    )
    response = client.get(url)
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and body.startswith(b"%PDF-")
    assert response["Content-Disposition"].startswith("attachment;")
