"""`manage.py seed_demo`: the 16-business demo ecosystem, safe to run again, every account usable."""

import io

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User, UserStatus
from portal.demo import DEMO_PROJECTS
from projects.models import Membership, Project

DEMO_PASSWORD = "misty-demo-2026"
STAFF = {
    "admin@misty.example": Role.ADMIN,
    "moderator@misty.example": Role.MODERATOR,
    "director@misty.example": Role.DIRECTOR,
}


def counts():
    return (User.objects.count(), Project.objects.count(), Membership.objects.count())


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=io.StringIO())


def test_seed_demo_creates_sixteen_projects_two_reps_each_and_three_staff(seeded):
    assert Project.objects.count() == 16
    assert set(Project.objects.values_list("slug", flat=True)) == {slug for slug, _name, _category in DEMO_PROJECTS}
    for project in Project.objects.all():
        reps = set(project.memberships.values_list("user__email", flat=True))
        assert {f"rep1@{project.slug}.example", f"rep2@{project.slug}.example"} <= reps, project.slug
    assert User.objects.filter(role=Role.REPRESENTATIVE).count() == 32
    assert dict(User.objects.exclude(role=Role.REPRESENTATIVE).values_list("email", "role")) == STAFF
    assert not User.objects.exclude(status=UserStatus.ACTIVE).exists()


def test_demo_password_is_the_documented_one(seeded):
    assert settings.PORTAL_DEMO_PASSWORD == DEMO_PASSWORD
    for user in User.objects.all():
        assert user.check_password(DEMO_PASSWORD), user.email


def test_seed_demo_is_idempotent(seeded):
    first = counts()
    memberships = set(Membership.objects.values_list("user__email", "project__slug"))

    call_command("seed_demo", stdout=io.StringIO())

    assert counts() == first
    assert set(Membership.objects.values_list("user__email", "project__slug")) == memberships
    assert first[:2] == (35, 16)


def test_seed_demo_does_not_reset_a_changed_password(seeded):
    admin = User.objects.get(email="admin@misty.example")
    admin.set_password("changed-by-the-admin-2026")
    admin.save()

    call_command("seed_demo", stdout=io.StringIO())

    admin.refresh_from_db()
    assert admin.check_password("changed-by-the-admin-2026")


def test_one_demo_representative_works_for_two_projects(seeded):
    multi = [u for u in User.objects.filter(role=Role.REPRESENTATIVE) if u.memberships.count() > 1]
    assert len(multi) == 1


def test_every_demo_account_can_log_in_to_its_own_cabinet(seeded):
    for number, user in enumerate(User.objects.order_by("email"), start=1):
        # each person from their own address: the login view allows 30 attempts a minute per IP
        client = Client(REMOTE_ADDR=f"10.20.0.{number}")
        response = client.post(reverse("account_login"), {"login": user.email.upper(), "password": DEMO_PASSWORD})
        assert response.status_code == 302, user.email
        assert client.session[SESSION_KEY] == str(user.pk), user.email

        response = client.get(reverse("home"))
        assert response.status_code == 302, user.email
        cabinet = response["Location"]
        if user.role == Role.REPRESENTATIVE:
            slugs = set(user.memberships.values_list("project__slug", flat=True))
            assert cabinet in {reverse("cabinet:dashboard", kwargs={"project_slug": slug}) for slug in slugs}, (
                user.email
            )
        else:
            assert cabinet == reverse("staff:dashboard"), user.email
        page = client.get(cabinet)
        assert page.status_code == 200, (user.email, cabinet)
        assert user.email in page.content.decode()


class TestUnderProductionSettings:
    """Every demo account's password is public (README): production refuses unless told it is a demo server."""

    def test_refuses_without_the_confirmation_flag(self, db, settings):
        settings.PORTAL_IS_PRODUCTION = True

        with pytest.raises(CommandError, match="--i-know-this-is-production"):
            call_command("seed_demo", stdout=io.StringIO())

        assert counts() == (0, 0, 0)

    def test_runs_with_the_confirmation_flag(self, db, settings):
        settings.PORTAL_IS_PRODUCTION = True

        call_command("seed_demo", "--i-know-this-is-production", stdout=io.StringIO())

        assert counts()[:2] == (35, 16)
