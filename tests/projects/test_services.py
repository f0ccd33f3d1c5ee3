"""Project services: administrators create, edit, deactivate and appoint curators; everyone else is refused;
every change is journaled with its fields' old and new values, in the same transaction."""

from unittest import mock

import pytest
from django.utils import translation

from auditlog.models import AuditEvent
from portal.exceptions import ApplicationError
from projects import events
from projects.models import Membership, Project, ProjectRight
from projects.selectors import cabinet_membership, cabinet_projects_for, catalog_projects_for, curated_projects
from projects.services import (
    curator_grant,
    curator_revoke,
    project_card_update,
    project_create,
    project_set_active,
    project_update,
)
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _english():
    """The refusals are matched in English."""
    with translation.override("en"):
        yield


NEW = {"name": "Iron Fit", "slug": "iron-fit", "category": "fitness", "inn": "7707083893", "average_check": 1200}
BANK = {
    "bik": "044525593",
    "settlement_account": "40702810502260000343",
    "correspondent_account": "30101810200000000593",
}


def change(old, new):
    return {"old": old, "new": new}


def journal(code):
    return list(AuditEvent.objects.filter(event=code).order_by("id"))


class TestCreate:
    def test_an_administrator_creates_a_project_and_it_is_journaled(self, admin):
        project = project_create(actor=admin, data=NEW | BANK)

        assert Project.objects.get(slug="iron-fit").inn == "7707083893"
        (event,) = journal(events.PROJECT_CREATED)
        assert event.actor == admin and event.project == project
        assert event.changes["name"] == "Iron Fit" and event.changes["bik"] == "044525593"
        assert event.changes["active"] is True

    @pytest.mark.parametrize("who", ["moderator", "curator", "director", "rep_a"])
    def test_nobody_else_creates_a_project(self, who, personas):
        with pytest.raises(ApplicationError, match="Only an administrator"):
            project_create(actor=personas[who], data=NEW)
        assert not Project.objects.filter(slug="iron-fit").exists()
        assert not journal(events.PROJECT_CREATED)

    @pytest.mark.parametrize(
        "change,message",
        [
            ({"inn": "7707083894"}, "check digit"),
            ({"inn": "123"}, "10 digits"),
            ({"slug": "new"}, "reserved"),
            ({"slug": "alpha"}, "already uses"),
            ({"slug": "Alpha Lounge"}, "lower-case"),
            ({"name": "  "}, "name"),
            ({"category": "casino"}, "category"),
            ({"settlement_account": "40702810502260000344"}, "does not match the BIK"),
            ({"bik": ""}, "BIK"),
        ],
    )
    def test_a_card_breaking_a_rule_is_refused(self, admin, project_a, change, message):
        with pytest.raises(ApplicationError, match=message):
            project_create(actor=admin, data=NEW | BANK | change)
        assert not Project.objects.exclude(pk=project_a.pk).exists()


class TestUpdate:
    def test_changes_are_journaled_old_to_new(self, admin, project_a):
        project_update(project=project_a, actor=admin, data={"name": "Alpha Lounge Bar", "average_check": 900} | BANK)

        (event,) = journal(events.PROJECT_UPDATED)
        assert event.changes["name"] == change("Alpha Lounge", "Alpha Lounge Bar")
        assert event.changes["average_check"] == change(None, 900)
        assert event.changes["bik"] == change("", "044525593")
        assert "slug" not in event.changes  # unchanged fields are not listed

    def test_saving_an_unchanged_card_journals_nothing(self, admin, project_a):
        project_update(project=project_a, actor=admin, data={"name": project_a.name, "slug": project_a.slug})
        assert not journal(events.PROJECT_UPDATED)

    @pytest.mark.parametrize("who", ["moderator", "curator", "director", "rep_a"])
    def test_nobody_else_edits_a_project(self, who, personas, project_a):
        with pytest.raises(ApplicationError):
            project_update(project=project_a, actor=personas[who], data={"name": "Taken over"})
        project_a.refresh_from_db()
        assert project_a.name == "Alpha Lounge"
        assert not journal(events.PROJECT_UPDATED)

    def test_the_journal_entry_rolls_back_with_the_change(self, admin, project_a):
        with (
            mock.patch("projects.services.auditlog.record", side_effect=RuntimeError("journal down")),
            pytest.raises(RuntimeError),
        ):
            project_update(project=project_a, actor=admin, data={"name": "Never saved"})
        project_a.refresh_from_db()
        assert project_a.name == "Alpha Lounge"

    def test_active_in_the_edit_goes_through_deactivation(self, admin, project_a):
        project_update(project=project_a, actor=admin, data={"active": False})
        project_a.refresh_from_db()
        assert not project_a.active
        assert len(journal(events.PROJECT_DEACTIVATED)) == 1


class TestActivation:
    def test_a_deactivated_project_leaves_the_catalog_and_cabinets_and_keeps_its_history(
        self, admin, rep_a, project_a, project_b
    ):
        MembershipFactory(user=rep_a, project=project_b)

        project_set_active(project=project_a, actor=admin, active=False)

        assert project_a not in catalog_projects_for(rep_a)
        assert cabinet_membership(user=rep_a, slug=project_a.slug) is None
        assert list(cabinet_projects_for(rep_a)) == [project_b]  # still works for the other project
        assert Membership.objects.filter(user=rep_a, project=project_a).exists()  # the team is kept
        assert project_a in catalog_projects_for(admin)  # staff still see it
        (event,) = journal(events.PROJECT_DEACTIVATED)
        assert event.changes == {"active": change(True, False)}

    def test_activation_brings_it_back(self, admin, rep_a, project_a):
        project_set_active(project=project_a, actor=admin, active=False)
        project_set_active(project=project_a, actor=admin, active=True)
        assert cabinet_membership(user=rep_a, slug=project_a.slug).project == project_a
        assert len(journal(events.PROJECT_ACTIVATED)) == 1

    def test_deactivating_twice_journals_once(self, admin, project_a):
        project_set_active(project=project_a, actor=admin, active=False)
        project_set_active(project=project_a, actor=admin, active=False)
        assert len(journal(events.PROJECT_DEACTIVATED)) == 1

    @pytest.mark.parametrize("who", ["moderator", "curator", "director", "rep_a"])
    def test_nobody_else_deactivates(self, who, personas, project_a):
        with pytest.raises(ApplicationError):
            project_set_active(project=project_a, actor=personas[who], active=False)
        project_a.refresh_from_db()
        assert project_a.active


class TestCurators:
    def test_an_administrator_appoints_a_moderator_and_removes_them(self, admin, moderator, project_b):
        assert curator_grant(project=project_b, user=moderator, actor=admin) is True
        assert list(curated_projects(moderator)) == [project_b]
        (granted,) = journal(events.CURATOR_GRANTED)
        assert granted.project == project_b and granted.changes == {"curator": change(None, moderator.email)}

        assert curator_revoke(project=project_b, user=moderator, actor=admin) is True
        assert not curated_projects(moderator).exists()
        (revoked,) = journal(events.CURATOR_REVOKED)
        assert revoked.changes == {"curator": change(moderator.email, None)}

    def test_granting_twice_journals_once(self, admin, moderator, project_b):
        curator_grant(project=project_b, user=moderator, actor=admin)
        assert curator_grant(project=project_b, user=moderator, actor=admin) is False
        assert len(journal(events.CURATOR_GRANTED)) == 1

    @pytest.mark.parametrize("who", ["rep_a", "director", "admin"])
    def test_only_a_moderator_can_be_a_curator(self, who, personas, admin, project_b):
        with pytest.raises(ApplicationError, match="moderator"):
            curator_grant(project=project_b, user=personas[who], actor=admin)
        assert not journal(events.CURATOR_GRANTED)

    def test_a_blocked_moderator_cannot_be_appointed(self, admin, project_b):
        blocked = UserFactory(email="blocked-mod@misty.example", role="moderator", status="blocked")
        with pytest.raises(ApplicationError):
            curator_grant(project=project_b, user=blocked, actor=admin)

    @pytest.mark.parametrize("who", ["moderator", "curator", "director", "rep_a"])
    def test_nobody_else_appoints_or_removes(self, who, personas, moderator, curator, project_a):
        with pytest.raises(ApplicationError, match="Only an administrator"):
            curator_grant(project=project_a, user=moderator, actor=personas[who])
        with pytest.raises(ApplicationError, match="Only an administrator"):
            curator_revoke(project=project_a, user=curator, actor=personas[who])
        assert list(curated_projects(curator)) == [project_a]
        assert not curated_projects(moderator).exists()


class TestRepresentativeCard:
    def test_a_manager_edits_the_public_half_of_the_card(self, rep_a, project_a):
        project_card_update(
            project=project_a,
            actor=rep_a,
            data={"description": "Hookah and tea", "name": "Renamed", "inn": "7707083893", "client_points": 10**6},
        )
        project_a.refresh_from_db()
        assert project_a.description == "Hookah and tea"
        assert (project_a.name, project_a.inn, project_a.client_points) == ("Alpha Lounge", "", 0)
        (event,) = journal(events.PROJECT_UPDATED)
        assert event.actor == rep_a and event.changes == {"description": change("", "Hookah and tea")}

    @pytest.mark.parametrize("who", ["viewer_a", "rep_b", "moderator", "admin", "director"])
    def test_nobody_else_edits_the_card(self, who, personas, project_a):
        with pytest.raises(ApplicationError, match="manager"):
            project_card_update(project=project_a, actor=personas[who], data={"description": "Mine now"})
        project_a.refresh_from_db()
        assert project_a.description == ""

    def test_a_manager_of_a_deactivated_project_cannot_edit_it(self, admin, rep_a, project_a):
        project_set_active(project=project_a, actor=admin, active=False)
        with pytest.raises(ApplicationError):
            project_card_update(project=project_a, actor=rep_a, data={"description": "Still here"})

    def test_membership_right_is_what_counts(self, rep_a, project_a):
        Membership.objects.filter(user=rep_a).update(right=ProjectRight.VIEWER)
        with pytest.raises(ApplicationError):
            project_card_update(project=project_a, actor=rep_a, data={"description": "x"})
