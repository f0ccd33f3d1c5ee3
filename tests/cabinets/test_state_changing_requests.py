"""Walk every named URL with a POST as the director (read-only staff) and as a viewer of project A (read-only in
that project): none may change anything. Not a sample: every URL of the access matrix, so a new POST URL is
walked the day it is added.

A refusal is a 401 (the visits API: a session is no key), a 403 (the policy), a 404 (someone else's object),
a 405 (a read-only page) or the login page.
Only the person's own things — their profile, language, notifications, sessions, sign-out — accept the
director's or a viewer's POST; they are listed below and nothing else may join them silently.
"""

import pytest
from django.urls import reverse

from tests.cabinets.test_access_matrix import ENTRIES

# Their own account and reading state, which read-only people may of course change.
PERSONAL = {
    "profile",
    "set_language",
    "notifications:mark_read",
    "notifications:mark_all_read",
    "notifications:preferences",
    "account_logout",
    "account_change_password",
    "account_reauthenticate",
    "account_login",
    "account_reset_password",
    "account_reset_password_from_key",
    "invitation_accept",
    # Public pages that send a signed-in person home without reading the form.
    "access_request",
    "mfa_index",
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_reauthenticate",
    "mfa_authenticate",
    "mfa_generate_recovery_codes",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    "usersessions_list",
    "healthz",
    "home",
}
REFUSED = {401, 403, 404, 405}  # 401: the visits API takes a project's key, never a session


def _walk(persona, url_name, world, client_as):
    entry = ENTRIES[url_name]
    kwargs = entry.kwargs(world) if callable(entry.kwargs) else entry.kwargs
    data = entry.data(world) if callable(entry.data) else entry.data
    response = client_as(persona).post(reverse(url_name, kwargs=kwargs), data or {})
    return response


@pytest.fixture
def world(personas, project_a, project_b):
    from types import SimpleNamespace

    return SimpleNamespace(project_a=project_a, project_b=project_b, **{k: v for k, v in personas.items() if v})


@pytest.mark.parametrize("url_name", sorted(set(ENTRIES) - PERSONAL))
def test_the_director_changes_nothing(url_name, world, client_as):
    response = _walk("director", url_name, world, client_as)
    assert response.status_code in REFUSED, f"{url_name}: a POST as the director got {response.status_code}"


@pytest.mark.parametrize("url_name", sorted(name for name in ENTRIES if name.startswith("cabinet:")))
def test_a_viewer_changes_nothing_in_the_projects_cabinet(url_name, world, client_as):
    response = _walk("viewer_a", url_name, world, client_as)
    assert response.status_code in REFUSED, f"{url_name}: a POST as a viewer got {response.status_code}"
