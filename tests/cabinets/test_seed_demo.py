"""`manage.py seed_demo`: the 16-business demo ecosystem, safe to run again, every account usable."""

import io

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from PIL import Image

from accounts.models import Role, User, UserStatus
from auditlog.models import AuditEvent
from portal.demo import DEMO_PROJECTS, DEMO_VIEWER_PROJECTS
from projects.models import Category, Membership, Project, ProjectRight
from projects.selectors import curated_projects
from projects.validators import bank_details_errors, inn_ok
from visits.models import Dispute, LedgerEntry, Payment, Visit

CARD_FIELDS = (
    "legal_name",
    "inn",
    "bank_name",
    "bik",
    "settlement_account",
    "correspondent_account",
    "description",
    "audience",
    "average_check",
    "client_points",
    "contact_name",
    "contact_phone",
    "contact_email",
    "address",
    "website",
)

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


def test_seed_demo_creates_sixteen_projects_two_reps_each_four_viewers_and_three_staff(seeded):
    assert Project.objects.count() == 16
    assert set(Project.objects.values_list("slug", flat=True)) == {slug for slug, _name, _category in DEMO_PROJECTS}
    for project in Project.objects.all():
        managers = set(project.memberships.filter(right=ProjectRight.MANAGER).values_list("user__email", flat=True))
        assert {f"rep1@{project.slug}.example", f"rep2@{project.slug}.example"} <= managers, project.slug
    viewers = Membership.objects.filter(right=ProjectRight.VIEWER).values_list("user__email", "project__slug")
    assert sorted(viewers) == sorted((f"viewer@{slug}.example", slug) for slug in DEMO_VIEWER_PROJECTS)
    assert len(DEMO_VIEWER_PROJECTS) == 4
    assert User.objects.filter(role=Role.REPRESENTATIVE).count() == 36
    assert dict(User.objects.exclude(role=Role.REPRESENTATIVE).values_list("email", "role")) == STAFF
    assert not User.objects.exclude(status=UserStatus.ACTIVE).exists()


def test_every_demo_project_has_a_full_card_valid_legal_data_and_a_logo(seeded):
    for project in Project.objects.all():
        for field in CARD_FIELDS:
            assert getattr(project, field), (project.slug, field)
        assert project.category in Category.values and project.category != Category.OTHER
        assert inn_ok(project.inn), project.slug
        bank = {f: getattr(project, f) for f in ("bik", "settlement_account", "correspondent_account")}
        assert bank_details_errors(**bank) == {}, project.slug
        assert project.logo.name.startswith("projects/logos/") and project.logo.name.endswith(".png")
        with default_storage.open(project.logo.name) as handle, Image.open(handle) as image:
            assert image.format == "PNG" and image.mode == "RGBA" and max(image.size) <= 512


def test_the_demo_moderator_curates_half_of_the_projects(seeded):
    curated = curated_projects(User.objects.get(email="moderator@misty.example"))
    assert curated.count() == Project.objects.count() // 2


def test_demo_password_is_the_documented_one(seeded):
    assert settings.PORTAL_DEMO_PASSWORD == DEMO_PASSWORD
    for user in User.objects.all():
        assert user.check_password(DEMO_PASSWORD), user.email


def state():
    return {
        "projects": sorted(Project.objects.values_list("slug", "logo", "active", "category", *CARD_FIELDS)),
        "memberships": sorted(Membership.objects.values_list("user__email", "project__slug", "right")),
        "curated": sorted(curated_projects(User.objects.get(email="moderator@misty.example")).values_list("slug")),
        "files": sorted(default_storage.listdir("projects/logos")[1]),
        "journal": AuditEvent.objects.count(),
        "visits": sorted(Visit.objects.values_list("external_id", "status")),
        "ledger": LedgerEntry.objects.count(),
        "payments": Payment.objects.count(),
        "disputes": sorted(Dispute.objects.values_list("visit__external_id", "status")),
    }


def test_seed_demo_is_idempotent(seeded):
    first = counts()
    before = state()

    call_command("seed_demo", stdout=io.StringIO())

    assert counts() == first
    assert state() == before
    assert first[:2] == (39, 16)


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

        assert counts()[:2] == (39, 16)


def test_the_demo_has_weeks_of_visits_a_filled_lot_and_a_consistent_ledger(seeded):
    from offers.models import Lot
    from visits.checks import first_violation

    days = Visit.objects.dates("day", "day")
    assert Visit.objects.count() > 200 and len(days) > 30, "visits spread over weeks"
    assert set(Visit.objects.values_list("source", flat=True).distinct()) == {
        "manual",
        "api",
        "import",
    }
    filled = Lot.objects.get(close_reason="quota")
    assert Visit.objects.filter(lot=filled).count() == filled.quota
    assert LedgerEntry.objects.exists() and first_violation() is None


def test_the_demo_paid_last_month_and_has_an_upheld_and_an_open_dispute(seeded):
    from datetime import timedelta

    from django.db.models import Sum

    from visits.checks import first_violation
    from visits.models import DealDay, DisputeStatus, VisitStatus

    paid = Payment.objects.exclude(payee=None)
    assert paid.exists() and Payment.objects.filter(payee=None).exists(), "rewards to partners, commission to Misty"
    first, last = paid.values_list("period_from", "period_to").distinct().get()
    assert first.day == 1 and last.month == first.month and (last + timedelta(days=1)).day == 1, "a calendar month"
    owed = DealDay.objects.filter(day__range=(first, last)).aggregate(r=Sum("reward"))["r"]
    assert paid.aggregate(a=Sum("amount"))["a"] == owed, "each owner paid its partners exactly last month's rewards"
    assert sorted(Dispute.objects.values_list("status", flat=True)) == [DisputeStatus.OPEN, DisputeStatus.UPHELD]
    upheld = Dispute.objects.get(status=DisputeStatus.UPHELD)
    assert upheld.visit.status == VisitStatus.REVERSED and upheld.resolution
    assert first_violation() is None
