"""Cabinet pages stay within the query budget (portal.budget), and cost the same with one row or hundreds."""

import pytest
from django.urls import reverse

from accounts.models import Role
from projects.models import Membership, Project
from tests.factories import MembershipFactory, UserFactory


def add_members(project, count):
    users = [UserFactory.build(email=f"m{project.slug}{i}@example.com", role=Role.REPRESENTATIVE) for i in range(count)]
    for user in users:
        user.password = "!"
    from accounts.models import User

    User.objects.bulk_create(users)
    created = User.objects.filter(email__startswith=f"m{project.slug}")
    Membership.objects.bulk_create([Membership(user=u, project=project) for u in created])


def add_projects(count):
    Project.objects.bulk_create([Project(name=f"Bulk {i:03d}", slug=f"bulk-{i:03d}") for i in range(count)])
    for project in Project.objects.filter(slug__startswith="bulk-"):
        MembershipFactory(project=project, user=UserFactory(email=f"rep@{project.slug}.example"))


@pytest.mark.parametrize(
    "persona,url_name,kwargs,grow",
    [
        ("rep_a", "cabinet:dashboard", {"project_slug": "alpha"}, lambda w: add_members(w["project_a"], 499)),
        ("moderator", "staff:project_detail", {"slug": "alpha"}, lambda w: add_members(w["project_a"], 499)),
        ("director", "staff:projects", {}, lambda w: add_projects(499)),
        ("admin", "staff:dashboard", {}, lambda w: add_projects(499)),
        ("rep_a", "profile", {}, lambda w: add_projects(10)),
    ],
    ids=["rep-dashboard", "staff-project-detail", "staff-projects", "staff-dashboard", "profile"],
)
def test_page_stays_within_budget_and_constant_in_rows(
    client_as, personas, project_a, project_b, persona, url_name, kwargs, grow, page_queries
):
    page_queries(client_as(persona), reverse(url_name, kwargs=kwargs), grow=lambda: grow({"project_a": project_a}))
