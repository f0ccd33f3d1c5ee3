"""The HTTP half of the policy: someone else's project is a 404, a missing capability a 403, and a visitor
goes to sign in."""

import pytest
from django.urls import reverse


def test_representative_cannot_open_other_projects_cabinet(client_as, project_b):
    response = client_as("rep_a").get(reverse("cabinet:dashboard", args=[project_b.slug]))
    assert response.status_code == 404


def test_representative_gets_403_in_staff_cabinet(client_as):
    assert client_as("rep_a").get(reverse("staff:dashboard")).status_code == 403


def test_anonymous_is_sent_to_login_with_next(client, project_a):
    url = reverse("cabinet:dashboard", args=[project_a.slug])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]


@pytest.mark.parametrize("persona,target", [("rep_a", "cabinet:dashboard"), ("moderator", "staff:dashboard")])
def test_home_sends_each_role_to_its_cabinet(client_as, project_a, persona, target):
    response = client_as(persona).get(reverse("home"))
    expected = reverse(target, args=[project_a.slug]) if target.startswith("cabinet") else reverse(target)
    assert response.status_code == 302 and response["Location"] == expected


def test_staff_project_list_is_paginated_and_searchable(client_as, project_a, project_b):
    from tests.factories import ProjectFactory

    for n in range(60):
        ProjectFactory(name=f"Zeta {n:02d}", slug=f"zeta-{n:02d}")
    client = client_as("director")
    first = client.get(reverse("staff:projects"))
    assert first.status_code == 200 and len(first.context["list"].page) == 50
    assert "page=2" in first.content.decode()
    found = client.get(reverse("staff:projects"), {"q": "alpha"})
    assert [p.slug for p in found.context["list"].page] == ["alpha"]
