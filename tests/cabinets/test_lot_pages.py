"""Representative → Our lots (cabinets/views/lots.py): the list, the form with its budget calculator, the card
and the owner's actions, through the pages as a manager and a viewer of project A use them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from offers import services
from offers.models import Deal, Lot, LotRevision, LotStatus, LotStatusChange, Response, RevisionStatus
from tests.offers.conftest import lot_terms


@pytest.fixture
def draft(rep_a, project_a):
    return services.lot_create(project=project_a, actor=rep_a, data=lot_terms(title="Draft lot"))


@pytest.fixture
def published(rep_a, moderator, project_a):
    lot = services.lot_create(project=project_a, actor=rep_a, data=lot_terms(title="Live lot"))
    services.lot_submit(lot=lot, actor=rep_a)
    return services.lot_approve(lot=lot, actor=moderator)


def url(name, lot=None, project="alpha", **kwargs):
    if lot is not None:
        kwargs["pk"] = lot.pk
    return reverse(f"cabinet:{name}", kwargs={"project_slug": project, **kwargs})


def form_data(**changes):
    data = {
        "title": "Bring students to the lounge",
        "description": "Evenings with board games.",
        "benefit_type": "discount_percent",
        "benefit_value": "15",
        "quota": "100",
        "reward": "300",
        "cashback_points": "50",
        "age_from": "18",
        "age_to": "30",
        "gender": "any",
        "segment": "students",
        "valid_from": "2026-12-01",
        "valid_until": "2027-01-31",
    }
    data.update(changes)
    return data


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


# --- the list --------------------------------------------------------------------------------------------


def test_the_list_shows_the_projects_own_lots_newest_first_with_status_and_figures(
    client_as, draft, published, rep_b, project_b
):
    services.lot_create(project=project_b, actor=rep_b, data=lot_terms(title="Beta's lot"))
    page = client_as("rep_a").get(url("lots"))
    rows = [lot.title for lot in page.context["list"]]
    assert rows == ["Live lot", "Draft lot"]
    html = page.content.decode()
    assert "Beta&#x27;s lot" not in html and "Beta's lot" not in html
    assert "Published" in html and "Draft" in html and "text-bg-success" in html
    assert "300.00 ₽" in html and "22 Nov 2026 – 21 Jan 2027" in html
    assert f'href="/cabinet/alpha/lots/{published.pk}/"' in html


def test_the_list_marks_new_terms_waiting_for_moderation(client_as, published, rep_a):
    html = client_as("rep_a").get(url("lots")).content.decode()
    assert 'data-testid="pending-revision"' not in html
    services.lot_update(lot=published, actor=rep_a, data=lot_terms(title="Live lot", reward=Decimal("350")))
    html = client_as("rep_a").get(url("lots")).content.decode()
    assert html.count('data-testid="pending-revision"') == 1


def test_the_list_filters_by_status_and_search_and_puts_archived_lots_away(
    client_as, draft, published, rep_a, moderator
):
    client = client_as("rep_a")
    assert [lot.title for lot in client.get(url("lots"), {"status": "draft"}).context["list"]] == ["Draft lot"]
    assert [lot.title for lot in client.get(url("lots"), {"q": "LIVE"}).context["list"]] == ["Live lot"]
    services.lot_close(lot=published, actor=rep_a)
    services.lot_archive(lot=published, actor=rep_a)
    assert [lot.title for lot in client.get(url("lots")).context["list"]] == ["Draft lot"]
    assert [lot.title for lot in client.get(url("lots"), {"status": "archived"}).context["list"]] == ["Live lot"]


def test_an_invalid_filter_empties_the_list_and_says_so(client_as, draft):
    page = client_as("rep_a").get(url("lots"), {"status": "bogus"})
    assert list(page.context["list"]) == []
    assert page.context["list"].filter.form.errors["status"]
    assert 'data-testid="empty-filtered"' in page.content.decode()


def test_with_no_lots_the_list_says_what_a_lot_is_and_offers_the_first_one(client_as, project_a, viewer_a):
    html = client_as("rep_a").get(url("lots")).content.decode()
    assert 'data-testid="first-lot"' in html and 'data-testid="create-first-lot"' in html
    assert "A lot is your request for new clients" in html
    html = client_as("viewer_a").get(url("lots")).content.decode()
    assert 'data-testid="first-lot"' in html
    assert "create-first-lot" not in html and 'data-testid="create-lot"' not in html


def test_only_archived_lots_is_not_the_first_lot_state(client_as, published, rep_a):
    services.lot_close(lot=published, actor=rep_a)
    services.lot_archive(lot=published, actor=rep_a)
    html = client_as("rep_a").get(url("lots")).content.decode()
    assert 'data-testid="first-lot"' not in html and "No lots outside the archive" in html


def make_lots(project, user, count):
    lots = Lot.objects.bulk_create(
        Lot(project=project, created_by=user, **lot_terms(title=f"Bulk lot {i:03d}")) for i in range(count)
    )
    LotRevision.objects.bulk_create(
        LotRevision(lot=lot, number=1, terms=lot.terms(), status=RevisionStatus.PENDING) for lot in lots[::2]
    )


def test_the_list_stays_within_the_query_budget(client_as, page_queries, draft, project_a, rep_a):
    page_queries(client_as("rep_a"), url("lots"), grow=lambda: make_lots(project_a, rep_a, 500))
    page_queries(client_as("rep_a"), url("lots"), data={"status": "draft", "q": "bulk"})


# --- the dashboard's first hour ------------------------------------------------------------------------


def test_the_dashboard_leads_a_manager_without_lots_to_the_first_one(client_as, project_a, viewer_a):
    html = client_as("rep_a").get(reverse("cabinet:dashboard", kwargs={"project_slug": "alpha"})).content.decode()
    assert 'data-testid="create-first-lot"' in html and 'href="/cabinet/alpha/lots/new/"' in html
    html = client_as("viewer_a").get(reverse("cabinet:dashboard", kwargs={"project_slug": "alpha"})).content.decode()
    assert 'data-testid="first-lot"' in html and "create-first-lot" not in html


def test_the_dashboard_drops_the_first_lot_state_once_there_is_a_lot(client_as, draft):
    html = client_as("rep_a").get(reverse("cabinet:dashboard", kwargs={"project_slug": "alpha"})).content.decode()
    assert 'data-testid="first-lot"' not in html


# --- the form and its calculator ------------------------------------------------------------------------


def test_the_calculator_panel_adds_up_the_budget(client_as, project_a, settings):
    settings.PORTAL_COMMISSION_PERCENT = Decimal("10")
    page = client_as("rep_a").get(url("lot_budget"), {"quota": "100", "reward": "300,50", "cashback_points": "50"})
    html = page.content.decode()
    assert "<html" not in html  # the partial alone, for htmx
    budget = page.context["budget"]
    assert budget.rewards == Decimal("30050.00") and budget.commission == Decimal("3005.00")
    assert budget.maximum == Decimal("33055.00") and budget.cashback_total == 5000
    assert "30,050.00 ₽" in html and "3,005.00 ₽" in html and "33,055.00 ₽" in html and "5,000 points" in html
    assert "10% of the reward" in html


@pytest.mark.parametrize(
    "query", [{}, {"quota": "100"}, {"quota": "abc", "reward": "300"}, {"quota": "10", "reward": "-5"}]
)
def test_the_calculator_waits_for_a_quota_and_a_reward(client_as, project_a, query):
    page = client_as("rep_a").get(url("lot_budget"), query)
    assert page.context["budget"] is None
    assert 'data-testid="budget-empty"' in page.content.decode()


def test_the_calculator_is_read_only(client_as, project_a):
    assert client_as("rep_a").post(url("lot_budget"), {"quota": "1", "reward": "1"}).status_code == 405


def test_the_form_renders_the_calculator_wired_to_htmx_and_works_without_javascript(client_as, project_a, draft):
    html = client_as("rep_a").get(url("lot_create")).content.decode()
    assert 'id="lot-budget"' in html and 'data-testid="budget-empty"' in html
    assert html.count('hx-get="/cabinet/alpha/lots/budget/"') == 3  # quota, reward, cashback
    assert 'hx-include="[data-budget-input]"' in html
    assert 'type="date"' in html and "<script>" not in html and "style=" not in html
    # Server-side on first load: the edit page's panel already shows the lot's budget.
    page = client_as("rep_a").get(url("lot_edit", draft))
    assert page.context["budget"].maximum == Decimal("33000.00")
    assert 'data-testid="budget-maximum"' in page.content.decode()


def test_creating_saves_a_draft(client_as, project_a, rep_a):
    response = client_as("rep_a").post(url("lot_create"), form_data(then="draft"), follow=True)
    lot = Lot.objects.get()
    assert response.redirect_chain[-1][0] == url("lot_detail", lot)
    assert lot.status == LotStatus.DRAFT and lot.created_by == rep_a and lot.project == project_a
    assert lot.reward == Decimal("300.00") and lot.valid_until == dt.date(2027, 1, 31) and lot.age_to == 30
    assert any("draft is saved" in m for m in messages_of(response))


def test_save_and_submit_sends_the_new_lot_to_moderation(client_as, project_a):
    response = client_as("rep_a").post(
        url("lot_create"), form_data(then="submit", reward="1 500,50", title="  Spaced   title "), follow=True
    )
    lot = Lot.objects.get()
    assert lot.status == LotStatus.MODERATION and lot.reward == Decimal("1500.50") and lot.title == "Spaced title"
    assert lot.revisions.get().status == RevisionStatus.PENDING
    assert any("sent to moderation" in m for m in messages_of(response))


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"valid_until": "2026-11-30"}, "valid_until"),
        ({"age_from": "40", "age_to": "20"}, "age_to"),
        ({"benefit_value": "120"}, "benefit_value"),
        ({"benefit_value": "0"}, "benefit_value"),
        ({"quota": "0"}, "quota"),
        ({"quota": "99999999999999999999"}, "quota"),  # beyond any database integer: a field error, not a 500
        ({"cashback_points": "99999999999999999999"}, "cashback_points"),
        ({"reward": "99999999999999999999"}, "reward"),
        ({"benefit_value": "99999999999999999999"}, "benefit_value"),
        ({"reward": "abc"}, "reward"),
        ({"benefit_type": ""}, "benefit_type"),
        ({"title": "   "}, "title"),
        ({"valid_from": "31.12.2026x"}, "valid_from"),
        ({"age_from": "5"}, "age_from"),
    ],
)
def test_form_errors_show_on_their_field_and_keep_what_was_typed(client_as, project_a, changes, field):
    page = client_as("rep_a").post(url("lot_create"), form_data(then="submit", segment="night owls", **changes))
    assert page.status_code == 200 and not Lot.objects.exists()
    form = page.context["form"]
    assert field in form.errors
    html = page.content.decode()
    assert 'value="night owls"' in html and "Evenings with board games." in html
    assert 'value="2027-01-31"' in html or field == "valid_until"
    # The calculator shows the typed figures too (no JavaScript needed).
    budget = page.context["budget"]
    assert budget is None or (budget.quota, budget.reward) == (int(form.data["quota"]), Decimal("300.00"))


def test_a_service_refusal_is_a_form_error_and_keeps_the_input(client_as, published):
    """A live lot whose terms did not change: the service refuses, the page says so with what was typed."""
    data = form_data(**{k: str(v) for k, v in lot_terms(title="Live lot").items() if v is not None})
    data.update(benefit_value="15.00", reward="300.00", valid_from="2026-11-22", valid_until="2027-01-21")
    page = client_as("rep_a").post(url("lot_edit", published), data)
    assert page.status_code == 200
    assert "Nothing changed" in " ".join(page.context["form"].non_field_errors())
    assert 'data-testid="form-errors"' in page.content.decode() and 'value="Live lot"' in page.content.decode()
    assert not published.revisions.filter(status=RevisionStatus.PENDING).exists()


def test_editing_a_draft_changes_it_in_place_and_may_submit_it(client_as, draft):
    client = client_as("rep_a")
    page = client.get(url("lot_edit", draft))
    assert page.context["form"].initial["title"] == "Draft lot"
    assert 'data-testid="save-draft"' in page.content.decode()
    client.post(url("lot_edit", draft), form_data(title="Draft, edited", then="draft"))
    draft.refresh_from_db()
    assert draft.title == "Draft, edited" and draft.status == LotStatus.DRAFT
    client.post(url("lot_edit", draft), form_data(title="Draft, edited", then="submit"))
    draft.refresh_from_db()
    assert draft.status == LotStatus.MODERATION


def test_editing_a_published_lot_sends_new_terms_to_moderation_and_keeps_the_live_ones(client_as, published):
    client = client_as("rep_a")
    html = client.get(url("lot_edit", published)).content.decode()
    assert 'data-testid="live-edit-note"' in html and "save-draft" not in html
    response = client.post(url("lot_edit", published), form_data(title="Live lot", reward="450"), follow=True)
    published.refresh_from_db()
    assert published.status == LotStatus.PUBLISHED and published.reward == Decimal("300.00")
    pending = published.revisions.get(status=RevisionStatus.PENDING)
    assert pending.terms["reward"] == "450.00"
    assert any("Partners see the current terms" in m for m in messages_of(response))
    # The card shows both, the changed ones marked; the form starts from what waits.
    html = response.content.decode()
    assert 'data-testid="proposed-terms"' in html and 'data-changed="reward"' in html
    assert "450.00 ₽" in html and "300.00 ₽" in html
    assert client.get(url("lot_edit", published)).context["form"].initial["reward"] == "450.00"


def test_a_lot_on_moderation_cannot_be_edited(client_as, draft, rep_a):
    services.lot_submit(lot=draft, actor=rep_a)
    response = client_as("rep_a").get(url("lot_edit", draft), follow=True)
    assert response.redirect_chain[-1][0] == url("lot_detail", draft)
    assert any("cannot be edited" in m for m in messages_of(response))


def test_the_form_pages_stay_within_the_query_budget(client_as, page_queries, draft):
    page_queries(client_as("rep_a"), url("lot_create"))
    page_queries(client_as("rep_a"), url("lot_edit", draft))
    page_queries(client_as("rep_a"), url("lot_budget"), data={"quota": "3", "reward": "10"})


# --- the card -------------------------------------------------------------------------------------------


def test_the_card_shows_terms_history_counts_and_the_moderators_comment(
    client_as, draft, rep_a, moderator, project_b, rep_b
):
    services.lot_submit(lot=draft, actor=rep_a)
    services.lot_request_changes(lot=draft, actor=moderator, comment="Say which evenings.")
    page = client_as("rep_a").get(url("lot_detail", draft))
    html = page.content.decode()
    assert 'data-testid="moderator-comment"' in html and "Say which evenings." in html
    history = [h.to_status for h in page.context["history"]]
    assert history == ["changes_requested", "moderation", "draft"]  # newest first
    assert "Mona Moderator" in html and "Alice Alpha" in html
    assert [name for name, _ in page.context["actions"]] == ["submit"]
    assert 'data-testid="edit-lot"' in html


def test_the_card_counts_responses_and_deals(client_as, published, rep_a, rep_b, project_b):
    response = services.response_submit(lot=published, project=project_b, actor=rep_b, data={"channels": "Our blog"})
    services.response_accept(response=response, actor=rep_a)
    page = client_as("rep_a").get(url("lot_detail", published))
    assert page.context["lot"].responses_count == 1 and page.context["lot"].deals_count == 1
    assert [name for name, _ in page.context["actions"]] == ["pause", "close"]


def test_a_viewer_sees_the_card_without_actions(client_as, published):
    page = client_as("viewer_a").get(url("lot_detail", published))
    html = page.content.decode()
    assert page.context["actions"] == [] and 'data-testid="lot-actions"' not in html and "edit-lot" not in html


def test_another_projects_lot_is_not_found_in_ones_own_cabinet(client_as, published, rep_b, project_b):
    client = client_as("rep_b")
    for name in ("lot_detail", "lot_edit"):
        assert client.get(url(name, published, project="beta")).status_code == 404
    assert client.post(url("lot_action", published, project="beta", action="pause")).status_code == 404
    published.refresh_from_db()
    assert published.status == LotStatus.PUBLISHED


def grow_card(lot, user, project_b, rep_b):
    LotStatusChange.objects.bulk_create(
        LotStatusChange(lot=lot, from_status="published", to_status="paused", actor=user) for _ in range(300)
    )
    Response.objects.bulk_create(
        Response(lot=lot, project=project_b, channels="x", status="rejected") for _ in range(200)
    )


def test_the_card_stays_within_the_query_budget(client_as, page_queries, published, rep_a, project_b, rep_b):
    services.lot_update(lot=published, actor=rep_a, data=lot_terms(title="Live lot", quota=150))
    page_queries(
        client_as("rep_a"), url("lot_detail", published), grow=lambda: grow_card(published, rep_a, project_b, rep_b)
    )


# --- the actions ----------------------------------------------------------------------------------------


def post_action(client, lot, action, data=None):
    return client.post(url("lot_action", lot, action=action), data or {}, follow=True)


def test_each_owner_action_through_the_card(client_as, draft, rep_a, moderator):
    client = client_as("rep_a")
    response = post_action(client, draft, "submit")
    draft.refresh_from_db()
    assert draft.status == LotStatus.MODERATION and any("sent to moderation" in m for m in messages_of(response))
    services.lot_approve(lot=draft, actor=moderator)
    post_action(client, draft, "pause")
    draft.refresh_from_db()
    assert draft.status == LotStatus.PAUSED
    post_action(client, draft, "resume")
    draft.refresh_from_db()
    assert draft.status == LotStatus.PUBLISHED
    page = client.get(url("lot_action", draft, action="close"))
    assert page.status_code == 200 and 'data-testid="close-form"' in page.content.decode()
    response = post_action(client, draft, "close", {"comment": "Enough guests for the season."})
    draft.refresh_from_db()
    assert draft.status == LotStatus.CLOSED and draft.close_reason == "owner"
    assert draft.history.first().comment == "Enough guests for the season."
    assert "Enough guests for the season." in response.content.decode()
    post_action(client, draft, "archive")
    draft.refresh_from_db()
    assert draft.status == LotStatus.ARCHIVED


def test_closing_completes_the_lots_deals(client_as, published, rep_a, rep_b, project_b):
    response = services.response_submit(lot=published, project=project_b, actor=rep_b, data={"channels": "Our blog"})
    deal = services.response_accept(response=response, actor=rep_a)
    post_action(client_as("rep_a"), published, "close")
    deal.refresh_from_db()
    assert deal.status == "completed" and Deal.objects.count() == 1


def test_a_refused_action_shows_the_services_message(client_as, published, rep_a):
    client = client_as("rep_a")
    response = post_action(client, published, "submit")  # a published lot is not submitted again
    assert any("cannot be done while the lot is “Published”" in m for m in messages_of(response))
    services.lot_pause(lot=published, actor=rep_a)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Lot.objects.filter(pk=published.pk).update(valid_from=yesterday, valid_until=yesterday)
    response = post_action(client, published, "resume")
    published.refresh_from_db()
    assert published.status == LotStatus.PAUSED
    assert any("validity is over" in m for m in messages_of(response))
    assert 'class="alert alert-danger' in response.content.decode() or "alert-danger" in response.content.decode()


def test_a_too_long_close_comment_keeps_the_confirmation(client_as, published):
    page = client_as("rep_a").post(url("lot_action", published, action="close"), {"comment": "x" * 2001})
    assert page.status_code == 200 and page.context["form"].errors["comment"]
    published.refresh_from_db()
    assert published.status == LotStatus.PUBLISHED


def test_actions_outside_the_owners_table_are_not_found(client_as, draft):
    client = client_as("rep_a")
    for action in ("approve", "reject", "request_changes", "delete", "edit-me"):
        assert client.post(url("lot_action", draft, action=action)).status_code == 404
    draft.refresh_from_db()
    assert draft.status == LotStatus.DRAFT


def test_actions_other_than_closing_have_no_get_page(client_as, published):
    assert client_as("rep_a").get(url("lot_action", published, action="pause")).status_code == 405


@pytest.mark.parametrize("persona,status", [("viewer_a", 403), ("rep_b", 404), ("moderator", 403), ("director", 403)])
def test_only_a_manager_of_the_project_acts_on_its_lots(client_as, published, persona, status):
    assert client_as(persona).post(url("lot_action", published, action="pause")).status_code == status
    assert client_as(persona).post(url("lot_create"), form_data()).status_code == status
    assert client_as(persona).post(url("lot_edit", published), form_data(reward="1")).status_code == status
    published.refresh_from_db()
    assert published.status == LotStatus.PUBLISHED and Lot.objects.count() == 1
    assert not published.revisions.filter(status=RevisionStatus.PENDING).exists()


def test_the_calculator_takes_absurd_figures_without_failing(client_as, project_a):
    page = client_as("rep_a").get(url("lot_budget"), {"quota": "99999999999999999999", "reward": "9" * 30})
    assert page.status_code == 200 and page.context["budget"] is None


def test_the_service_bounds_the_quota_and_the_cashback(project_a, rep_a):
    from offers import services
    from portal.exceptions import ApplicationError
    from tests.offers.conftest import lot_terms

    with pytest.raises(ApplicationError):
        services.lot_create(project=project_a, actor=rep_a, data=lot_terms(quota=10**12))
    with pytest.raises(ApplicationError):
        services.lot_create(project=project_a, actor=rep_a, data=lot_terms(cashback_points=10**12))
    assert not Lot.objects.exists()
