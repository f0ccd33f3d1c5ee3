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


# --- rights inside a project: a viewer reads and never writes (checked in the policy, not in views) -----------


def _cabinet_request(rf, user, project, method):
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = getattr(rf, method)(f"/cabinet/{project.slug}/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_viewer_is_refused_every_state_changing_request_in_the_projects_cabinet(
    rf, viewer_a, rep_a, project_a, method
):
    from django.core.exceptions import PermissionDenied

    from accounts.capabilities import Capability
    from cabinets.access import check

    with pytest.raises(PermissionDenied):
        check(
            _cabinet_request(rf, viewer_a, project_a, method),
            (Capability.USE_PROJECT_CABINET,),
            {"project_slug": "alpha"},
        )

    manager = _cabinet_request(rf, rep_a, project_a, method)
    check(manager, (Capability.USE_PROJECT_CABINET,), {"project_slug": "alpha"})
    assert manager.project == project_a and manager.can_act is True


def test_a_viewer_reads_the_projects_pages_without_the_right_to_act(rf, viewer_a, project_a):
    from accounts.capabilities import Capability
    from cabinets.access import check

    request = _cabinet_request(rf, viewer_a, project_a, "get")
    check(request, (Capability.USE_PROJECT_CABINET,), {"project_slug": "alpha"})
    assert request.project == project_a and request.can_act is False and request.project_right == "viewer"


def test_a_viewers_refusal_is_journaled(client_as, project_a, viewer_a):
    from auditlog.models import AuditEvent

    response = client_as("viewer_a").post(reverse("cabinet:dashboard", args=[project_a.slug]))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(actor=viewer_a, event="access.forbidden").exists()


def test_the_curator_persona_curates_project_a_only(curator, moderator, project_a, project_b):
    from projects.selectors import curated_projects

    assert list(curated_projects(curator)) == [project_a]
    assert list(curated_projects(moderator)) == []


@pytest.mark.parametrize("acting,refused", [(False, False), (True, True)])
def test_the_mixin_refuses_a_viewer_an_acting_pages_get(rf, viewer_a, project_a, acting, refused):
    from django.core.exceptions import PermissionDenied
    from django.http import HttpResponse
    from django.views import View

    from accounts.capabilities import Capability
    from cabinets.access import CapabilityRequiredMixin

    class Page(CapabilityRequiredMixin, View):
        capabilities = (Capability.USE_PROJECT_CABINET,)

        def get(self, request):
            return HttpResponse("ok")

    Page.acting = acting
    request = _cabinet_request(rf, viewer_a, project_a, "get")
    if refused:
        with pytest.raises(PermissionDenied):
            Page.as_view()(request, project_slug="alpha")
    else:
        assert Page.as_view()(request, project_slug="alpha").status_code == 200
