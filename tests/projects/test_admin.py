"""The Django admin's project page shows the card, legal data and bank details, and checks them as the staff
cabinet does; its logo is read-only (uploads go through the checked path in the staff cabinet)."""

import warnings

import pytest
from django.urls import reverse

from tests.admin_forms import admin_form_data, post_admin_form


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_change_page_shows_the_new_fields_without_a_deprecation_warning(admin_client, project_a):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        html = admin_client.get(reverse("admin:projects_project_change", args=[project_a.pk])).content.decode()
    for name in ("category", "description", "inn", "bik", "settlement_account", "correspondent_account", "website"):
        assert f'name="{name}"' in html, name
    assert 'name="logo"' not in html  # read-only here


def test_the_admin_checks_the_inn_and_the_accounts(admin_client, project_a):
    url = reverse("admin:projects_project_change", args=[project_a.pk])
    page = admin_client.get(url)
    response = admin_client.post(
        url, admin_form_data(page, inn="7707083894", bik="044525593", settlement_account="40702810502260000344")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "check digit" in " ".join(errors["inn"]) and "does not match" in " ".join(errors["settlement_account"])


def test_a_valid_change_is_saved_with_https_added(admin_client, project_a):
    url = reverse("admin:projects_project_change", args=[project_a.pk])
    post_admin_form(admin_client, url, inn="7707 083 893", website="alpha.example")
    project_a.refresh_from_db()
    assert (project_a.inn, project_a.website) == ("7707083893", "https://alpha.example")
