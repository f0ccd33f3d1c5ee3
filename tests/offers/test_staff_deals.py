"""Staff → Deals (cabinets/views/staff_deals.py) and the deal notifications: every deal for every staff role,
its filters and order, a curator's own projects first; a deal's card with both projects, the terms and the
thread; moderators write, complete and cancel, the director only reads; each recipient of a deal's notice
gets the link to the deal page they can open; the thread of an ended deal stays writable; the query budgets."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from auditlog.models import AuditEvent
from notifications.models import Notification
from offers import codes, services
from offers.models import Attachment, Deal, DealMessage, DealStatus
from portal.exceptions import ApplicationError
from tests.factories import MembershipFactory, UserFactory
from tests.matrix.market import project_c, published_lot
from tests.offers.conftest import pdf_file
from tests.offers.test_market_pages import bulk_deals, bulk_projects


@pytest.fixture
def lot_a(project_a, rep_a, moderator):
    return published_lot(project_a, rep_a, moderator, title="Hookah night for newcomers")


@pytest.fixture
def deal(lot_a, project_b, rep_b, rep_a):
    """Project B brings clients to project A's lot."""
    response = services.response_submit(lot=lot_a, project=project_b, actor=rep_b, data={"channels": "Our chairs"})
    return services.response_accept(response=response, actor=rep_a)


@pytest.fixture
def other_deal(project_b, rep_b, moderator, admin):
    """A deal of two other projects: project C brings clients to project B's lot."""
    project, manager = project_c()
    lot = published_lot(project_b, rep_b, moderator, title="Haircut for newcomers")
    response = services.response_submit(lot=lot, project=project, actor=manager, data={"channels": "Posters"})
    return services.response_accept(response=response, actor=rep_b)


def detail(deal, code=None):
    return reverse("staff:deal_detail", kwargs={"code": code or deal.code})


def links(event):
    """{recipient's email: the link their notice of `event` carries}."""
    rows = Notification.objects.filter(event=event).select_related("recipient")
    found = {}
    for n in rows:
        assert n.recipient.email not in found, f"{n.recipient.email} told twice of {event}"
        found[n.recipient.email] = n.link
    return found


# --- notifications: each side its own link ---------------------------------------------------------------


def test_a_received_response_leads_the_owner_to_its_responses_page(personas, lot_a, project_b, rep_b):
    services.response_submit(lot=lot_a, project=project_b, actor=rep_b, data={"channels": "Our chairs"})
    assert links("offers.response.received") == {
        "rep@alpha.example": "/cabinet/alpha/responses/",
        "viewer@alpha.example": "/cabinet/alpha/responses/",
    }
    assert reverse("cabinet:responses", kwargs={"project_slug": "alpha"}) == "/cabinet/alpha/responses/"


def staff_links(deal):
    return {
        "moderator@misty.example": detail(deal),
        "curator@misty.example": detail(deal),
        "admin@misty.example": detail(deal),
    }


def side_links(deal, *, owner=True, partner=True):
    owner_link = reverse("cabinet:deal_detail", kwargs={"project_slug": "alpha", "code": deal.code})
    partner_link = reverse("cabinet:deal_detail", kwargs={"project_slug": "beta", "code": deal.code})
    found = {}
    if owner:
        found |= {"rep@alpha.example": owner_link, "viewer@alpha.example": owner_link}
    if partner:
        found |= {"rep@beta.example": partner_link}
    return found


def test_a_completed_deal_tells_each_side_and_staff_with_their_own_link(personas, deal, moderator):
    services.deal_complete(deal=deal, actor=moderator)
    assert links("offers.deal.completed") == side_links(deal) | staff_links(deal)


def test_closing_the_lot_completes_its_deals_with_the_same_links(personas, deal, lot_a, rep_a):
    services.lot_close(lot=lot_a, actor=rep_a)
    assert Deal.objects.get(pk=deal.pk).status == DealStatus.COMPLETED
    assert links("offers.deal.completed") == side_links(deal) | staff_links(deal)


def test_a_cancelled_deal_tells_both_sides_and_staff_the_reason(personas, deal, rep_b):
    services.deal_cancel(deal=deal, actor=rep_b, reason="Our salon closes for repairs")
    assert links("offers.deal.cancelled") == side_links(deal) | staff_links(deal)
    notice = Notification.objects.get(event="offers.deal.cancelled", recipient=personas["rep_a"])
    assert "Our salon closes for repairs" in notice.body and "Beta Barbershop" in notice.body
    assert AuditEvent.objects.filter(event="offers.deal.cancelled", object_id=str(deal.pk)).count() == 1


def test_a_cancel_refused_tells_nobody(personas, deal, director):
    with pytest.raises(ApplicationError, match="cancel"):
        services.deal_cancel(deal=deal, actor=director, reason="x")
    assert not Notification.objects.filter(event="offers.deal.cancelled").exists()


def test_a_message_tells_the_other_side_with_its_link_and_staff_who_wrote_in_the_thread(
    personas, deal, rep_a, rep_b, moderator, admin
):
    services.deal_message_post(deal=deal, actor=rep_b, body="We start on Monday.")
    assert links("offers.deal.message") == side_links(deal, partner=False), "staff read threads on demand"

    Notification.objects.all().delete()
    services.deal_message_post(deal=deal, actor=moderator, body="Misty here: the poster needs the code.")
    assert links("offers.deal.message") == side_links(deal), "both sides, not the moderator who wrote"
    notice = Notification.objects.get(event="offers.deal.message", recipient=rep_a)
    assert notice.body.startswith("Misty team: Misty here") and "Misty team" in notice.title

    Notification.objects.all().delete()
    services.deal_message_post(deal=deal, actor=rep_a, body="Done, thanks.")
    assert links("offers.deal.message") == side_links(deal, owner=False) | {"moderator@misty.example": detail(deal)}, (
        "the moderator who wrote learns the answer; other staff do not"
    )


def test_someone_in_both_projects_is_told_once(deal, rep_a, project_b, moderator):
    MembershipFactory(user=rep_a, project=project_b)
    services.deal_complete(deal=deal, actor=moderator)
    assert links("offers.deal.completed")["rep@alpha.example"] == side_links(deal)["rep@alpha.example"]


# --- the thread of an ended deal -------------------------------------------------------------------------


@pytest.mark.parametrize("end", ["complete", "cancel"])
def test_the_thread_of_an_ended_deal_stays_writable(client_as, end, deal, rep_a, rep_b, project_a):
    if end == "complete":
        services.deal_complete(deal=deal, actor=rep_a)
    else:
        services.deal_cancel(deal=deal, actor=rep_a, reason="Wrong lot")
    services.deal_message_post(deal=deal, actor=rep_b, body="The last three guests came on Friday.")
    assert Notification.objects.filter(event="offers.deal.message", recipient=rep_a).exists()
    page = client_as("rep_a").get(
        reverse("cabinet:deal_detail", kwargs={"project_slug": project_a.slug, "code": deal.code})
    )
    html = page.content.decode()
    assert 'data-testid="deal-thread-after-end"' in html and "The last three guests" in html
    assert 'data-testid="deal-message-form"' in html and 'data-testid="deal-complete"' not in html


# --- the list --------------------------------------------------------------------------------------------


def codes_listed(response):
    return [deal.code for deal in response.context["list"]]


@pytest.mark.parametrize("persona", ["moderator", "admin", "director"])
def test_every_staff_role_sees_every_deal(client_as, persona, deal, other_deal):
    response = client_as(persona).get(reverse("staff:deals"))
    assert codes_listed(response) == [other_deal.code, deal.code]  # newest first
    html = response.content.decode()
    assert codes.display(deal.code) in html and "Alpha Lounge" in html and "Gamma Gym" in html
    assert f'href="/staff/deals/{deal.code}/"' in html and f'href="/staff/lots/{deal.lot_id}/"' in html


def test_the_list_counts_the_messages_of_each_thread(client_as, deal, other_deal, rep_a, rep_b):
    services.deal_message_post(deal=deal, actor=rep_a, body="One")
    services.deal_message_post(deal=deal, actor=rep_b, body="Two")
    rows = {d.code: d.messages_count for d in client_as("moderator").get(reverse("staff:deals")).context["list"]}
    assert rows == {deal.code: 2, other_deal.code: 0}


@pytest.fixture
def three(deal, other_deal, rep_a):
    services.deal_cancel(deal=deal, actor=rep_a, reason="x")
    Deal.objects.filter(pk=deal.pk).update(created_at=timezone.now() - dt.timedelta(days=10))
    return deal, other_deal


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"status": "cancelled"}, ["deal"]),
        ({"status": "active"}, ["other"]),
        ({"project": "alpha"}, ["deal"]),  # the owner
        ({"project": "beta"}, ["other", "deal"]),  # the partner of one, the owner of the other
        ({"project": "gamma"}, ["other"]),
        ({"q": "hookah"}, ["deal"]),
        ({"q": "gamma"}, ["other"]),
        ({"date_from": "today"}, ["other"]),
        ({"date_to": "yesterday"}, ["deal"]),
        ({"lot": "deal"}, ["deal"]),
        ({"o": "code"}, "by code"),
    ],
)
def test_deal_filters(client_as, three, query, expected):
    from projects.models import Project

    deal, other = three
    named = {"deal": deal, "other": other}
    today = timezone.localdate()
    data = dict(query)
    if "project" in data:
        data["project"] = Project.objects.get(slug=data["project"]).pk
    if data.get("lot") == "deal":
        data["lot"] = deal.lot_id
    for key, day in (("date_from", today), ("date_to", today - dt.timedelta(days=1))):
        if key in data:
            data[key] = day.isoformat()
    with_filters = client_as("moderator").get(reverse("staff:deals"), data)
    if expected == "by code":
        assert codes_listed(with_filters) == sorted([deal.code, other.code])
    else:
        assert codes_listed(with_filters) == [named[name].code for name in expected]


@pytest.mark.parametrize("typed", ["code", "lower", "dashed", "piece", "cyrillic"])
def test_the_search_finds_a_code_as_typed(client_as, deal, other_deal, typed):
    code = deal.code
    text = {
        "code": code,
        "lower": code.lower(),
        "dashed": codes.display(code).lower(),
        "piece": code[1:5],
        "cyrillic": code.translate(str.maketrans("ABCEHKMPTXY", "АВСЕНКМРТХУ")),
    }[typed]
    assert deal.code in codes_listed(client_as("moderator").get(reverse("staff:deals"), {"q": text}))


@pytest.mark.parametrize(
    "query, field",
    [({"status": "lost"}, "status"), ({"lot": "seven"}, "lot"), ({"date_from": "31.02"}, "date_from")],
)
def test_an_invalid_filter_empties_the_list_and_says_why(client_as, deal, query, field):
    response = client_as("moderator").get(reverse("staff:deals"), query)
    assert codes_listed(response) == [] and field in response.context["list"].filter.form.errors
    assert 'data-testid="empty-filtered"' in response.content.decode()


def test_a_curator_starts_on_deals_of_their_projects(client_as, deal, other_deal):
    client = client_as("curator")
    assert codes_listed(client.get(reverse("staff:deals"))) == [deal.code], "project A's deal only"
    assert codes_listed(client.get(reverse("staff:deals"), {"scope": "all"})) == [other_deal.code, deal.code]
    assert "scope" not in client_as("moderator").get(reverse("staff:deals")).context["list"].filter.form.fields


def test_the_lot_card_links_to_its_deals(client_as, deal, lot_a):
    html = client_as("curator").get(reverse("staff:lot_detail", args=[lot_a.pk])).content.decode()
    link = f"{reverse('staff:deals')}?lot={lot_a.pk}&amp;scope=all"
    assert f'href="{link}" data-testid="lot-deals">1 deal</a>' in html
    assert codes_listed(client_as("curator").get(reverse("staff:deals"), {"lot": lot_a.pk, "scope": "all"})) == [
        deal.code
    ]


def test_the_menu_leads_to_the_deals(client_as, deal):
    html = client_as("director").get(reverse("staff:dashboard")).content.decode()
    assert f'href="{reverse("staff:deals")}" data-testid="nav-deals"' in html


# --- the card --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["exact", "lower-dashed", "spaced"])
def test_the_card_takes_the_code_as_typed(client_as, deal, typed):
    code = {
        "exact": deal.code,
        "lower-dashed": codes.display(deal.code).lower(),
        "spaced": f"{deal.code[:3]} {deal.code[3:]}",
    }[typed]
    response = client_as("moderator").get(detail(deal, code))
    assert response.status_code == 200 and response.context["deal"] == deal


def test_an_unknown_code_is_404(client_as, deal):
    assert client_as("moderator").get(detail(deal, "ZZZ-ZZZ")).status_code == 404
    assert client_as("moderator").get(detail(deal, "O0O-0O0")).status_code == 404


def test_the_card_shows_both_projects_the_terms_and_the_thread(client_as, deal, rep_a, rep_b, moderator):
    services.deal_message_post(deal=deal, actor=rep_b, body="We start on Monday.")
    services.deal_message_post(deal=deal, actor=moderator, body="Misty here.")
    html = client_as("moderator").get(detail(deal)).content.decode()
    for text in ("Alpha Lounge", "Beta Barbershop", "Hookah night for newcomers", "We start on Monday.", "Misty team"):
        assert text in html
    assert html.count('data-testid="deal-message"') == 2
    assert f'href="{reverse("staff:lot_detail", args=[deal.lot_id])}"' in html
    assert f'action="{reverse("staff:deal_message", kwargs={"code": deal.code})}"' in html
    assert "/cabinet/" not in html.split('data-testid="deal-code"')[1], "no cabinet link on the staff card"


def test_the_director_reads_without_forms(client_as, deal):
    html = client_as("director").get(detail(deal)).content.decode()
    assert "Hookah night" in html
    for testid in ("deal-message-form", "deal-complete", "deal-cancel", "cancel-form"):
        assert f'data-testid="{testid}"' not in html
    assert (
        client_as("director").post(reverse("staff:deal_message", kwargs={"code": deal.code}), {"body": "x"}).status_code
        == 403
    )
    assert not DealMessage.objects.exists()


def test_a_moderator_writes_in_the_thread_through_the_card(client_as, deal, rep_a):
    client = client_as("moderator")
    url = reverse("staff:deal_message", kwargs={"code": codes.display(deal.code).lower()})
    empty = client.post(url, {"body": "   "})
    assert empty.status_code == 200 and "Write a message." in empty.content.decode()
    done = client.post(url, {"body": "Misty here: all good?"})
    assert done["Location"] == detail(deal)
    message = DealMessage.objects.get()
    assert message.author_project is None and message.body == "Misty here: all good?"
    assert Notification.objects.filter(event="offers.deal.message", recipient=rep_a).exists()


def test_a_moderator_sends_a_file_in_the_thread_and_the_director_reads_its_name_only(client_as, deal):
    sent = client_as("moderator").post(
        reverse("staff:deal_message", kwargs={"code": deal.code}), {"body": "", "files": [pdf_file("brief.pdf")]}
    )
    assert sent["Location"] == detail(deal)
    attachment = Attachment.objects.get(message__deal=deal)
    href = reverse("staff:attachment", kwargs={"pk": attachment.pk})
    assert f'href="{href}"' in client_as("moderator").get(detail(deal)).content.decode()
    as_director = client_as("director").get(detail(deal)).content.decode()
    assert "brief.pdf" in as_director and href not in as_director, "the director may not open files: no dead link"


def test_a_moderator_completes_a_deal_once(client_as, deal):
    client = client_as("admin")
    url = reverse("staff:deal_complete", kwargs={"code": deal.code})
    assert client.post(url)["Location"] == detail(deal)
    deal.refresh_from_db()
    assert deal.status == DealStatus.COMPLETED and deal.ended_by.email == "admin@misty.example"
    again = client.post(url, follow=True).content.decode()
    assert "already “Completed”" in again and 'data-testid="deal-complete"' not in again


def test_a_moderator_cancels_with_a_required_reason(client_as, deal, rep_b):
    client = client_as("moderator")
    url = reverse("staff:deal_cancel", kwargs={"code": deal.code})
    page = client.get(detail(deal)).content.decode()
    assert 'data-testid="cancel-form"' in page and 'class="collapse mb-3"' in page
    missing = client.post(url, {"cancel-reason": "  "})
    html = missing.content.decode()
    assert missing.status_code == 200 and "Give the reason." in html and 'class="collapse show mb-3"' in html
    assert Deal.objects.get(pk=deal.pk).status == DealStatus.ACTIVE
    assert client.post(url, {"cancel-reason": "A duplicate of deal ABC-789"})["Location"] == detail(deal)
    deal.refresh_from_db()
    assert (deal.status, deal.end_reason) == (DealStatus.CANCELLED, "A duplicate of deal ABC-789")
    assert Notification.objects.filter(event="offers.deal.cancelled", recipient=rep_b).exists()
    late = client.post(url, {"cancel-reason": "Again"}, follow=True).content.decode()
    assert "already “Cancelled”" in late and 'data-testid="cancel-form"' not in late


# --- query budgets ---------------------------------------------------------------------------------------


def test_the_list_stays_within_budget(client_as, page_queries, deal, project_a, rep_b):
    services.deal_message_post(deal=deal, actor=rep_b, body="Hello")

    def grow():
        partners = bulk_projects(40, "partner")
        bulk_deals(project_a, partners, 150, owner_side=True)

    response = page_queries(client_as("moderator"), reverse("staff:deals"), grow=grow)
    assert response.context["list"].page.paginator.count == 151
    assert all(d.messages_count == 1 for d in response.context["list"])


def test_the_filtered_list_of_a_curator_stays_within_budget(client_as, page_queries, deal, project_a):
    def grow():
        bulk_deals(project_a, bulk_projects(40, "partner"), 150, owner_side=True)

    page_queries(client_as("curator"), reverse("staff:deals"), data={"q": "hookah", "o": "-partner"}, grow=grow)


def test_the_card_stays_within_budget(client_as, page_queries, deal, rep_a, rep_b, moderator):
    def grow():
        authors = [(rep_a, deal.owner), (rep_b, deal.partner), (moderator, None)]
        DealMessage.objects.bulk_create(
            [
                DealMessage(deal=deal, author=authors[i % 3][0], author_project=authors[i % 3][1], body=f"m{i}")
                for i in range(300)
            ]
        )

    response = page_queries(client_as("moderator"), detail(deal), grow=grow)
    assert response.content.decode().count('data-testid="deal-message"') == 300


def test_the_lot_card_with_its_deals_stays_within_budget(client_as, page_queries, deal, lot_a, rep_a):
    def grow():
        for i in range(30):
            project = bulk_projects(1, f"p{i}")[0]
            manager = UserFactory(email=f"m{i}@p.example")
            MembershipFactory(user=manager, project=project)
            response = services.response_submit(lot=lot_a, project=project, actor=manager, data={"channels": "x"})
            services.response_accept(response=response, actor=rep_a)

    response = page_queries(client_as("moderator"), reverse("staff:lot_detail", args=[lot_a.pk]), grow=grow)
    assert "31 deals" in response.content.decode()
