"""The project pages: staff create and edit projects, deactivate them with a confirmation and appoint curators;
a curator's list and dashboard start on their projects; a representative sees their own project's card and a
manager edits its public half."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from auditlog.models import AuditEvent
from projects import events
from projects.models import Project
from projects.selectors import curated_projects
from tests.cabinets.test_query_budget import add_members, add_projects

BANK = {
    "bik": "044525593",
    "settlement_account": "40702810502260000343",
    "correspondent_account": "30101810200000000593",
}


def png(size=(80, 40)):
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, format="PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


def staff_form(project=None, **overrides):
    data = {
        "name": "Iron Fit",
        "slug": "iron-fit",
        "category": "fitness",
        "client_points": "0",
        "active": "on",
    }
    if project is not None:
        data |= {"name": project.name, "slug": project.slug, "category": project.category}
    return data | overrides


def stored_logos():
    try:
        return default_storage.listdir("projects/logos")[1]
    except FileNotFoundError:
        return []


@pytest.fixture(autouse=True)
def _empty_storage():
    for name in stored_logos():
        default_storage.delete(f"projects/logos/{name}")


class TestStaffCreateAndEdit:
    def test_an_administrator_creates_a_project_with_a_logo(self, client_as):
        response = client_as("admin").post(
            reverse("staff:project_create"), staff_form(inn="7707 083 893", logo=png(), **BANK)
        )
        project = Project.objects.get(slug="iron-fit")
        assert response.status_code == 302 and response["Location"] == reverse(
            "staff:project_detail", args=["iron-fit"]
        )
        assert project.inn == "7707083893" and project.bik == BANK["bik"]
        assert project.logo.name.startswith("projects/logos/") and project.logo.name.endswith(".png")
        assert AuditEvent.objects.filter(event=events.PROJECT_CREATED, project=project).count() == 1

    def test_website_without_a_scheme_gets_https(self, client_as, project_a):
        client_as("admin").post(
            reverse("staff:project_edit", args=["alpha"]), staff_form(project_a, website="alpha.ru")
        )
        project_a.refresh_from_db()
        assert project_a.website == "https://alpha.ru"

    @pytest.mark.parametrize(
        "overrides,field,message",
        [
            ({"inn": "7707083894"}, "inn", "check digit"),
            (
                {"bik": "044525593", "settlement_account": "40702810502260000344"},
                "settlement_account",
                "does not match",
            ),
            ({"bik": "044525593", "correspondent_account": "30101810400000000225"}, "correspondent_account", "match"),
            ({"settlement_account": "40702810502260000343"}, "bik", "BIK"),
            ({"slug": "new"}, "slug", "reserved"),
            ({"slug": "alpha"}, "slug", "already exists"),
            ({"contact_phone": "call me"}, "contact_phone", "phone number"),
        ],
    )
    def test_each_bad_field_is_shown_on_the_field_and_what_was_typed_is_kept(
        self, client_as, project_a, overrides, field, message
    ):
        data = staff_form(name="Kept Name", description="Kept description", **overrides)
        response = client_as("admin").post(reverse("staff:project_create"), data)
        assert response.status_code == 200
        form = response.context["form"]
        assert message in " ".join(form.errors[field])
        html = response.content.decode()
        assert 'value="Kept Name"' in html and "Kept description" in html
        assert not Project.objects.filter(name="Kept Name").exists()

    @pytest.mark.parametrize(
        "content,name,message",
        [
            (b"<!doctype html><html><body>hi</body></html>", "logo.png", "not an image"),
            (b"\x89PNG\r\n\x1a\n" + b"\0" * (40 * 1024 * 1024), "big.png", "too large"),
        ],
        ids=["html-named-png", "forty-megabytes"],
    )
    def test_a_bad_logo_is_refused_on_the_field_and_nothing_is_stored(
        self, client_as, project_a, content, name, message
    ):
        upload = SimpleUploadedFile(name, content, content_type="image/png")
        response = client_as("admin").post(
            reverse("staff:project_edit", args=["alpha"]), staff_form(project_a, description="typed", logo=upload)
        )
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors["logo"])
        assert stored_logos() == []
        project_a.refresh_from_db()
        assert not project_a.logo and project_a.description == ""

    def test_a_decompression_bomb_is_refused_through_the_page(self, client_as, project_a):
        out = io.BytesIO()
        Image.new("1", (12000, 12000), 0).save(out, format="PNG")
        upload = SimpleUploadedFile("bomb.png", out.getvalue(), content_type="image/png")
        response = client_as("admin").post(
            reverse("staff:project_edit", args=["alpha"]), staff_form(project_a, logo=upload)
        )
        assert "megapixels" in " ".join(response.context["form"].errors["logo"])
        assert stored_logos() == []

    def test_removing_the_logo(self, client_as, project_a, django_capture_on_commit_callbacks):
        client = client_as("admin")
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("staff:project_edit", args=["alpha"]), staff_form(project_a, logo=png()))
        project_a.refresh_from_db()
        assert project_a.logo
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("staff:project_edit", args=["alpha"]), staff_form(project_a, remove_logo="on"))
        project_a.refresh_from_db()
        assert not project_a.logo and stored_logos() == []

    def test_the_edit_page_shows_every_section(self, client_as, project_a):
        html = client_as("admin").get(reverse("staff:project_edit", args=["alpha"])).content.decode()
        for name in ("name", "slug", "category", "logo", "inn", "bik", "settlement_account", "website", "active"):
            assert f'name="{name}"' in html, name
        assert 'enctype="multipart/form-data"' in html


class TestDeactivation:
    def test_get_is_a_confirmation_and_changes_nothing(self, client_as, project_a):
        response = client_as("admin").get(reverse("staff:project_deactivate", args=["alpha"]))
        assert response.status_code == 200 and b'data-testid="confirm"' in response.content
        project_a.refresh_from_db()
        assert project_a.active

    def test_post_deactivates_and_the_representative_loses_the_cabinet(self, client_as, project_a):
        response = client_as("admin").post(reverse("staff:project_deactivate", args=["alpha"]))
        assert response.status_code == 302
        project_a.refresh_from_db()
        assert not project_a.active
        assert client_as("rep_a").get(reverse("cabinet:dashboard", args=["alpha"])).status_code == 404
        client_as("admin").post(reverse("staff:project_activate", args=["alpha"]))
        assert client_as("rep_a").get(reverse("cabinet:dashboard", args=["alpha"])).status_code == 200


class TestStaffCard:
    def test_administrators_see_the_actions_and_others_do_not(self, client_as, project_a, curator, viewer_a):
        admin_html = client_as("admin").get(reverse("staff:project_detail", args=["alpha"])).content.decode()
        assert 'data-testid="edit-project"' in admin_html and 'data-testid="revoke-curator"' in admin_html
        assert 'data-testid="grant-curator"' in admin_html
        assert curator.email in admin_html and "Viewer" in admin_html  # curators, members with their right
        for persona in ("moderator", "curator", "director"):
            html = client_as(persona).get(reverse("staff:project_detail", args=["alpha"])).content.decode()
            assert curator.email in html, persona
            for action in ("edit-project", "deactivate-project", "revoke-curator", "grant-curator"):
                assert f'data-testid="{action}"' not in html, (persona, action)

    def test_appointing_and_removing_a_curator_through_the_page(self, client_as, project_b, moderator):
        client = client_as("admin")
        client.post(reverse("staff:project_curator_grant", args=["beta"]), {"user": moderator.pk})
        assert list(curated_projects(moderator)) == [project_b]
        client.post(reverse("staff:project_curator_revoke", args=["beta"]), {"user": moderator.pk})
        assert not curated_projects(moderator).exists()
        assert AuditEvent.objects.filter(event__startswith="projects.curator.").count() == 2

    def test_a_representative_cannot_be_appointed_through_the_page(self, client_as, project_b, rep_a):
        response = client_as("admin").post(
            reverse("staff:project_curator_grant", args=["beta"]), {"user": rep_a.pk}, follow=True
        )
        assert "Choose an active moderator" in response.content.decode()
        assert not AuditEvent.objects.filter(event=events.CURATOR_GRANTED).exists()


class TestCuratorStartsOnTheirProjects:
    def test_the_list_defaults_to_my_projects_for_a_curator(self, client_as, project_a, project_b, curator):
        response = client_as("curator").get(reverse("staff:projects"))
        assert [p.slug for p in response.context["list"]] == ["alpha"]
        assert b'data-testid="project-scope"' in response.content
        response = client_as("curator").get(reverse("staff:projects"), {"scope": "all"})
        assert [p.slug for p in response.context["list"]] == ["alpha", "beta"]

    def test_others_have_no_choice_and_see_every_project(self, client_as, project_a, project_b, curator):
        for persona in ("moderator", "admin", "director"):
            response = client_as(persona).get(reverse("staff:projects"), {"scope": "mine"})
            assert [p.slug for p in response.context["list"]] == ["alpha", "beta"], persona
            assert b'data-testid="project-scope"' not in response.content

    def test_the_dashboard_shows_a_curator_their_projects_first(self, client_as, project_a, project_b, curator):
        html = client_as("curator").get(reverse("staff:dashboard")).content.decode()
        assert 'data-testid="my-projects"' in html and "Alpha Lounge" in html and "Beta Barbershop" not in html
        assert html.index('data-testid="my-projects"') < html.index("figure-card")
        assert (
            'data-testid="my-projects"' not in client_as("moderator").get(reverse("staff:dashboard")).content.decode()
        )


class TestRepresentativeCard:
    def test_a_manager_sees_the_card_with_the_edit_button(self, client_as, project_a):
        html = client_as("rep_a").get(reverse("cabinet:project", args=["alpha"])).content.decode()
        assert "Alpha Lounge" in html and 'data-testid="edit-card"' in html and 'data-testid="legal-data"' in html

    def test_a_viewer_sees_the_card_without_the_button_and_cannot_open_the_form(self, client_as, project_a):
        client = client_as("viewer_a")
        html = client.get(reverse("cabinet:project", args=["alpha"])).content.decode()
        assert "Alpha Lounge" in html and 'data-testid="edit-card"' not in html
        assert client.get(reverse("cabinet:project_edit", args=["alpha"])).status_code == 403
        response = client.post(reverse("cabinet:project_edit", args=["alpha"]), {"description": "viewer was here"})
        assert response.status_code == 403
        project_a.refresh_from_db()
        assert project_a.description == ""

    def test_a_manager_saves_the_public_half_and_cannot_touch_the_rest(self, client_as, project_a):
        response = client_as("rep_a").post(
            reverse("cabinet:project_edit", args=["alpha"]),
            {"description": "Tea and hookah", "average_check": "1500", "name": "Hijacked", "inn": "7707083893"},
        )
        assert response.status_code == 302 and response["Location"] == reverse("cabinet:project", args=["alpha"])
        project_a.refresh_from_db()
        assert (project_a.description, project_a.average_check) == ("Tea and hookah", 1500)
        assert (project_a.name, project_a.inn) == ("Alpha Lounge", "")

    def test_the_form_shows_only_the_public_fields(self, client_as, project_a):
        form = client_as("rep_a").get(reverse("cabinet:project_edit", args=["alpha"])).context["form"]
        assert set(form.fields) == {
            "description",
            "audience",
            "average_check",
            "contact_name",
            "contact_phone",
            "contact_email",
            "address",
            "website",
            "logo",
        }


@pytest.mark.parametrize(
    "persona,url_name,kwargs,grow",
    [
        ("admin", "staff:project_create", {}, lambda w: add_projects(100)),
        ("admin", "staff:project_edit", {"slug": "alpha"}, lambda w: add_members(w["project_a"], 200)),
        ("admin", "staff:project_deactivate", {"slug": "alpha"}, lambda w: add_projects(50)),
        ("admin", "staff:project_activate", {"slug": "alpha"}, lambda w: add_projects(50)),
        ("admin", "staff:project_detail", {"slug": "alpha"}, lambda w: add_members(w["project_a"], 300)),
        ("curator", "staff:projects", {}, lambda w: add_projects(300)),
        ("curator", "staff:dashboard", {}, lambda w: add_projects(100)),
        ("rep_a", "cabinet:project", {"project_slug": "alpha"}, lambda w: add_members(w["project_a"], 200)),
        ("rep_a", "cabinet:project_edit", {"project_slug": "alpha"}, lambda w: add_members(w["project_a"], 200)),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_project_pages_stay_within_budget(
    client_as, personas, project_a, project_b, persona, url_name, kwargs, grow, page_queries
):
    page_queries(client_as(persona), reverse(url_name, kwargs=kwargs), grow=lambda: grow({"project_a": project_a}))


def test_curator_pages_cost_the_same_with_many_curated_projects(client_as, personas, project_a, curator, page_queries):
    from guardian.shortcuts import assign_perm

    def curate_many():
        add_projects(60)
        for project in Project.objects.filter(slug__startswith="bulk-"):
            assign_perm("projects.curate_project", curator, project)

    page_queries(client_as("curator"), reverse("staff:dashboard"), grow=curate_many)
    page_queries(client_as("curator"), reverse("staff:projects"))
