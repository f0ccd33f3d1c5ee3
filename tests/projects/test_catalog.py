"""Representative → Project catalog: the cards, the search and the category filter, one project's full card,
and the Excel export with the page's filters."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from auditlog import events
from auditlog.models import AuditEvent
from projects.models import Category
from tests.factories import ProjectFactory


@pytest.fixture
def catalog(project_a, project_b):
    """Project A (the cabinet we are in), project B, two Cyrillic cards and a deactivated one."""
    project_a.category, project_a.description = Category.LOUNGE, "Кальянная у реки"
    project_a.save()
    project_b.category = Category.BARBERSHOP
    project_b.save()
    ProjectFactory(
        name="Кофейня «Ольга»",
        slug="olga",
        category=Category.COFFEE,
        description="Спешелти-кофе и десерты",
        audience="Студенты и фрилансеры",
        average_check=450,
        client_points=12500,
    )
    ProjectFactory(
        name="Груминг Бобик",
        slug="bobik",
        category=Category.GROOMING,
        description="Стрижка собак и кошек",
        audience="Владельцы ПИТОМЦЕВ",
        contact_name="Ирина",
        contact_phone="+7 900 111-22-33",
        contact_email="hello@bobik.example",
        address="Москва, ул. Лесная, 5",
        website="https://bobik.example/",
    )
    ProjectFactory(name="Закрытый проект", slug="closed", active=False, description="ольга")


def catalog_url(**query):
    return reverse("cabinet:catalog", kwargs={"project_slug": "alpha"})


def slugs(response):
    return [p.slug for p in response.context["list"].page]


def test_the_catalog_shows_every_active_project_by_name_and_marks_ours(client_as, catalog):
    response = client_as("rep_a").get(catalog_url())
    assert slugs(response) == ["alpha", "beta", "bobik", "olga"]  # the deactivated one is not there
    page = response.content.decode()
    assert page.count('data-testid="your-project"') == 1
    assert "Спешелти-кофе и десерты" in page and "Студенты и фрилансеры" in page
    assert "450 ₽" in page and "12" in page  # average check and points (grouped in the reader's language)
    assert f'href="{reverse("cabinet:catalog_project", args=["alpha", "olga"])}"' in page


def test_a_viewer_sees_the_catalog_too(client_as, catalog):
    assert slugs(client_as("viewer_a").get(catalog_url())) == ["alpha", "beta", "bobik", "olga"]


@pytest.mark.parametrize(
    "query,expected",
    [
        ("ольга", ["olga"]),  # the name, lower case
        ("ОЛЬГА", ["olga"]),  # upper case: SQLite folds Cyrillic through portal.search
        ("спешелти", ["olga"]),  # the description
        ("питомцев", ["bobik"]),  # the audience, typed upper case in the card
        ("у реки", ["alpha"]),
        ("beta", ["beta"]),
    ],
)
def test_search_finds_name_description_and_audience_in_any_case(client_as, catalog, query, expected):
    assert slugs(client_as("rep_a").get(catalog_url(), {"q": query})) == expected


def test_the_category_filter_narrows_the_catalog(client_as, catalog):
    response = client_as("rep_a").get(catalog_url(), {"category": Category.GROOMING})
    assert slugs(response) == ["bobik"]
    assert f'<option value="{Category.GROOMING}" selected>' in response.content.decode()


def test_search_and_category_together(client_as, catalog):
    assert slugs(client_as("rep_a").get(catalog_url(), {"q": "ольга", "category": Category.GROOMING})) == []


def test_an_invalid_category_empties_the_catalog_and_says_why(client_as, catalog):
    response = client_as("rep_a").get(catalog_url(), {"category": "casino"})
    assert response.status_code == 200
    assert slugs(response) == []
    assert "category" in response.context["list"].filter.form.errors
    page = response.content.decode()
    assert 'data-testid="empty-filtered"' in page and "invalid-feedback" in page


def test_the_catalog_is_paginated(client_as, catalog):
    for i in range(60):
        ProjectFactory(name=f"Zeta {i:02d}", slug=f"zeta-{i:02d}")
    first = client_as("rep_a").get(catalog_url())
    assert len(first.context["list"].page) == 48
    assert len(client_as("rep_a").get(catalog_url(), {"page": 2}).context["list"].page) == 64 - 48


def test_the_catalog_page_costs_the_same_queries_with_one_project_or_two_hundred(client_as, page_queries, rep_a):
    def grow():
        for i in range(200):
            ProjectFactory(name=f"Проект {i:03d}", slug=f"p-{i:03d}", description="описание", audience="все")

    page_queries(client_as("rep_a"), catalog_url(), grow=grow)


def test_the_catalog_with_filters_costs_the_same_queries(client_as, page_queries, rep_a):
    ProjectFactory(name="Проект один", slug="p-one", category=Category.KIDS)  # one row, then two hundred

    def grow():
        for i in range(199):
            ProjectFactory(name=f"Проект {i:03d}", slug=f"p-{i:03d}", category=Category.KIDS)

    page_queries(client_as("rep_a"), catalog_url(), grow=grow, data={"q": "проект", "category": Category.KIDS})


def test_the_navigation_leads_to_the_catalog(client_as, rep_a):
    page = client_as("rep_a").get(reverse("cabinet:dashboard", args=["alpha"])).content.decode()
    assert f'href="{catalog_url()}" data-testid="nav-catalog"' in page


# --- one project's card ------------------------------------------------------------------------------------


def test_another_projects_full_card_with_contacts(client_as, catalog):
    response = client_as("rep_a").get(reverse("cabinet:catalog_project", args=["alpha", "bobik"]))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Груминг Бобик", "Ирина", "+7 900 111-22-33", "hello@bobik.example", "Москва, ул. Лесная, 5"):
        assert text in page
    assert (
        '<a href="https://bobik.example/" target="_blank" rel="noopener noreferrer nofollow external"'
        ' data-testid="catalog-website">'
    ) in page
    assert 'data-testid="your-project"' not in page


def test_our_own_card_is_marked(client_as, catalog):
    page = client_as("rep_a").get(reverse("cabinet:catalog_project", args=["alpha", "alpha"])).content.decode()
    assert 'data-testid="your-project"' in page


def test_a_website_that_is_not_http_is_not_a_link(client_as, catalog):
    from projects.models import Project

    Project.objects.filter(slug="bobik").update(website="javascript:alert(1)")
    page = client_as("rep_a").get(reverse("cabinet:catalog_project", args=["alpha", "bobik"])).content.decode()
    assert 'href="javascript:' not in page and 'data-testid="catalog-website"' not in page


@pytest.mark.parametrize("slug", ["closed", "no-such-project"])
def test_an_inactive_or_unknown_project_is_a_journaled_404(client_as, catalog, slug):
    response = client_as("rep_a").get(reverse("cabinet:catalog_project", args=["alpha", slug]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(event=events.ACCESS_NOT_FOUND).exists()


def test_the_project_card_page_budget(client_as, page_queries, catalog):
    page_queries(client_as("rep_a"), reverse("cabinet:catalog_project", args=["alpha", "bobik"]))


# --- the Excel export ---------------------------------------------------------------------------------------


def export_url():
    return reverse("cabinet:catalog_export", kwargs={"project_slug": "alpha"})


def workbook_rows(response):
    body = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_export_has_the_filtered_rows(client_as, catalog):
    response = client_as("rep_a").get(export_url(), {"q": "питомцев", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="project-catalog-')
    header, *rows = workbook_rows(response)
    assert header[0] == "Project" and len(header) == 11
    assert rows == [
        [
            "Груминг Бобик",
            "Pet grooming",
            "Стрижка собак и кошек",
            "Владельцы ПИТОМЦЕВ",
            None,
            0,
            "Ирина",
            "'+7 900 111-22-33",  # a leading "+" is neutralised: a spreadsheet must not run it
            "hello@bobik.example",
            "Москва, ул. Лесная, 5",
            "https://bobik.example/",
        ]
    ]
    event = AuditEvent.objects.get(event=events.EXPORTED)
    assert event.changes["export"] == "project-catalog" and event.changes["rows"] == 1
    assert event.changes["filters"] == {"q": "питомцев"}


def test_the_export_without_filters_has_every_active_project(client_as, catalog):
    _header, *rows = workbook_rows(client_as("rep_a").get(export_url(), {"format": "xlsx"}))
    assert [r[0] for r in rows] == ["Alpha Lounge", "Beta Barbershop", "Груминг Бобик", "Кофейня «Ольга»"]


def test_an_invalid_filter_refuses_the_export_and_journals_nothing(client_as, catalog):
    response = client_as("rep_a").get(export_url(), {"category": "casino", "format": "xlsx"})
    assert response.status_code == 302
    assert response["Location"] == f"{catalog_url()}?category=casino"
    assert not AuditEvent.objects.filter(event=events.EXPORTED).exists()
