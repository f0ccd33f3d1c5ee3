"""The API's docs page works in a real browser under the portal's CSP, with no network beyond the portal."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_page_renders_both_operations_without_a_csp_violation(page, live_server):
    violations, outside = [], []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)

    page.goto(f"{live_server.url}/api/v1/docs")
    page.get_by_text("Report a referred visit").wait_for()

    assert page.get_by_text("Visits recorded at the key's project").is_visible()
    assert not violations, violations
    assert not [url for url in outside if not url.startswith("data:")], outside
