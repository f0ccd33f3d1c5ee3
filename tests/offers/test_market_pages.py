"""The marketplace, responses and deals pages of a project's cabinet (cabinets/views/market.py): what each
lists and hides, its filters (invalid ones too), every action through its page with its refusals, and the
query budgets — flat with one row or hundreds."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from offers import codes, services
from offers.models import Deal, DealMessage, DealStatus, DealThreadRead, Lot, LotStatus, Response, ResponseStatus
from projects.models import Category, Project
from tests.factories import MembershipFactory, UserFactory
from tests.matrix.market import project_c, published_lot
from tests.offers.conftest import lot_terms

CHANNELS = {"channels": "Stories on our Instagram, a poster at the till", "expected_reach": "5000"}


def url(name, project, **kwargs):
    return reverse(f"cabinet:{name}", kwargs={"project_slug": project.slug, **kwargs})


def titles(response):
    return [lot.title for lot in response.context["list"]]


@pytest.fixture
def lot_b(project_b, rep_b, moderator):
    """A published lot of project B: project A's marketplace shows it."""
    return published_lot(project_b, rep_b, moderator, title="Haircut for newcomers")


@pytest.fixture
def response_b(live_lot, project_b, rep_b):
    """Project B's pending response to project A's lot."""
    return services.response_submit(lot=live_lot, project=project_b, actor=rep_b, data={"channels": "Our chairs"})


@pytest.fixture
def deal(response_b, rep_a):
    return services.response_accept(response=response_b, actor=rep_a)


# --- the marketplace -------------------------------------------------------------------------------------


def test_the_market_lists_published_lots_of_other_active_projects_only(
    client_as, project_a, project_b, rep_a, rep_b, moderator, live_lot, lot_b
):
    draft = services.lot_create(project=project_b, actor=rep_b, data=lot_terms(title="B draft"))
    on_moderation = services.lot_submit(
        lot=services.lot_create(project=project_b, actor=rep_b, data=lot_terms(title="B waiting")), actor=rep_b
    )
    paused = services.lot_pause(lot=published_lot(project_b, rep_b, moderator, title="B paused"), actor=rep_b)
    closed = services.lot_close(lot=published_lot(project_b, rep_b, moderator, title="B closed"), actor=rep_b)
    gone, gone_manager = project_c()
    published_lot(gone, gone_manager, moderator, title="C of an inactive project")
    Project.objects.filter(pk=gone.pk).update(active=False)
    assert {draft.status, on_moderation.status, paused.status, closed.status} == {
        LotStatus.DRAFT,
        LotStatus.MODERATION,
        LotStatus.PAUSED,
        LotStatus.CLOSED,
    }

    response = client_as("rep_a").get(url("market", project_a))
    assert titles(response) == ["Haircut for newcomers"], "not A's own lot, no unpublished lot, no inactive owner"
    page = response.content.decode()
    assert "Beta Barbershop" in page and live_lot.title not in page
    # And from B's side: A's lot only.
    assert titles(client_as("rep_b").get(url("market", project_b))) == [live_lot.title]


def test_the_empty_market_says_so_and_offers_the_catalog(client_as, project_a, live_lot):
    response = client_as("rep_a").get(url("market", project_a))
    assert b'data-testid="market-empty"' in response.content
    assert url("catalog", project_a).encode() in response.content
    filtered = client_as("rep_a").get(url("market", project_a), {"q": "nothing"})
    assert b'data-testid="market-empty"' not in filtered.content and b"empty-filtered" in filtered.content


@pytest.fixture
def market(project_a, project_b, rep_b, moderator):
    """Three lots of other projects with different terms."""
    c, c_manager = project_c()
    Project.objects.filter(pk=c.pk).update(category=Category.FITNESS)
    Project.objects.filter(pk=project_b.pk).update(category=Category.BEAUTY)
    published_lot(
        project_b, rep_b, moderator, title="Стрижка для новичков", reward=Decimal("200"), age_from=None, age_to=None
    )
    published_lot(
        project_b,
        rep_b,
        moderator,
        title="Manicure",
        description="Nails for students",
        benefit_type="discount_fixed",
        benefit_value=Decimal("500"),
        reward=Decimal("450"),
        age_from=25,
        age_to=None,
        valid_from=dt.date(2026, 12, 1),
        valid_until=dt.date(2026, 12, 31),
    )
    published_lot(
        c,
        c_manager,
        moderator,
        title="Gym trial",
        benefit_type="bonus_points",
        benefit_value=Decimal("1000"),
        reward=Decimal("800"),
        age_from=18,
        age_to=30,
    )


@pytest.mark.parametrize(
    "query,expected",
    [
        ({"q": "СТРИЖКА"}, {"Стрижка для новичков"}),  # any alphabet, any case
        ({"q": "students"}, {"Manicure"}),  # the description too
        ({"category": "fitness"}, {"Gym trial"}),
        ({"category": "beauty"}, {"Стрижка для новичков", "Manicure"}),
        ({"benefit_type": "discount_fixed"}, {"Manicure"}),
        ({"reward_min": "400"}, {"Manicure", "Gym trial"}),
        ({"reward_max": "450"}, {"Стрижка для новичков", "Manicure"}),
        ({"reward_min": "400", "reward_max": "500"}, {"Manicure"}),
        ({"age": "40"}, {"Стрижка для новичков", "Manicure"}),  # no bounds = any age; from 25 = 40 too
        ({"age": "20"}, {"Стрижка для новичков", "Gym trial"}),
        ({"valid_on": "2026-12-15"}, {"Стрижка для новичков", "Manicure", "Gym trial"}),
        ({"valid_on": "2026-11-25"}, {"Стрижка для новичков", "Gym trial"}),
        ({"valid_on": "2027-06-01"}, set()),
    ],
)
def test_market_filters(client_as, project_a, market, query, expected):
    response = client_as("rep_a").get(url("market", project_a), query)
    assert set(titles(response)) == expected


@pytest.mark.parametrize(
    "query,field,message",
    [
        ({"reward_min": "abc"}, "reward_min", "Enter a whole number."),
        ({"reward_min": "500", "reward_max": "100"}, "reward_max", "The maximum reward is below the minimum."),
        ({"age": "5"}, "age", "greater than or equal to 14"),
        ({"valid_on": "tomorrow"}, "valid_on", "Enter a valid date."),
        ({"benefit_type": "free_beer"}, "benefit_type", "Select a valid choice."),
        ({"category": "bogus"}, "category", "Select a valid choice."),
    ],
)
def test_an_invalid_market_filter_empties_the_list_and_says_why(client_as, project_a, market, query, field, message):
    response = client_as("rep_a").get(url("market", project_a), query)
    assert titles(response) == []
    errors = response.context["list"].filter.form.errors
    assert message in " ".join(errors[field])
    assert b"Fix the filter to see results." in response.content
    for value in query.values():
        assert value.encode() in response.content, "the form keeps what was typed"


def test_a_card_says_whether_the_project_responded_or_has_a_deal(client_as, project_a, project_b, rep_a, lot_b):
    page = client_as("rep_a").get(url("market", project_a))
    assert b"market-pending" not in page.content and b"market-deal" not in page.content
    response = services.response_submit(lot=lot_b, project=project_a, actor=rep_a, data={"channels": "Flyers"})
    page = client_as("rep_a").get(url("market", project_a))
    assert b'data-testid="market-pending"' in page.content
    rep_b = Project.objects.get(pk=project_b.pk).memberships.get().user
    deal = services.response_accept(response=response, actor=rep_b)
    page = client_as("rep_a").get(url("market", project_a))
    assert b'data-testid="market-pending"' not in page.content
    assert codes.display(deal.code).encode() in page.content


# --- a lot of the marketplace and the response -------------------------------------------------------------


def test_a_lot_page_is_404_unless_published_by_another_active_project(
    client_as, project_a, project_b, rep_b, live_lot, lot_b
):
    client = client_as("rep_a")
    assert client.get(url("market_lot", project_a, pk=lot_b.pk)).status_code == 200
    assert client.get(url("market_lot", project_a, pk=live_lot.pk)).status_code == 404, "one's own lot"
    draft = services.lot_create(project=project_b, actor=rep_b, data=lot_terms())
    assert client.get(url("market_lot", project_a, pk=draft.pk)).status_code == 404
    services.lot_pause(lot=lot_b, actor=rep_b)
    assert client.get(url("market_lot", project_a, pk=lot_b.pk)).status_code == 404
    services.lot_resume(lot=lot_b, actor=rep_b)
    Project.objects.filter(pk=project_b.pk).update(active=False)
    assert client.get(url("market_lot", project_a, pk=lot_b.pk)).status_code == 404


def test_a_partner_who_responded_still_reads_the_lot_once_paused_or_closed_but_cannot_respond(
    client_as, client, project_a, project_b, rep_a, rep_b, lot_b
):
    services.response_submit(lot=lot_b, project=project_a, actor=rep_a, data={"channels": "Flyers"})
    client = client_as("rep_a")
    services.lot_pause(lot=lot_b, actor=rep_b)
    page = client.get(url("market_lot", project_a, pk=lot_b.pk))
    assert page.status_code == 200 and b'data-testid="market-lot-pending"' in page.content
    services.lot_close(lot=lot_b, actor=rep_b)  # answers the pending response
    page = client.get(url("market_lot", project_a, pk=lot_b.pk))
    assert page.status_code == 200
    assert b'data-testid="market-lot-not-open"' in page.content and b'data-testid="response-form"' not in page.content
    refused = client.post(url("market_lot", project_a, pk=lot_b.pk), {"channels": "Again"})
    assert refused.status_code == 200 and not Response.objects.filter(lot=lot_b, status=ResponseStatus.PENDING)
    # A project that never responded to it does not see it any more.
    outsider, outsider_manager = project_c()
    client.force_login(outsider_manager, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(url("market_lot", outsider, pk=lot_b.pk)).status_code == 404


def test_a_lot_page_shows_live_terms_and_the_owners_card(client_as, project_a, project_b, lot_b):
    response = client_as("rep_a").get(url("market_lot", project_a, pk=lot_b.pk))
    page = response.content.decode()
    assert "Haircut for newcomers" in page and "300 ₽" in page and "15 %" in page
    assert url("catalog_project", project_a, slug=project_b.slug) in page
    assert 'data-testid="response-form"' in page


def test_a_manager_responds_through_the_page_and_withdraws(client_as, project_a, lot_b):
    client = client_as("rep_a")
    lot_url = url("market_lot", project_a, pk=lot_b.pk)
    start = timezone.localdate() + dt.timedelta(days=3)
    response = client.post(lot_url, {**CHANNELS, "proposed_start": start.isoformat()})
    assert response.status_code == 302 and response["Location"] == lot_url
    sent = Response.objects.get(lot=lot_b, project=project_a)
    assert (sent.status, sent.expected_reach, sent.proposed_start) == (ResponseStatus.PENDING, 5000, start)
    page = client.get(lot_url).content.decode()
    assert 'data-testid="market-lot-pending"' in page and 'data-testid="response-form"' not in page
    assert "Stories on our Instagram" in page

    response = client.post(url("response_withdraw", project_a, pk=sent.pk), {"next": "market"})
    assert response["Location"] == lot_url
    sent.refresh_from_db()
    assert sent.status == ResponseStatus.WITHDRAWN
    again = client.post(url("response_withdraw", project_a, pk=sent.pk), follow=True)
    assert "already “Withdrawn”" in again.content.decode()


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"channels": "  ", "expected_reach": "700"}, "channels", "Say how and where you will advertise the lot."),
        ({"channels": "Posts", "expected_reach": "-3"}, "expected_reach", "greater than or equal to 1"),
        ({"channels": "Posts", "proposed_start": "2026-01-01"}, "proposed_start", "The proposed start is in the past."),
        ({"channels": "Posts", "proposed_start": "2027-06-01"}, "proposed_start", "The lot is valid until"),
    ],
)
def test_a_bad_response_is_refused_with_its_reason_and_keeps_what_was_typed(
    client_as, project_a, lot_b, data, field, message
):
    response = client_as("rep_a").post(url("market_lot", project_a, pk=lot_b.pk), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    for value in data.values():
        if value.strip():
            assert value.encode() in response.content
    assert not Response.objects.exists()


def test_a_second_open_response_is_refused_by_the_service(client_as, project_a, rep_a, lot_b):
    services.response_submit(lot=lot_b, project=project_a, actor=rep_a, data={"channels": "Flyers"})
    response = client_as("rep_a").post(url("market_lot", project_a, pk=lot_b.pk), CHANNELS)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="response-refused"' in page and "already has an open response" in page
    assert 'data-testid="market-lot-pending"' in page, "the open response is shown instead of a second form"
    assert Response.objects.count() == 1


def test_a_viewer_sees_the_lot_and_cannot_respond(client_as, project_a, lot_b):
    client = client_as("viewer_a")
    page = client.get(url("market_lot", project_a, pk=lot_b.pk))
    assert page.status_code == 200 and b"response-form" not in page.content
    assert client.post(url("market_lot", project_a, pk=lot_b.pk), CHANNELS).status_code == 403
    assert not Response.objects.exists()


# --- responses -------------------------------------------------------------------------------------------


def test_the_responses_page_shows_both_sides_pending_first(
    client_as, project_a, project_b, rep_a, rep_b, response_b, lot_b
):
    mine = services.response_submit(lot=lot_b, project=project_a, actor=rep_a, data={"channels": "Flyers"})
    services.response_reject(response=mine, actor=rep_b, reason="Not our audience")
    response = client_as("rep_a").get(url("responses", project_a))
    rows = list(response.context["list"])
    assert [(r.pk, r.side) for r in rows] == [(response_b.pk, "owner"), (mine.pk, "partner")]
    page = response.content.decode()
    assert "To your lot" in page and "From you" in page and "Not our audience" in page
    assert page.count('data-testid="response-accept"') == 1
    assert 'data-testid="response-status">Waiting for your answer<' in page, "the owner's side says whose turn"
    # Each lot links to the card the project can open: its own lot's card, the other project's market card.
    assert (
        url("lot_detail", project_a, pk=response_b.lot_id) in page and url("market_lot", project_a, pk=lot_b.pk) in page
    )
    from_b = client_as("rep_b").get(url("responses", project_b)).content.decode()
    assert 'data-testid="response-status">Waiting for the owner<' in from_b and "Waiting for your answer" not in from_b

    only_mine = client_as("rep_a").get(url("responses", project_a), {"side": "partner"})
    assert [r.pk for r in only_mine.context["list"]] == [mine.pk]
    pending = client_as("rep_a").get(url("responses", project_a), {"status": "pending"})
    assert [r.pk for r in pending.context["list"]] == [response_b.pk]
    invalid = client_as("rep_a").get(url("responses", project_a), {"side": "both-ways"})
    assert list(invalid.context["list"]) == [] and invalid.context["list"].filter.form.errors


def test_the_owner_accepts_a_response_through_the_page(client_as, project_a, project_b, response_b):
    client = client_as("rep_a")
    response = client.post(url("response_accept", project_a, pk=response_b.pk))
    deal = Deal.objects.get(response=response_b)
    assert response["Location"] == url("deal_detail", project_a, code=deal.code)
    page = client.get(response["Location"]).content.decode()
    assert "is accepted: deal" in page and codes.display(deal.code) in page
    again = client.post(url("response_accept", project_a, pk=response_b.pk), follow=True)
    assert "already “Accepted”" in again.content.decode() and Deal.objects.count() == 1


def test_the_partner_cannot_accept_its_own_response_nor_the_owner_withdraw_it(
    client_as, project_a, project_b, response_b
):
    assert client_as("rep_b").post(url("response_accept", project_b, pk=response_b.pk)).status_code == 404
    assert client_as("rep_b").get(url("response_reject", project_b, pk=response_b.pk)).status_code == 404
    assert client_as("rep_a").post(url("response_withdraw", project_a, pk=response_b.pk)).status_code == 404
    response_b.refresh_from_db()
    assert response_b.status == ResponseStatus.PENDING


def test_the_owner_rejects_with_a_required_reason(client_as, project_a, response_b):
    client = client_as("rep_a")
    reject_url = url("response_reject", project_a, pk=response_b.pk)
    page = client.get(reject_url)
    assert page.status_code == 200 and b"Our chairs" in page.content
    empty = client.post(reject_url, {"reason": "   "})
    assert empty.status_code == 200 and "Give the reason." in " ".join(empty.context["form"].errors["reason"])
    too_long = client.post(reject_url, {"reason": "x" * 2001})
    assert too_long.status_code == 200 and ("x" * 2001).encode() in too_long.content
    response_b.refresh_from_db()
    assert response_b.status == ResponseStatus.PENDING
    done = client.post(reject_url, {"reason": "The quota is full"})
    assert done["Location"] == url("responses", project_a)
    response_b.refresh_from_db()
    assert (response_b.status, response_b.reason) == (ResponseStatus.REJECTED, "The quota is full")
    late = client.post(reject_url, {"reason": "Again"})
    assert late.status_code == 200 and "already “Rejected”" in late.content.decode()


def test_a_viewer_cannot_open_the_reject_form(client_as, project_a, response_b):
    assert client_as("viewer_a").get(url("response_reject", project_a, pk=response_b.pk)).status_code == 403


# --- deals -----------------------------------------------------------------------------------------------


def test_the_deals_page_shows_both_sides_with_filters(client_as, project_a, project_b, rep_a, rep_b, deal, lot_b):
    mine = services.response_submit(lot=lot_b, project=project_a, actor=rep_a, data={"channels": "Flyers"})
    as_partner = services.response_accept(response=mine, actor=rep_b)
    services.deal_complete(deal=as_partner, actor=rep_b)
    client = client_as("rep_a")
    response = client.get(url("deals", project_a))
    rows = {d.code: d for d in response.context["list"]}
    assert (rows[deal.code].side, rows[as_partner.code].side) == ("owner", "partner")
    assert rows[deal.code].counterpart.name == "Beta Barbershop" == rows[as_partner.code].counterpart.name
    page = response.content.decode()
    assert codes.display(deal.code) in page and "Your lot" in page and "You are the partner" in page
    assert [d.code for d in client.get(url("deals", project_a), {"side": "partner"}).context["list"]] == [
        as_partner.code
    ]
    assert [d.code for d in client.get(url("deals", project_a), {"status": "active"}).context["list"]] == [deal.code]
    invalid = client.get(url("deals", project_a), {"status": "forever"})
    assert list(invalid.context["list"]) == [] and b"Fix the filter to see results." in invalid.content


def test_unread_counts_follow_the_thread_and_clear_on_opening(client_as, project_a, rep_a, rep_b, deal):
    services.deal_message_post(deal=deal, actor=rep_b, body="When do you start?")
    services.deal_message_post(deal=deal, actor=rep_b, body="We are ready.")
    services.deal_message_post(deal=deal, actor=rep_a, body="Monday")  # one's own: never unread
    client = client_as("rep_a")

    def unread():
        return {d.code: d.unread for d in client.get(url("deals", project_a)).context["list"]}[deal.code]

    assert unread() == 0, "writing marks the thread read up to one's own message"
    services.deal_message_post(deal=deal, actor=rep_b, body="Great")
    assert unread() == 1
    assert client.get(url("deal_detail", project_a, code=deal.code)).status_code == 200
    assert DealThreadRead.objects.filter(deal=deal, user=rep_a).exists()
    assert unread() == 0
    DealMessage.objects.create(deal=deal, author=rep_a, author_project=project_a, body="Written elsewhere (the demo)")
    assert unread() == 0, "one's own message is never unread, whatever the read marker says"
    # Someone who never opened it has every message of the others unread.
    viewer = client_as("viewer_a")
    rows = {d.code: d.unread for d in viewer.get(url("deals", project_a)).context["list"]}
    assert rows[deal.code] == 5


@pytest.mark.parametrize("typed", ["lower", "dashed-lower", "spaced"])
def test_a_code_as_typed_finds_the_deal(client_as, project_a, deal, typed):
    shown = codes.display(deal.code)
    code = {"lower": deal.code.lower(), "dashed-lower": shown.lower(), "spaced": shown.replace("-", " ")}[typed]
    response = client_as("rep_a").get(url("deal_detail", project_a, code=code))
    assert response.status_code == 200 and response.context["deal"].pk == deal.pk


def test_a_deal_the_project_is_not_party_to_is_404(client_as, project_a, project_b, personas, moderator):
    c, c_manager = project_c()
    lot = published_lot(project_a, personas["rep_a"], moderator)
    response = services.response_submit(lot=lot, project=c, actor=c_manager, data={"channels": "Gym"})
    deal = services.response_accept(response=response, actor=personas["rep_a"])
    client = client_as("rep_b")
    assert client.get(url("deal_detail", project_b, code=deal.code)).status_code == 404
    assert client.post(url("deal_message", project_b, code=deal.code), {"body": "Hi"}).status_code == 404
    assert client.post(url("deal_complete", project_b, code=deal.code)).status_code == 404
    assert client.get(url("deal_cancel", project_b, code=deal.code)).status_code == 404
    assert client.post(url("response_withdraw", project_b, pk=response.pk)).status_code == 404
    assert client_as("rep_a").get(url("deal_detail", project_a, code="OOO-111")).status_code == 404, "no code"
    deal.refresh_from_db()
    assert deal.status == DealStatus.ACTIVE and not DealMessage.objects.exists()


def test_the_deal_page_shows_the_terms_both_projects_and_the_thread(client_as, project_b, rep_a, rep_b, deal):
    services.deal_message_post(deal=deal, actor=rep_a, body="Welcome aboard")
    staff = UserFactory(email="mod2@misty.example", role="moderator")
    services.deal_message_post(deal=deal, actor=staff, body="Misty checks in")
    response = client_as("rep_b").get(url("deal_detail", project_b, code=deal.code))
    page = response.content.decode()
    assert "Alpha Lounge" in page and "Beta Barbershop" in page and "100 new guests for the lounge" in page
    assert page.index("Welcome aboard") < page.index("Misty checks in"), "oldest first"
    assert "Alice Alpha" in page and "Misty team" in page
    assert 'data-testid="deal-complete"' in page


def test_both_sides_write_in_the_thread_through_the_page(client_as, project_a, project_b, deal):
    response = client_as("rep_b").post(url("deal_message", project_b, code=deal.code), {"body": "Posters are up"})
    assert response["Location"] == url("deal_detail", project_b, code=deal.code)
    message = DealMessage.objects.get()
    assert (message.author_project_id, message.body) == (project_b.pk, "Posters are up")
    empty = client_as("rep_a").post(url("deal_message", project_a, code=deal.code), {"body": "  "})
    assert empty.status_code == 200 and "Write a message." in empty.content.decode()
    long = client_as("rep_a").post(url("deal_message", project_a, code=deal.code), {"body": "y" * 5001})
    assert long.status_code == 200 and ("y" * 5001).encode() in long.content
    assert DealMessage.objects.count() == 1
    assert client_as("viewer_a").post(url("deal_message", project_a, code=deal.code), {"body": "Hi"}).status_code == 403


def test_either_side_completes_a_deal_once(client_as, project_b, deal):
    client = client_as("rep_b")
    response = client.post(url("deal_complete", project_b, code=deal.code), follow=True)
    deal.refresh_from_db()
    assert deal.status == DealStatus.COMPLETED and "The deal is completed." in response.content.decode()
    assert b'data-testid="deal-complete"' not in response.content
    again = client.post(url("deal_complete", project_b, code=deal.code), follow=True)
    assert "already “Completed”" in again.content.decode()


def test_a_deal_is_cancelled_with_a_required_reason(client_as, project_a, deal):
    client = client_as("rep_a")
    cancel_url = url("deal_cancel", project_a, code=deal.code)
    assert client.get(cancel_url).status_code == 200
    empty = client.post(cancel_url, {"reason": ""})
    assert empty.status_code == 200 and "Give the reason." in empty.content.decode()
    deal.refresh_from_db()
    assert deal.status == DealStatus.ACTIVE
    done = client.post(cancel_url, {"reason": "The partner closed"})
    assert done["Location"] == url("deal_detail", project_a, code=deal.code)
    deal.refresh_from_db()
    assert (deal.status, deal.end_reason) == (DealStatus.CANCELLED, "The partner closed")
    page = client.get(cancel_url).content.decode()
    assert "nothing to cancel" in page and 'data-testid="cancel-form"' not in page
    late = client.post(cancel_url, {"reason": "Again"})
    assert "already “Cancelled”" in late.content.decode()
    assert client_as("viewer_a").get(cancel_url).status_code == 403


# --- query budgets ---------------------------------------------------------------------------------------


def bulk_projects(count, prefix):
    Project.objects.bulk_create(
        [Project(name=f"{prefix} {i:03d}", slug=f"{prefix}-{i:03d}", category=Category.BAR) for i in range(count)]
    )
    return list(Project.objects.filter(slug__startswith=f"{prefix}-"))


def bulk_lots(projects, count):
    now = timezone.now()
    terms = lot_terms()
    Lot.objects.bulk_create(
        [
            Lot(project=projects[i % len(projects)], status=LotStatus.PUBLISHED, published_at=now, **terms)
            for i in range(count)
        ]
    )


def bulk_deals(project, partners, count, *, owner_side=True):
    """`count` deals of `project` with `partners` (as the owner, or as the partner), each with a message of
    the other side and, for half of them, a read marker."""
    reader = project.memberships.first().user
    owners = partners if not owner_side else [project]
    lots = []
    for owner in owners:
        lots.append(Lot.objects.create(project=owner, status=LotStatus.PUBLISHED, **lot_terms()))
    responses = []
    for i in range(count):
        partner = project if not owner_side else partners[i % len(partners)]
        lot = lots[i % len(lots)]
        responses.append(Response(lot=lot, project=partner, channels="x", status=ResponseStatus.ACCEPTED))
    Response.objects.bulk_create(responses)
    responses = list(Response.objects.filter(status=ResponseStatus.ACCEPTED).select_related("lot").order_by("-id"))[
        :count
    ]
    made = Deal.objects.bulk_create(
        [
            Deal(
                lot=r.lot,
                response=r,
                owner=r.lot.project,
                partner=r.project,
                code=codes.new_code(),
                terms=r.lot.terms(),
            )
            for r in responses
        ]
    )
    DealMessage.objects.bulk_create([DealMessage(deal=d, body="hello", author_project=d.partner) for d in made])
    DealThreadRead.objects.bulk_create([DealThreadRead(deal=d, user=reader) for d in made[::2]])


def test_market_budget(client_as, page_queries, project_a, project_b, rep_b, moderator, rep_a):
    published_lot(project_b, rep_b, moderator)
    lot = Lot.objects.get()
    services.response_submit(lot=lot, project=project_a, actor=rep_a, data={"channels": "Flyers"})

    def grow():
        bulk_lots(bulk_projects(60, "owner"), 200)

    response = page_queries(client_as("rep_a"), url("market", project_a), grow=grow)
    assert response.context["list"].page.paginator.count == 201


def test_responses_budget(client_as, page_queries, project_a, response_b, rep_a):
    def grow():
        owners = bulk_projects(30, "resp")
        lots = []
        for owner in owners:
            lots.append(Lot.objects.create(project=owner, status=LotStatus.PUBLISHED, **lot_terms()))
        Response.objects.bulk_create([Response(lot=lots[i], project=project_a, channels="x") for i in range(30)])
        Response.objects.bulk_create(
            [Response(lot=response_b.lot, project=o, channels="y", status=ResponseStatus.REJECTED) for o in owners]
        )

    page_queries(client_as("rep_a"), url("responses", project_a), grow=grow)


def test_deals_budget_with_unread_counts(client_as, page_queries, project_a, deal, rep_b):
    services.deal_message_post(deal=deal, actor=rep_b, body="Hello")

    def grow():
        partners = bulk_projects(40, "partner")
        for p in partners[:5]:
            MembershipFactory(project=p, user=UserFactory(email=f"rep@{p.slug}.example"))
        bulk_deals(project_a, partners, 150, owner_side=True)
        bulk_deals(project_a, partners[:5], 60, owner_side=False)

    response = page_queries(client_as("rep_a"), url("deals", project_a), grow=grow)
    assert any(d.unread for d in response.context["list"])


def test_deal_page_budget(client_as, page_queries, project_a, deal, rep_a, rep_b):
    def grow():
        DealMessage.objects.bulk_create(
            [
                DealMessage(deal=deal, author=rep_b if i % 2 else rep_a, author_project=deal.partner, body=f"m{i}")
                for i in range(300)
            ]
        )

    page_queries(client_as("rep_a"), url("deal_detail", project_a, code=deal.code), grow=grow)


def test_market_lot_budget(client_as, page_queries, project_a, rep_a, rep_b, lot_b):
    def grow():
        for _ in range(20):
            response = services.response_submit(lot=lot_b, project=project_a, actor=rep_a, data={"channels": "x"})
            services.deal_complete(deal=services.response_accept(response=response, actor=rep_b), actor=rep_b)

    response = page_queries(client_as("rep_a"), url("market_lot", project_a, pk=lot_b.pk), grow=grow)
    assert response.content.decode().count('data-testid="market-lot-deal-link"') == 20
    assert b'data-testid="response-form"' in response.content, "every deal is completed: the form is back"


# --- the dashboard: both sides at a glance -------------------------------------------------------------


def dashboard(project):
    return reverse("cabinet:dashboard", kwargs={"project_slug": project.slug})


def test_the_dashboard_counts_what_waits_on_both_sides_each_a_link(
    client_as, project_a, project_b, rep_a, rep_b, response_b, lot_b
):
    services.lot_create(project=project_a, actor=rep_a, data=lot_terms(title="A draft"))
    mine = services.response_submit(lot=lot_b, project=project_a, actor=rep_a, data={"channels": "Flyers"})
    summary = client_as("rep_a").get(dashboard(project_a)).context["summary"]
    assert summary.lots_by_status == {LotStatus.DRAFT: 1, LotStatus.PUBLISHED: 1}
    assert (summary.answers_waiting, summary.responses_waiting, summary.market_lots) == (1, 1, 1)
    assert (summary.deals_as_owner, summary.deals_as_partner, summary.unread_deals) == (0, 0, 0)

    deal = services.response_accept(response=response_b, actor=rep_a)
    services.response_accept(response=mine, actor=rep_b)
    services.deal_message_post(deal=deal, actor=rep_b, body="We start on Monday")
    page = client_as("rep_a").get(dashboard(project_a))
    summary = page.context["summary"]
    assert (summary.answers_waiting, summary.responses_waiting) == (0, 0)
    assert (summary.deals_as_owner, summary.deals_as_partner, summary.unread_deals) == (1, 1, 1)
    html = page.content.decode()
    assert f'href="{url("responses", project_a)}?side=owner&amp;status=pending"' in html
    assert f'href="{url("deals", project_a)}?side=partner&amp;status=active"' in html
    assert f'href="{url("lots", project_a)}?status=draft"' in html
    client_as("rep_a").get(url("deal_detail", project_a, code=deal.code))  # reading the thread
    assert client_as("rep_a").get(dashboard(project_a)).context["summary"].unread_deals == 0
    # B's dashboard is B's: its own deal on A's lot, A's on B's lot.
    summary_b = client_as("rep_b").get(dashboard(project_b)).context["summary"]
    assert (summary_b.deals_as_owner, summary_b.deals_as_partner) == (1, 1)


def test_the_dashboard_costs_the_same_with_one_deal_or_hundreds(client_as, page_queries, project_a, deal, rep_a):
    partners = bulk_projects(20, "dash")
    page_queries(client_as("rep_a"), dashboard(project_a), grow=lambda: bulk_deals(project_a, partners, 300))
