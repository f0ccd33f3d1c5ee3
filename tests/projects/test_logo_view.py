"""A logo is served through the policy: signed-in people see active projects' logos; a deactivated project's
logo is for staff only; the answer never lets a browser guess another type."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


@pytest.fixture
def logo(project_b):
    project_b.logo = default_storage.save("projects/logos/beta.png", ContentFile(PNG))
    project_b.save(update_fields=["logo"])
    return project_b


def test_any_signed_in_person_sees_an_active_projects_logo(client_as, logo):
    response = client_as("rep_a").get(reverse("project_logo", args=[logo.slug]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"


def test_a_deactivated_projects_logo_is_for_staff_only(client_as, logo):
    logo.active = False
    logo.save(update_fields=["active"])
    assert client_as("rep_a").get(reverse("project_logo", args=[logo.slug])).status_code == 404
    assert client_as("director").get(reverse("project_logo", args=[logo.slug])).status_code == 200


def test_a_project_without_a_logo_is_a_404(client_as, project_a):
    assert client_as("rep_a").get(reverse("project_logo", args=[project_a.slug])).status_code == 404
