"""Staff → Audit journal: filters, order, keyset pages, details, and a query budget constant in rows."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

import auditlog
from accounts import events as account_events
from auditlog import events
from auditlog.models import AuditEvent
from portal.pagination import decode_cursor, keyset_page

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")


def rows(response):
    return list(response.context["list"].page)


def codes(response):
    return [e.event for e in rows(response)]


@pytest.fixture
def staff(client_as, moderator):
    """The moderator's client. Signing in journals an `accounts.login`: tests filter by other events."""
    return client_as("moderator")


class TestFilters:
    def test_filter_by_event(self, staff, make_events, admin):
        make_events(3, event=account_events.USER_BLOCKED, actor=admin)
        make_events(2, event=account_events.LOGOUT, actor=admin)

        response = staff.get(reverse("staff:audit"), {"event": account_events.USER_BLOCKED})
        assert codes(response) == [account_events.USER_BLOCKED] * 3

    def test_the_event_filter_lists_the_catalogue(self, staff):
        form = staff.get(reverse("staff:audit")).context["list"].filter.form
        choices = dict(form.fields["event"].choices)
        assert account_events.LOGIN_FAILED in choices and events.ACCESS_FORBIDDEN in choices
        assert "Failed sign-in" in str(choices[account_events.LOGIN_FAILED])

    def test_an_unknown_event_is_a_form_error_not_a_crash(self, staff):
        response = staff.get(reverse("staff:audit"), {"event": "drop table"})
        assert response.status_code == 200 and "event" in response.context["list"].filter.form.errors

    def test_period_is_read_in_the_viewers_time_zone(self, staff, moderator, make_events):
        """23:30 Moscow on 1 March is 20:30 UTC; a Moscow viewer asking for 1 March sees it, 2 March does not."""
        moderator.time_zone = "Europe/Moscow"
        moderator.save()
        late_on_the_first = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=MOSCOW)
        make_events(1, event=account_events.USER_BLOCKED, at=late_on_the_first)
        make_events(
            1, event=account_events.USER_UNBLOCKED, at=late_on_the_first + datetime.timedelta(hours=1)
        )  # 2 March, 00:30
        make_events(1, event=account_events.LOGOUT, at=datetime.datetime(2026, 2, 28, 23, 59, tzinfo=MOSCOW))

        first = staff.get(reverse("staff:audit"), {"date_from": "2026-03-01", "date_to": "2026-03-01"})
        assert codes(first) == [account_events.USER_BLOCKED]
        from_second = staff.get(reverse("staff:audit"), {"date_from": "2026-03-02", "date_to": "2026-03-31"})
        assert codes(from_second) == [account_events.USER_UNBLOCKED]

        moderator.time_zone = "Asia/Yekaterinburg"  # UTC+5: 23:30 Moscow is already 2 March there
        moderator.save()
        assert codes(staff.get(reverse("staff:audit"), {"date_to": "2026-03-01"})) == [account_events.LOGOUT]

    def test_a_period_that_ends_before_it_starts_is_an_error(self, staff):
        response = staff.get(reverse("staff:audit"), {"date_from": "2026-03-02", "date_to": "2026-03-01"})
        assert "date_to" in response.context["list"].filter.form.errors

    def test_filter_by_actor_name_or_email(self, staff, make_events, rep_a, rep_b, admin):
        make_events(2, event=account_events.LOGOUT, actor=rep_a)
        make_events(1, event=account_events.LOGOUT, actor=rep_b)
        make_events(1, event=account_events.LOGOUT, actor=admin)

        by_name = staff.get(reverse("staff:audit"), {"actor": "alice"})
        assert {e.actor for e in rows(by_name)} == {rep_a} and len(rows(by_name)) == 2
        by_email = staff.get(reverse("staff:audit"), {"actor": "BETA.example"})
        assert [e.actor for e in rows(by_email)] == [rep_b]

    def test_a_broad_actor_search_gives_the_same_rows(self, staff, make_events, rep_a, rep_b, admin, monkeypatch):
        make_events(2, event=account_events.LOGOUT, actor=rep_a)
        make_events(1, event=account_events.LOGOUT, actor=rep_b)
        make_events(1, event=account_events.LOGOUT, actor=admin)
        params = {"actor": ".example", "event": account_events.LOGOUT}
        inline = {e.pk for e in rows(staff.get(reverse("staff:audit"), params))}
        monkeypatch.setattr("auditlog.filters.ACTOR_IDS_INLINE", 1)  # more matches than that: a subquery
        by_subquery = {e.pk for e in rows(staff.get(reverse("staff:audit"), params))}
        assert len(inline) == 4 and inline == by_subquery

    def test_an_actor_search_matching_nobody_shows_nothing(self, staff, make_events, admin):
        make_events(1, event=account_events.LOGOUT, actor=admin)
        assert rows(staff.get(reverse("staff:audit"), {"actor": "nobody-by-this-name"})) == []

    def test_filter_by_project(self, staff, make_events, project_a, project_b):
        make_events(2, event=events.ACCESS_NOT_FOUND, project=project_a)
        make_events(1, event=events.ACCESS_NOT_FOUND, project=project_b)
        response = staff.get(reverse("staff:audit"), {"project": project_b.pk})
        assert [e.project for e in rows(response)] == [project_b]

    def test_filters_combine(self, staff, make_events, rep_a, project_a):
        make_events(1, event=account_events.LOGOUT, actor=rep_a, project=project_a)
        make_events(1, event=account_events.LOGOUT, actor=rep_a)
        make_events(1, event=account_events.USER_BLOCKED, actor=rep_a, project=project_a)
        response = staff.get(
            reverse("staff:audit"), {"event": account_events.LOGOUT, "actor": "alpha", "project": project_a.pk}
        )
        assert len(rows(response)) == 1


class TestOrderAndPages:
    def test_newest_first_by_default_and_oldest_first_on_request(self, staff, make_events):
        made = make_events(3, event=account_events.LOGOUT)  # made[0] is the newest
        newest = staff.get(reverse("staff:audit"), {"event": account_events.LOGOUT})
        assert [e.pk for e in rows(newest)] == [e.pk for e in made]
        oldest = staff.get(reverse("staff:audit"), {"event": account_events.LOGOUT, "order": "asc"})
        assert [e.pk for e in rows(oldest)] == [e.pk for e in reversed(made)]

    @pytest.mark.parametrize("order", ["desc", "asc"])
    def test_walking_forward_and_back_visits_every_event_once(self, staff, make_events, order):
        now = timezone.now()
        # 120 events, some sharing one instant, so ties are settled by id.
        make_events(60, event=account_events.LOGOUT, at=now, step=datetime.timedelta(seconds=-1))
        make_events(
            60, event=account_events.LOGOUT, at=now - datetime.timedelta(seconds=30), step=datetime.timedelta(0)
        )
        expected = list(
            AuditEvent.objects.filter(event=account_events.LOGOUT)
            .order_by(*(("-created_at", "-id") if order == "desc" else ("created_at", "id")))
            .values_list("pk", flat=True)
        )

        seen, pages, params = [], [], {"order": order, "event": account_events.LOGOUT}
        while True:
            response = staff.get(reverse("staff:audit"), params)
            page = response.context["list"].page
            pages.append([e.pk for e in page])
            seen += pages[-1]
            if not page.has_next:
                break
            params = {"order": order, "event": account_events.LOGOUT, "after": page.next_cursor}
        assert seen == expected and [len(p) for p in pages] == [50, 50, 20]

        # and back from the last page to the first
        page = response.context["list"].page
        back = []
        while page.has_previous:
            page = (
                staff.get(
                    reverse("staff:audit"),
                    {"order": order, "event": account_events.LOGOUT, "before": page.previous_cursor},
                )
                .context["list"]
                .page
            )
            back.append([e.pk for e in page])
        assert back == pages[-2::-1]

    def test_pagination_keeps_the_filters_in_its_links(self, staff, make_events):
        make_events(51, event=account_events.LOGOUT)
        html = staff.get(reverse("staff:audit"), {"event": account_events.LOGOUT}).content.decode()
        assert "event=accounts.logout&amp;after=" in html

    def test_a_malformed_cursor_shows_the_first_page(self, staff, make_events):
        make_events(2, event=account_events.LOGOUT)
        assert len(rows(staff.get(reverse("staff:audit"), {"event": account_events.LOGOUT, "after": "garbage~x"}))) == 2
        assert decode_cursor("2026-01-01T00:00:00~5") is None, "a cursor without a time zone is refused"

    def test_the_page_never_counts_the_table(self, staff, make_events):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        make_events(5, event=account_events.LOGOUT)
        with CaptureQueriesContext(connection) as captured:
            staff.get(reverse("staff:audit"))
        audit_queries = [q["sql"] for q in captured.captured_queries if "auditlog_auditevent" in q["sql"]]
        assert len(audit_queries) == 1 and "COUNT(" not in audit_queries[0].upper()
        assert "LIMIT 51" in audit_queries[0]


@pytest.mark.parametrize("persona", ["moderator", "admin", "director"])
def test_query_budget_is_the_same_for_one_and_500_events(
    persona, client_as, make_events, admin, project_a, page_queries
):
    make_events(1, event=account_events.USER_BLOCKED, actor=admin, project=project_a)
    response = page_queries(
        client_as(persona),
        reverse("staff:audit"),
        grow=lambda: make_events(499, event=account_events.USER_BLOCKED, actor=admin, project=project_a),
    )
    assert len(response.context["list"].page) == 50


def test_filtered_page_is_within_budget(client_as, make_events, rep_a, project_a, page_queries):
    make_events(200, event=account_events.LOGOUT, actor=rep_a, project=project_a)
    params = {
        "event": account_events.LOGOUT,
        "actor": "alice",
        "project": project_a.pk,
        "date_from": "2020-01-01",
        "date_to": "2100-01-01",
    }
    response = page_queries(client_as("director"), reverse("staff:audit"), data=params)
    assert len(response.context["list"].page) == 50


class TestDetail:
    def test_detail_shows_the_changes_old_and_new(self, staff, admin, rep_a):
        event = auditlog.record(
            actor=admin,
            event=account_events.USER_PROFILE_UPDATED,
            obj=rep_a,
            changes={
                "full_name": ("Alice Alpha", "Alisa Alfa"),
                "password": ("a", "b"),
                "note": "x",
                "tags": ["vip", "новый"],
            },
        )
        response = staff.get(reverse("staff:audit_detail", kwargs={"pk": event.pk}))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Alice Alpha" in html and "Alisa Alfa" in html and "***" in html
        assert response.context["event"].change_rows() == [
            {"field": "full_name", "old": "Alice Alpha", "new": "Alisa Alfa", "pair": True},
            {"field": "note", "value": "x", "pair": False},
            {"field": "password", "value": "***", "pair": False},
            {"field": "tags", "value": '["vip", "новый"]', "pair": False},
        ]

    def test_each_row_links_to_its_details(self, staff, make_events):
        [event] = make_events(1, event=account_events.LOGOUT)
        html = staff.get(reverse("staff:audit")).content.decode()
        assert reverse("staff:audit_detail", kwargs={"pk": event.pk}) in html

    def test_an_unknown_event_is_404(self, staff, db):
        assert staff.get(reverse("staff:audit_detail", kwargs={"pk": 999999})).status_code == 404


def test_representatives_see_nothing_through_the_selector(rep_a, make_events):
    from auditlog.selectors import audit_event_filterset, audit_event_get

    [event] = make_events(1, event=account_events.LOGOUT)
    assert not audit_event_filterset(user=rep_a, data={}).qs.exists()
    assert audit_event_get(user=rep_a, pk=event.pk) is None


def test_keyset_page_on_an_empty_journal(db):
    page = keyset_page(AuditEvent.objects.all())
    assert (list(page), page.has_next, page.has_previous, page.next_cursor) == ([], False, False, None)


def test_the_nav_shows_the_journal_to_staff_only(client_as, project_a):
    assert reverse("staff:audit") in client_as("director").get(reverse("staff:dashboard")).content.decode()
    assert (
        reverse("staff:audit")
        not in client_as("rep_a")
        .get(reverse("cabinet:dashboard", kwargs={"project_slug": project_a.slug}))
        .content.decode()
    )
