"""Every named URL × every persona (STYLE.md: one parametrized access matrix for the whole portal).

A URL added without an entry in `tests/matrix/` fails `test_every_named_url_is_in_the_matrix`.
Django's own admin (`admin:` namespace) is checked by `test_django_admin_is_for_administrators_only`.
"""

from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix import LOGIN, PERSONAS, all_entries

ENTRIES = all_entries()


def named_urls(patterns=None, namespace=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from named_urls(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def portal_url_names():
    return {name for name in named_urls() if not name.startswith("admin:")}


def test_every_named_url_is_in_the_matrix():
    missing = sorted(portal_url_names() - set(ENTRIES))
    assert not missing, f"add these URLs to tests/matrix/: {missing}"


def test_matrix_has_no_stale_entries():
    stale = sorted(set(ENTRIES) - portal_url_names())
    assert not stale, f"these matrix entries name no URL: {stale}"


@pytest.fixture
def world(personas, project_a, project_b):
    return SimpleNamespace(project_a=project_a, project_b=project_b, **{k: v for k, v in personas.items() if v})


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", sorted(ENTRIES))
def test_access(url_name, persona, world, client_as):
    entry = ENTRIES[url_name]
    kwargs = entry.kwargs(world) if callable(entry.kwargs) else entry.kwargs
    data = entry.data(world) if callable(entry.data) else entry.data
    url = reverse(url_name, kwargs=kwargs)
    client = client_as(persona)
    response = getattr(client, entry.method)(url, data or {})
    expected = entry.expected(persona, url_name=url_name)
    if expected == LOGIN:
        assert response.status_code == 302, f"{url_name} as {persona}: {response.status_code}"
        assert response["Location"].startswith(reverse("account_login")), response["Location"]
    else:
        assert response.status_code == expected, f"{url_name} as {persona}: got {response.status_code}, want {expected}"


@pytest.mark.parametrize(
    "persona,status", [("anonymous", 302), ("rep_a", 302), ("moderator", 302), ("director", 302), ("admin", 200)]
)
def test_django_admin_is_for_administrators_only(persona, status, client_as, personas):
    client = client_as(persona)
    assert client.get(reverse("admin:index")).status_code == status
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == status
    assert client.get(reverse("admin:projects_project_changelist")).status_code == status
