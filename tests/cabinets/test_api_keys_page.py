"""Staff → a project's API keys: an administrator creates one and sees it once; the list never shows it again;
a revoked key is refused by the API at once."""

import pytest
from django.test import Client
from django.urls import reverse

from auditlog.models import AuditEvent
from visits.models import ApiKey

pytestmark = pytest.mark.django_db


def page(project):
    return reverse("staff:project_api_keys", kwargs={"slug": project.slug})


def test_a_key_is_shown_once_works_and_is_revoked(client_as, project_a):
    client = client_as("admin")
    created = client.post(page(project_a), {"name": "Loyalty app, till 1"})
    assert created.status_code == 200 and created["Cache-Control"] == "no-store"
    text = created.content.decode()
    start = text.index('data-testid="api-key-value"')
    plain = text[text.index('value="', start - 200) + 7 :].split('"')[0]
    assert plain.startswith("misty_")
    assert plain not in client.get(page(project_a)).content.decode(), "shown once, never again"
    key = ApiKey.objects.get()
    assert key.secret_hash not in text and plain.split(".")[1] not in key.secret_hash
    app = Client()  # the loyalty app: no session
    assert app.get("/api/v1/visits", HTTP_X_API_KEY=plain).status_code == 200
    revoke = reverse("staff:project_api_key_revoke", kwargs={"slug": project_a.slug, "pk": key.pk})
    assert client.post(revoke).status_code == 302
    assert app.get("/api/v1/visits", HTTP_X_API_KEY=plain).status_code == 401
    assert set(AuditEvent.objects.values_list("event", flat=True)) >= {
        "visits.api_key.created",
        "visits.api_key.revoked",
    }


def test_a_nameless_key_is_refused_in_words(client_as, project_a):
    response = client_as("admin").post(page(project_a), {"name": "  "})
    assert "Name the key" in response.content.decode() or "Назовите" in response.content.decode()
    assert not ApiKey.objects.exists()


def test_the_keys_page_budget(client_as, project_a, admin, page_queries):
    from visits.api_keys import api_key_create

    api_key_create(project=project_a, name="one", actor=admin)
    page_queries(
        client_as("admin"),
        page(project_a),
        grow=lambda: [api_key_create(project=project_a, name=f"k{n}", actor=admin) for n in range(6)],
    )
