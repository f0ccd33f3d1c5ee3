"""Every state-changing request of the project pages × every persona: a viewer, the director, a moderator
(curator or not) and representatives of other projects are refused each of them (walked, not sampled)."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests.matrix import LOGIN, PERSONAS
from tests.matrix.projects import ENTRIES, POSTS

READ_ONLY_PAGES = {"cabinet:project"}


def test_every_page_that_takes_a_post_has_its_post_walked():
    get_pages = {name for name, entry in ENTRIES.items() if entry.method == "get"}
    assert set(POSTS) == get_pages - READ_ONLY_PAGES


@pytest.fixture
def world(personas, project_a, project_b):
    return SimpleNamespace(project_a=project_a, project_b=project_b, **{k: v for k, v in personas.items() if v})


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", sorted(POSTS))
def test_post(url_name, persona, world, client_as):
    entry = POSTS[url_name]
    kwargs = entry.kwargs(world) if callable(entry.kwargs) else entry.kwargs
    data = entry.data(world) if callable(entry.data) else entry.data
    response = client_as(persona).post(reverse(url_name, kwargs=kwargs), data or {})
    expected = entry.expected(persona, url_name=url_name)
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected, f"{url_name} as {persona}: got {response.status_code}, want {expected}"
        if expected == 302:  # the change was accepted: back to the project, not a form shown again with errors
            assert "login" not in response["Location"]
