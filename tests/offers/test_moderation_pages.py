"""Staff → Lots: the pool, the queue, a lot's card with its diff, and the moderators' decisions through the pages."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from auditlog.models import AuditEvent
from offers import services
from offers.models import Lot, LotRevision, LotStatus, RevisionStatus, terms_snapshot
from projects.models import Category
from tests.offers.conftest import lot_terms


def make_lots(project, n, *, status=LotStatus.MODERATION, pending=True, start=None, title="Bulk lot"):
    """`n` lots of `project` in `status`, each with a pending revision when `pending` (bulk: fast)."""
    start = start or timezone.now() - dt.timedelta(days=30)
    lots = Lot.objects.bulk_create(
        Lot(
            project=project,
            status=status,
            created_at=start + dt.timedelta(minutes=i),
            **lot_terms(title=f"{title} {i}"),
        )
        for i in range(n)
    )
    if pending:
        LotRevision.objects.bulk_create(
            LotRevision(lot=lot, number=1, terms=terms_snapshot(lot_terms(title=lot.title)), created_at=lot.created_at)
            for lot in lots
        )
    return lots


def submitted(project, rep, **changes):
    lot = services.lot_create(project=project, actor=rep, data=lot_terms(**changes))
    return services.lot_submit(lot=lot, actor=rep)


# --- the pool ------------------------------------------------------------------------------------------


class TestPool:
    def test_every_staff_role_sees_every_lot_with_its_project_and_status(self, client_as, rep_a, rep_b, project_b):
        submitted(rep_a.memberships.get().project, rep_a, title="Alpha lot")
        services.lot_create(project=project_b, actor=rep_b, data=lot_terms(title="Beta draft"))
        for persona in ("moderator", "admin", "director"):
            response = client_as(persona).get(reverse("staff:lots"))
            titles = [lot.title for lot in response.context["list"]]
            assert titles == ["Beta draft", "Alpha lot"], persona  # newest first
            html = response.content.decode()
            assert "On moderation" in html and "Draft" in html and 'data-testid="lot-waiting"' in html

    @pytest.fixture
    def spread(self, project_a, project_b):
        project_b.category = Category.BARBERSHOP
        project_b.save()
        old = timezone.make_aware(dt.datetime(2026, 1, 10, 12))
        new = timezone.make_aware(dt.datetime(2026, 3, 10, 12))
        make_lots(project_a, 2, status=LotStatus.PUBLISHED, pending=False, start=old, title="Alpha old")
        make_lots(project_b, 1, status=LotStatus.MODERATION, start=new, title="Beta new")
        make_lots(project_b, 1, status=LotStatus.DRAFT, pending=False, start=new, title="Беta Черновик")

    @pytest.mark.parametrize(
        "query,titles",
        [
            ({"status": "published"}, {"Alpha old 0", "Alpha old 1"}),
            ({"project": "beta"}, {"Beta new 0", "Беta Черновик 0"}),
            ({"category": "barbershop"}, {"Beta new 0", "Беta Черновик 0"}),
            ({"date_from": "2026-03-01"}, {"Beta new 0", "Беta Черновик 0"}),
            ({"date_to": "2026-01-31"}, {"Alpha old 0", "Alpha old 1"}),
            ({"q": "черновик"}, {"Беta Черновик 0"}),
        ],
    )
    def test_filters(self, client_as, spread, project_b, query, titles):
        if query.get("project") == "beta":
            query = {"project": str(project_b.pk)}
        response = client_as("director").get(reverse("staff:lots"), query)
        assert {lot.title for lot in response.context["list"]} == titles

    def test_the_curator_filter_shows_a_curators_projects(self, client_as, spread, curator):
        response = client_as("curator").get(reverse("staff:lots"), {"curator": "mine"})
        assert {lot.title for lot in response.context["list"]} == {"Alpha old 0", "Alpha old 1"}
        response = client_as("director").get(reverse("staff:lots"), {"curator": str(curator.pk)})
        assert {lot.title for lot in response.context["list"]} == {"Alpha old 0", "Alpha old 1"}
        assert "My projects" not in response.content.decode()  # the director curates nothing

    @pytest.mark.parametrize(
        "query,field",
        [
            ({"status": "bogus"}, "status"),
            ({"date_from": "2026-13-45"}, "date_from"),
            ({"date_from": "2026-03-01", "date_to": "2026-01-01"}, "date_to"),
            ({"curator": "mine"}, "curator"),  # the director curates nothing: no such choice
            ({"o": "password"}, "o"),
        ],
    )
    def test_an_invalid_filter_empties_the_list_and_says_why(self, client_as, spread, query, field):
        response = client_as("director").get(reverse("staff:lots"), query)
        assert list(response.context["list"]) == []
        assert field in response.context["list"].filter.form.errors
        assert 'data-testid="empty-filtered"' in response.content.decode()

    def test_sorting_by_a_column_and_back(self, client_as, spread):
        response = client_as("director").get(reverse("staff:lots"), {"o": "title"})
        titles = [lot.title for lot in response.context["list"]]
        assert titles == sorted(titles)
        assert 'href="?o=-title"' in response.content.decode()
        response = client_as("director").get(reverse("staff:lots"), {"o": "-title", "status": "published"})
        assert [lot.title for lot in response.context["list"]] == ["Alpha old 1", "Alpha old 0"]

    def test_numbered_pages(self, client_as, project_a):
        make_lots(project_a, 60, pending=False)
        response = client_as("director").get(reverse("staff:lots"), {"page": 2})
        assert len(response.context["list"].page) == 10
        assert "Page 2 of 2" in response.content.decode()


# --- the queue -----------------------------------------------------------------------------------------


class TestQueue:
    def test_pending_revisions_oldest_first_new_lots_and_new_terms_told_apart(
        self, client_as, rep_a, project_a, moderator, live_lot
    ):
        services.lot_update(lot=live_lot, actor=rep_a, data=lot_terms(reward=500))  # new terms, waits
        first = submitted(project_a, rep_a, title="Second lot")
        LotRevision.objects.filter(lot=live_lot).filter(status="pending").update(
            created_at=timezone.now() - dt.timedelta(days=2)
        )
        make_lots(project_a, 1, status=LotStatus.CLOSED, title="Closed with a stale revision")
        response = client_as("moderator").get(reverse("staff:lot_queue"))
        rows = list(response.context["list"])
        assert [r.lot_id for r in rows] == [live_lot.pk, first.pk]  # the older first; the closed lot's is gone
        html = response.content.decode()
        assert f'data-lot="{live_lot.pk}" data-kind="terms"' in html
        assert f'data-lot="{first.pk}" data-kind="new"' in html
        assert "New terms of a live lot" in html and "New lot" in html

    def test_a_curator_starts_on_their_projects_and_may_see_all(self, client_as, project_a, project_b):
        make_lots(project_a, 1, title="Alpha waiting")
        make_lots(project_b, 1, title="Beta waiting")
        response = client_as("curator").get(reverse("staff:lot_queue"))
        assert [r.lot.title for r in response.context["list"]] == ["Alpha waiting 0"]
        assert 'data-testid="queue-scope"' in response.content.decode()
        response = client_as("curator").get(reverse("staff:lot_queue"), {"scope": "all"})
        assert {r.lot.title for r in response.context["list"]} == {"Alpha waiting 0", "Beta waiting 0"}
        for persona in ("moderator", "director"):
            response = client_as(persona).get(reverse("staff:lot_queue"), {"scope": "mine"})
            assert len(list(response.context["list"])) == 2, persona
            assert 'data-testid="queue-scope"' not in response.content.decode()

    def test_the_menu_counts_the_whole_queue(self, client_as, project_a, project_b):
        make_lots(project_a, 2)
        make_lots(project_b, 1)
        make_lots(project_b, 4, status=LotStatus.DRAFT, pending=False)
        html = client_as("director").get(reverse("staff:dashboard")).content.decode()
        assert 'data-testid="nav-moderation-count">3<' in html

    def test_the_menu_stops_counting_at_its_cap(self, project_a, director):
        from cabinets.templatetags.staff_tags import badge
        from offers.selectors import moderation_queue_count

        make_lots(project_a, 3)
        assert moderation_queue_count(user=director, cap=2) == 2, "a bounded count"
        assert moderation_queue_count(user=director) == 3
        assert (badge(99), badge(100), badge(None)) == ("99", "99+", "None")

    def test_filter_by_kind_and_an_invalid_kind(self, client_as, project_a, live_lot, rep_a):
        services.lot_update(lot=live_lot, actor=rep_a, data=lot_terms(reward=500))
        make_lots(project_a, 1, title="Fresh")
        response = client_as("moderator").get(reverse("staff:lot_queue"), {"kind": "terms"})
        assert [r.lot_id for r in response.context["list"]] == [live_lot.pk]
        response = client_as("moderator").get(reverse("staff:lot_queue"), {"kind": "new"})
        assert [r.lot.title for r in response.context["list"]] == ["Fresh 0"]
        response = client_as("moderator").get(reverse("staff:lot_queue"), {"kind": "everything"})
        assert list(response.context["list"]) == [] and "kind" in response.context["list"].filter.form.errors


# --- the card --------------------------------------------------------------------------------------------


class TestCard:
    def test_a_first_submission_shows_every_field_as_new(self, client_as, project_a, rep_a):
        lot = submitted(project_a, rep_a)
        response = client_as("moderator").get(reverse("staff:lot_detail", args=[lot.pk]))
        html = response.content.decode()
        assert "Nothing was reviewed before: every field is new." in html
        assert len(response.context["changed"]) == 13 and not response.context["unchanged"]
        assert f'href="{reverse("staff:project_detail", args=["alpha"])}"' in html
        assert 'data-testid="approve"' in html and 'data-testid="request-changes-form"' in html

    def test_new_terms_of_a_live_lot_are_compared_with_the_last_review(self, client_as, live_lot, rep_a):
        services.lot_update(lot=live_lot, actor=rep_a, data=lot_terms(reward=450, title="<script>x</script> guests"))
        response = client_as("moderator").get(reverse("staff:lot_detail", args=[live_lot.pk]))
        assert {c.name for c in response.context["changed"]} == {"title", "reward"}
        html = response.content.decode()
        assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
        assert "<del>300.00</del> <ins>450.00</ins>" in html
        assert "Compared with revision #1 (Approved" in html
        assert "Partners see the live terms until these are approved." in html
        assert 'data-testid="close-form"' in html  # a live lot may be closed by staff

    def test_after_changes_requested_the_diff_is_against_the_sent_back_revision(
        self, client_as, project_a, rep_a, moderator
    ):
        lot = submitted(project_a, rep_a)
        services.lot_request_changes(lot=lot, actor=moderator, comment="Say which students.")
        services.lot_update(lot=lot, actor=rep_a, data=lot_terms(segment="students of the film school"))
        services.lot_submit(lot=lot, actor=rep_a)
        response = client_as("moderator").get(reverse("staff:lot_detail", args=[lot.pk]))
        assert [c.name for c in response.context["changed"]] == ["segment"]
        html = response.content.decode()
        assert "Compared with revision #1 (Changes requested" in html and "Say which students." in html
        assert "students<ins> of the film school</ins>" in html

    def test_the_director_sees_the_card_without_buttons(self, client_as, project_a, rep_a, live_lot):
        lot = submitted(project_a, rep_a, title="Waiting")
        for pk in (lot.pk, live_lot.pk):
            html = client_as("director").get(reverse("staff:lot_detail", args=[pk])).content.decode()
            assert 'data-testid="moderation-actions"' not in html and 'data-testid="close-lot"' not in html

    def test_history_and_earlier_revisions_with_their_comments(self, client_as, project_a, rep_a, moderator):
        lot = submitted(project_a, rep_a)
        services.lot_reject(lot=lot, actor=moderator, reason="Not a client offer.")
        response = client_as("admin").get(reverse("staff:lot_detail", args=[lot.pk]))
        html = response.content.decode()
        assert 'data-testid="pending-revision"' not in html and 'data-testid="moderation-actions"' not in html
        assert 'data-revision="1"' in html and "Not a client offer." in html
        assert [h.to_status for h in response.context["history"]] == ["rejected", "moderation", "draft"]

    def test_an_unknown_lot_is_a_404(self, client_as):
        assert client_as("moderator").get(reverse("staff:lot_detail", args=[999])).status_code == 404


# --- the decisions through the page ------------------------------------------------------------------------


class TestDecisions:
    def test_approve_publishes_and_is_journaled(self, client_as, project_a, rep_a):
        lot = submitted(project_a, rep_a)
        response = client_as("moderator").post(reverse("staff:lot_approve", args=[lot.pk]), follow=True)
        lot.refresh_from_db()
        assert lot.status == LotStatus.PUBLISHED
        assert "Approved: partners now see these terms." in response.content.decode()
        assert AuditEvent.objects.filter(event="offers.lot.approved").exists()

    def test_approving_twice_is_refused_with_a_message(self, client_as, project_a, rep_a):
        lot = submitted(project_a, rep_a)
        client = client_as("admin")
        client.post(reverse("staff:lot_approve", args=[lot.pk]))
        response = client.post(reverse("staff:lot_approve", args=[lot.pk]), follow=True)
        assert "This lot has nothing waiting for moderation." in response.content.decode()

    def test_request_changes_needs_a_comment_and_keeps_what_was_typed(self, client_as, project_a, rep_a):
        lot = submitted(project_a, rep_a)
        client = client_as("moderator")
        response = client.post(reverse("staff:lot_request_changes", args=[lot.pk]), {"changes-comment": "   "})
        assert response.status_code == 200
        assert "Say what the owner should change." in response.content.decode()
        lot.refresh_from_db()
        assert lot.status == LotStatus.MODERATION
        url = reverse("staff:lot_request_changes", args=[lot.pk])
        response = client.post(url, {"changes-comment": "Name the age."})
        assert response.status_code == 302
        lot.refresh_from_db()
        assert lot.status == LotStatus.CHANGES_REQUESTED
        assert lot.revisions.get().comment == "Name the age."

    def test_reject_needs_a_reason(self, client_as, project_a, rep_a):
        lot = submitted(project_a, rep_a)
        client = client_as("moderator")
        response = client.post(reverse("staff:lot_reject", args=[lot.pk]), {"reject-reason": ""})
        assert "Give the reason for the rejection." in response.content.decode()
        assert Lot.objects.get(pk=lot.pk).status == LotStatus.MODERATION
        client.post(reverse("staff:lot_reject", args=[lot.pk]), {"reject-reason": "Not a client offer."})
        assert Lot.objects.get(pk=lot.pk).status == LotStatus.REJECTED

    def test_a_refusal_of_the_service_keeps_the_typed_comment(self, client_as, project_a, rep_a, moderator):
        lot = submitted(project_a, rep_a)
        services.lot_approve(lot=lot, actor=moderator)  # someone else decided meanwhile
        response = client_as("moderator").post(
            reverse("staff:lot_request_changes", args=[lot.pk]), {"changes-comment": "Typed by me"}
        )
        html = response.content.decode()
        assert "This lot has nothing waiting for moderation." in html
        # Nothing waits any more, so the form is gone; the refusal is the message.
        assert Lot.objects.get(pk=lot.pk).status == LotStatus.PUBLISHED

    def test_staff_close_a_live_lot_with_a_comment(self, client_as, live_lot):
        client = client_as("moderator")
        response = client.post(reverse("staff:lot_close", args=[live_lot.pk]), {"close-comment": ""})
        assert "Say why Misty closes the lot." in response.content.decode()
        response = client.post(reverse("staff:lot_close", args=[live_lot.pk]), {"close-comment": "Misleading."})
        live_lot.refresh_from_db()
        assert (live_lot.status, live_lot.close_reason) == (LotStatus.CLOSED, "staff")
        assert live_lot.history.first().comment == "Misleading."

    def test_closing_a_draft_is_refused_with_a_message(self, client_as, project_a, rep_a):
        lot = services.lot_create(project=project_a, actor=rep_a, data=lot_terms())
        response = client_as("admin").post(
            reverse("staff:lot_close", args=[lot.pk]), {"close-comment": "Why not"}, follow=True
        )
        assert "This cannot be done while the lot is “Draft”." in response.content.decode()
        assert Lot.objects.get(pk=lot.pk).status == LotStatus.DRAFT

    @pytest.mark.parametrize("name", ["lot_approve", "lot_request_changes", "lot_reject", "lot_close"])
    def test_actions_are_post_only(self, client_as, live_lot, name):
        assert client_as("moderator").get(reverse(f"staff:{name}", args=[live_lot.pk])).status_code == 405


# --- budgets -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["moderator", "curator", "director"])
def test_the_pool_stays_within_budget(client_as, page_queries, project_a, project_b, persona):
    make_lots(project_a, 1)
    page_queries(
        client_as(persona),
        reverse("staff:lots"),
        grow=lambda: (make_lots(project_a, 150), make_lots(project_b, 150, status=LotStatus.PUBLISHED)),
    )


def test_the_filtered_pool_stays_within_budget(client_as, page_queries, project_a, curator):
    make_lots(project_a, 1)
    page_queries(
        client_as("moderator"),
        reverse("staff:lots"),
        data={"status": "moderation", "curator": str(curator.pk), "o": "-reward", "date_from": "2020-01-01"},
        grow=lambda: make_lots(project_a, 300),
    )


@pytest.mark.parametrize("persona", ["moderator", "curator"])
def test_the_queue_stays_within_budget(client_as, page_queries, project_a, project_b, persona):
    make_lots(project_a, 1)
    page_queries(
        client_as(persona),
        reverse("staff:lot_queue"),
        grow=lambda: (make_lots(project_a, 150), make_lots(project_b, 150, status=LotStatus.PUBLISHED)),
    )


def test_the_card_stays_within_budget(client_as, page_queries, project_a, rep_a, moderator):
    lot = submitted(project_a, rep_a)

    def grow():  # many earlier revisions and history rows
        services.lot_request_changes(lot=lot, actor=moderator, comment="Again")
        for n in range(2, 40):
            LotRevision.objects.create(
                lot=lot,
                number=n,
                terms=lot.terms(),
                status=RevisionStatus.CHANGES_REQUESTED,
                author=rep_a,
                reviewer=moderator,
                reviewed_at=timezone.now(),
                comment=f"Round {n}",
            )
        services.lot_submit(lot=lot, actor=rep_a)

    page_queries(client_as("moderator"), reverse("staff:lot_detail", args=[lot.pk]), grow=grow)


def test_the_staff_dashboard_stays_within_budget_with_the_menu_count(client_as, page_queries, project_a):
    page_queries(client_as("moderator"), reverse("staff:dashboard"), grow=lambda: make_lots(project_a, 200))


def test_a_representative_of_another_project_gets_no_staff_card(client_as, project_a, rep_a, rep_b):
    lot = submitted(project_a, rep_a)
    assert client_as("rep_b").get(reverse("staff:lot_detail", args=[lot.pk])).status_code == 403


def test_the_unfiltered_queue_counts_once_for_the_list_and_the_menu(client_as, project_a):
    make_lots(project_a, 3)
    client = client_as("moderator")
    client.get(reverse("staff:lot_queue"))
    with CaptureQueriesContext(connection) as captured:
        html = client.get(reverse("staff:lot_queue")).content.decode()
    counts = [q["sql"] for q in captured.captured_queries if "COUNT" in q["sql"] and "offers_lotrevision" in q["sql"]]
    assert len(counts) == 1
    assert 'data-testid="nav-moderation-count">3<' in html
    with CaptureQueriesContext(connection) as captured:
        html = client.get(reverse("staff:lot_queue"), {"kind": "terms"}).content.decode()
    counts = [q["sql"] for q in captured.captured_queries if "COUNT" in q["sql"] and "offers_lotrevision" in q["sql"]]
    assert len(counts) == 2  # filtered: the menu still counts the whole queue
    assert 'data-testid="nav-moderation-count">3<' in html
