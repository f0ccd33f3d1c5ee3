"""The overview table (cabinets/views/overview.py, offers/overview.py): one row per interaction of a project
with another — a response, or the deal it became — with its direction, counterpart, status, reward,
commission, cashback and the active interactions of the pair; filters, sorting, the export of exactly the
filtered rows, the staff page over every project, and the query budgets."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from auditlog.models import AuditEvent
from offers import services
from offers.models import Deal, Lot, LotStatus, Response, ResponseStatus
from tests.factories import MembershipFactory, ProjectFactory, UserFactory
from tests.matrix.market import project_c, published_lot
from tests.offers.conftest import lot_terms
from tests.offers.test_market_pages import bulk_deals, bulk_projects


def url(project, name="overview"):
    return reverse(f"cabinet:{name}", kwargs={"project_slug": project.slug})


STAFF = reverse("staff:overview")


def started(project, day):
    return timezone.make_aware(dt.datetime(2026, 11, day, 12))


@pytest.fixture
def world(project_a, project_b, rep_a, rep_b, moderator):
    """Project A on both sides, with B and C, and one interaction of B with C that A must never see.

    * B brings clients to A's lounge lot — an active deal (reward 300, cashback 50), started on the 1st;
    * C responded to the same lot — pending, started on the 2nd;
    * A responded to B's haircut lot (reward 200) — rejected, started on the 3rd;
    * A brought clients to C's gym lot (reward 800, no cashback) — a completed deal, started on the 4th;
    * B responded to C's gym lot — pending, started on the 5th (neither side is A)."""
    c, rep_c = project_c()
    lounge = published_lot(project_a, rep_a, moderator, title="Lounge guests")
    haircut = published_lot(project_b, rep_b, moderator, title="Haircut", reward=Decimal("200"), cashback_points=10)
    gym = published_lot(c, rep_c, moderator, title="Gym trial", reward=Decimal("800"), cashback_points=0)

    def respond(lot, project, actor):
        return services.response_submit(lot=lot, project=project, actor=actor, data={"channels": "Posters"})

    b_on_lounge = respond(lounge, project_b, rep_b)
    deal_b = services.response_accept(response=b_on_lounge, actor=rep_a)
    c_on_lounge = respond(lounge, c, rep_c)
    a_on_haircut = respond(haircut, project_a, rep_a)
    services.response_reject(response=a_on_haircut, actor=rep_b, reason="Not now")
    a_on_gym = respond(gym, project_a, rep_a)
    deal_a = services.response_accept(response=a_on_gym, actor=rep_c)
    services.deal_complete(deal=deal_a, actor=rep_c)
    b_on_gym = respond(gym, project_b, rep_b)
    for day, response in enumerate([b_on_lounge, c_on_lounge, a_on_haircut, a_on_gym, b_on_gym], start=1):
        Response.objects.filter(pk=response.pk).update(created_at=started(None, day))
    return {
        "c": c,
        "rep_c": rep_c,
        "lounge": lounge,
        "gym": gym,
        "deal_b": deal_b,
        "deal_a": deal_a,
        "b_on_gym": b_on_gym,
    }


def rows(response):
    return [(r.lot.title, getattr(r, "direction", None), r.counterpart.name, r.state) for r in response.context["list"]]


A_ROWS = [  # newest first
    ("Gym trial", "outgoing", "Gamma Gym", "completed"),
    ("Haircut", "outgoing", "Beta Barbershop", "rejected"),
    ("Lounge guests", "incoming", "Gamma Gym", "pending"),
    ("Lounge guests", "incoming", "Beta Barbershop", "active"),
]


def test_rows_say_which_side_the_project_is_on_and_show_nothing_of_others(client_as, project_a, project_b, world):
    response = client_as("rep_a").get(url(project_a))
    assert rows(response) == A_ROWS
    page = response.content.decode()
    assert page.count('data-testid="overview-row"') == 4
    # B sees the same interactions of its own from its side, and its response to C; never A with C.
    assert rows(client_as("rep_b").get(url(project_b))) == [
        ("Gym trial", "outgoing", "Gamma Gym", "pending"),
        ("Haircut", "incoming", "Alpha Lounge", "rejected"),
        ("Lounge guests", "outgoing", "Alpha Lounge", "active"),
    ]


@override_settings(PORTAL_COMMISSION_PERCENT=Decimal("10"))
def test_figures_are_the_deal_s_agreed_terms_or_the_lot_s_live_ones(client_as, project_a, world):
    # The lot's live terms change after the deal: the deal keeps what was agreed, the pending response
    # shows what the lot offers now.
    Lot.objects.filter(pk=world["lounge"].pk).update(reward=Decimal("999.50"), cashback_points=70)
    listed = {(r.counterpart.name, r.lot.title): r for r in client_as("rep_a").get(url(project_a)).context["list"]}
    deal_row = listed[("Beta Barbershop", "Lounge guests")]
    assert (deal_row.reward, deal_row.commission, deal_row.cashback) == (Decimal("300"), Decimal("30.00"), 50)
    assert deal_row.the_deal.code == world["deal_b"].code
    pending = listed[("Gamma Gym", "Lounge guests")]
    assert (pending.reward, pending.commission, pending.cashback) == (Decimal("999.50"), Decimal("99.95"), 70)
    assert pending.the_deal is None
    gym = listed[("Gamma Gym", "Gym trial")]
    assert (gym.reward, gym.commission, gym.cashback) == (Decimal("800"), Decimal("80.00"), 0)


def test_active_interactions_count_pending_responses_and_active_deals_of_the_pair(client_as, project_a, rep_a, world):
    listed = {
        (r.counterpart.name, r.lot.title): r.active for r in client_as("rep_a").get(url(project_a)).context["list"]
    }
    # A–B: the active deal on A's lot (the rejected response is over). A–C: C's pending response (the deal
    # on C's lot is completed). B's pending response to C is not A's business.
    assert listed == {
        ("Beta Barbershop", "Lounge guests"): 1,
        ("Beta Barbershop", "Haircut"): 1,
        ("Gamma Gym", "Lounge guests"): 1,
        ("Gamma Gym", "Gym trial"): 1,
    }
    # A responds to C's gym again: now two things go on with C, from either row.
    services.response_submit(lot=world["gym"], project=project_a, actor=rep_a, data={"channels": "Again"})
    listed = {(r.counterpart.name, r.state): r.active for r in client_as("rep_a").get(url(project_a)).context["list"]}
    assert listed[("Gamma Gym", "completed")] == 2 and listed[("Gamma Gym", "pending")] == 2
    assert listed[("Beta Barbershop", "active")] == 1


def test_unread_messages_of_a_deal_show_on_its_row(client_as, project_a, rep_b, world):
    services.deal_message_post(deal=world["deal_b"], actor=rep_b, body="Posters are up")
    response = client_as("rep_a").get(url(project_a))
    unread = {r.state: r.unread for r in response.context["list"]}
    assert unread == {"active": 1, "pending": 0, "rejected": 0, "completed": 0}
    assert b'data-testid="overview-unread"' in response.content


def test_links_lead_to_the_lot_card_of_each_side_the_deal_and_the_catalog(client_as, project_a, world):
    page = client_as("rep_a").get(url(project_a)).content.decode()
    lounge, gym = world["lounge"], world["gym"]
    assert f'href="{reverse("cabinet:lot_detail", kwargs={"project_slug": "alpha", "pk": lounge.pk})}"' in page
    assert f'href="{reverse("cabinet:market_lot", kwargs={"project_slug": "alpha", "pk": gym.pk})}"' in page
    deal = reverse("cabinet:deal_detail", kwargs={"project_slug": "alpha", "code": world["deal_b"].code})
    assert f'href="{deal}"' in page
    catalog = reverse("cabinet:catalog_project", kwargs={"project_slug": "alpha", "slug": "gamma"})
    assert f'href="{catalog}"' in page


@pytest.mark.parametrize(
    "query,expected",
    [
        ({"direction": "incoming"}, [A_ROWS[2], A_ROWS[3]]),
        ({"direction": "outgoing"}, [A_ROWS[0], A_ROWS[1]]),
        ({"status": "active"}, [A_ROWS[3]]),
        ({"status": "pending"}, [A_ROWS[2]]),
        ({"status": "completed"}, [A_ROWS[0]]),
        ({"status": "rejected"}, [A_ROWS[1]]),
        ({"status": "withdrawn"}, []),
        ({"date_from": "2026-11-02", "date_to": "2026-11-03"}, [A_ROWS[1], A_ROWS[2]]),
        ({"date_from": "2026-11-04"}, [A_ROWS[0]]),
        ({"direction": "incoming", "status": "pending"}, [A_ROWS[2]]),
    ],
)
def test_filters(client_as, project_a, world, query, expected):
    assert rows(client_as("rep_a").get(url(project_a), query)) == expected


def test_the_counterpart_filter_offers_the_projects_met_only(client_as, project_a, project_b, world):
    stranger = ProjectFactory(name="Delta Diner", slug="delta")
    response = client_as("rep_a").get(url(project_a), {"counterpart": project_b.pk})
    assert rows(response) == [A_ROWS[1], A_ROWS[3]]
    choices = [label for _, label in response.context["list"].filter.form.fields["counterpart"].choices]
    assert choices == ["All counterparts", "Beta Barbershop", "Gamma Gym"]
    assert rows(client_as("rep_a").get(url(project_a), {"counterpart": world["c"].pk})) == [A_ROWS[0], A_ROWS[2]]
    refused = client_as("rep_a").get(url(project_a), {"counterpart": stranger.pk})
    assert rows(refused) == [] and "counterpart" in refused.context["list"].filter.form.errors


@pytest.mark.parametrize(
    "query", [{"status": "bogus"}, {"direction": "sideways"}, {"date_from": "yesterday"}, {"o": "id"}]
)
def test_an_invalid_filter_empties_the_table_and_says_so(client_as, project_a, world, query):
    response = client_as("rep_a").get(url(project_a), query)
    assert rows(response) == []
    assert response.context["list"].filter.form.errors
    assert b'data-testid="empty-filtered"' in response.content


@pytest.mark.parametrize(
    "order,expected",
    [
        ("started", ["Lounge guests", "Lounge guests", "Haircut", "Gym trial"]),
        ("-reward", ["Gym trial", "Lounge guests", "Lounge guests", "Haircut"]),
        ("reward", ["Haircut", "Lounge guests", "Lounge guests", "Gym trial"]),
        ("lot", ["Gym trial", "Haircut", "Lounge guests", "Lounge guests"]),
    ],
)
def test_sorting_by_a_column(client_as, project_a, world, order, expected):
    assert [r[0] for r in rows(client_as("rep_a").get(url(project_a), {"o": order}))] == expected


def test_sorting_by_counterpart_direction_and_status(client_as, project_a, world):
    def by(order):
        return rows(client_as("rep_a").get(url(project_a), {"o": order}))

    assert [r[2] for r in by("counterpart")] == ["Beta Barbershop", "Beta Barbershop", "Gamma Gym", "Gamma Gym"]
    assert [r[2] for r in by("-counterpart")] == ["Gamma Gym", "Gamma Gym", "Beta Barbershop", "Beta Barbershop"]
    assert [r[1] for r in by("direction")] == ["incoming", "incoming", "outgoing", "outgoing"]
    assert [r[3] for r in by("status")] == ["active", "completed", "pending", "rejected"]
    # The header link of the current column reverses it and keeps the filters.
    response = client_as("rep_a").get(url(project_a), {"o": "reward", "direction": "incoming"})
    assert response.context["sort"]["reward"] == {"href": "?direction=incoming&o=-reward", "state": "asc"}


# --- export ----------------------------------------------------------------------------------------------


def sheet(response):
    assert response.status_code == 200, response
    body = b"".join(response.streaming_content)
    return [list(row) for row in load_workbook(io.BytesIO(body), read_only=True).active.iter_rows(values_only=True)]


@pytest.mark.parametrize(
    "query",
    [{}, {"direction": "outgoing"}, {"status": "active"}, {"o": "-reward"}, {"counterpart": "C", "o": "lot"}],
)
@pytest.mark.parametrize("persona", ["rep_a", "viewer_a"])
def test_the_export_has_exactly_the_filtered_rows_in_the_table_s_order(client_as, project_a, world, persona, query):
    query = {k: (world["c"].pk if v == "C" else v) for k, v in query.items()}
    client = client_as(persona)
    shown = client.get(url(project_a), query).context["list"]
    table = [(r.lot.title, r.direction_label, r.counterpart.name, r.state_label, r.reward, r.active) for r in shown]
    exported = sheet(client.get(url(project_a, "overview_export"), {**query, "format": "xlsx"}))
    header, body = exported[0], exported[1:]
    assert header[1:7] == ["Direction", "Counterpart", "Lot", "Lot status", "Status", "Deal"]
    assert header[0].startswith("Started (")
    assert [(r[3], r[1], r[2], r[5], Decimal(str(r[7])), r[10]) for r in body] == table
    event = AuditEvent.objects.get(event="exports.exported")
    assert event.changes["rows"] == len(table) and event.changes["export"] == "overview"
    assert event.changes["project"] == "alpha"


@override_settings(PORTAL_COMMISSION_PERCENT=Decimal("10"))
def test_the_export_row_holds_the_deal_and_its_figures(client_as, project_a, world):
    exported = sheet(client_as("rep_a").get(url(project_a, "overview_export"), {"status": "active", "format": "xlsx"}))
    (row,) = exported[1:]
    code = world["deal_b"].code
    assert row[1:7] == [
        "Incoming",
        "Beta Barbershop",
        "Lounge guests",
        "Published",
        "Deal active",
        f"{code[:3]}-{code[3:]}",
    ]
    assert row[7:11] == [300, 30, 50, 1]


def test_an_invalid_export_filter_is_refused_and_nothing_is_journaled(client_as, project_a, world):
    response = client_as("rep_a").get(url(project_a, "overview_export"), {"status": "bogus", "format": "xlsx"})
    assert response.status_code == 302 and response["Location"].startswith(url(project_a))
    assert not AuditEvent.objects.filter(event="exports.exported").exists()


# --- staff -----------------------------------------------------------------------------------------------


def staff_rows(response):
    return [(r.lot.title, r.lot.project.name, r.project.name, r.state) for r in response.context["list"]]


ALL_ROWS = [
    ("Gym trial", "Gamma Gym", "Beta Barbershop", "pending"),
    ("Gym trial", "Gamma Gym", "Alpha Lounge", "completed"),
    ("Haircut", "Beta Barbershop", "Alpha Lounge", "rejected"),
    ("Lounge guests", "Alpha Lounge", "Gamma Gym", "pending"),
    ("Lounge guests", "Alpha Lounge", "Beta Barbershop", "active"),
]


@pytest.mark.parametrize("persona", ["moderator", "admin", "director"])
def test_staff_see_every_interaction(client_as, world, persona):
    response = client_as(persona).get(STAFF)
    assert staff_rows(response) == ALL_ROWS
    page = response.content.decode()
    assert f'href="{reverse("staff:lot_detail", kwargs={"pk": world["gym"].pk})}"' in page
    assert f'href="{reverse("staff:project_detail", kwargs={"slug": "gamma"})}"' in page
    assert f'href="{reverse("staff:deal_detail", kwargs={"code": world["deal_b"].code})}"' in page


def test_staff_filter_by_project_and_direction_seen_from_it(client_as, project_a, project_b, world):
    client = client_as("moderator")
    assert staff_rows(client.get(STAFF, {"project": project_b.pk})) == [ALL_ROWS[0], ALL_ROWS[2], ALL_ROWS[4]]
    incoming = client.get(STAFF, {"project": project_b.pk, "direction": "incoming"})
    assert staff_rows(incoming) == [ALL_ROWS[2]]
    pair = client.get(STAFF, {"project": project_b.pk, "counterpart": world["c"].pk})
    assert staff_rows(pair) == [ALL_ROWS[0]]
    refused = client.get(STAFF, {"direction": "incoming"})
    assert staff_rows(refused) == [] and "direction" in refused.context["list"].filter.form.errors
    assert staff_rows(client.get(STAFF, {"status": "pending", "o": "partner"})) == [ALL_ROWS[0], ALL_ROWS[3]]


def test_a_curator_s_overview_opens_on_their_projects(client_as, project_a, world):
    # The curator curates A: every row where A is a side, until "all projects".
    client = client_as("curator")
    assert staff_rows(client.get(STAFF)) == ALL_ROWS[1:]
    assert staff_rows(client.get(STAFF, {"scope": "all"})) == ALL_ROWS
    assert "scope" not in client_as("moderator").get(STAFF).context["list"].filter.form.fields


def test_the_staff_export_has_the_filtered_rows(client_as, project_b, world):
    exported = sheet(client_as("director").get(reverse("staff:overview_export"), {"project": project_b.pk}))
    header, body = exported[0], exported[1:]
    assert header[1:3] == ["Lot owner", "Partner"]
    assert [(r[3], r[1], r[2], r[5]) for r in body] == [
        ("Gym trial", "Gamma Gym", "Beta Barbershop", "Waiting for the owner"),
        ("Haircut", "Beta Barbershop", "Alpha Lounge", "Rejected"),
        ("Lounge guests", "Alpha Lounge", "Beta Barbershop", "Deal active"),
    ]


# --- query budgets ---------------------------------------------------------------------------------------


def grow_both_sides(project_a):
    partners = bulk_projects(40, "partner")
    for p in partners[:5]:
        MembershipFactory(project=p, user=UserFactory(email=f"rep@{p.slug}.example"))
    bulk_deals(project_a, partners, 300, owner_side=True)
    bulk_deals(project_a, partners[:5], 100, owner_side=False)
    lots = [Lot.objects.create(project=p, status=LotStatus.PUBLISHED, **lot_terms()) for p in partners[5:25]]
    Response.objects.bulk_create([Response(lot=lot, project=project_a, channels="x") for lot in lots])
    Response.objects.bulk_create(
        [Response(lot=lots[0], project=p, channels="y", status=ResponseStatus.WITHDRAWN) for p in partners[25:]]
    )


@pytest.mark.parametrize(
    "query", [{}, {"o": "-reward", "direction": "incoming"}, {"o": "counterpart", "status": "active"}]
)
def test_overview_budget(client_as, page_queries, project_a, rep_a, rep_b, world, query):
    services.deal_message_post(deal=world["deal_b"], actor=rep_b, body="Hi")
    response = page_queries(client_as("rep_a"), url(project_a), grow=lambda: grow_both_sides(project_a), data=query)
    assert len(response.context["list"].page) == 50
    assert Deal.objects.count() > 400


@pytest.mark.parametrize("persona", ["director", "curator"])
def test_staff_overview_budget(client_as, page_queries, project_a, world, persona):
    response = page_queries(client_as(persona), STAFF, grow=lambda: grow_both_sides(project_a), data={"o": "owner"})
    assert len(response.context["list"].page) == 50


@pytest.mark.parametrize("query", [{}, {"o": "-reward"}, {"status": "active", "o": "status"}])
def test_the_page_counts_its_rows_without_reading_the_computed_columns(client_as, world, query):
    """The COUNT of the numbered pages reads the filtered responses only: the columns computed from the deal's
    terms and the lot (`offers.overview.columns`) come after it, so 150k rows count on an index."""
    with CaptureQueriesContext(connection) as captured:
        response = client_as("director").get(STAFF, query)
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(*)" in q["sql"] and "offers_response" in q["sql"]]
    assert len(counts) == 1, counts
    assert "JSON" not in counts[0].upper() and "offers_lot" not in counts[0], counts[0]
    assert response.context["list"].page.paginator.count == len(staff_rows(response))


def test_a_pending_response_to_our_lot_says_it_waits_for_our_answer(client_as, project_a, world):
    page = client_as("rep_a").get(url(project_a))
    labels = {(r.direction, r.state): r.state_label for r in page.context["list"]}
    assert labels.get(("incoming", "pending")) == "Waiting for your answer"
    others = [label for (direction, _state), label in labels.items() if direction != "incoming"]
    assert others and "Waiting for your answer" not in others
