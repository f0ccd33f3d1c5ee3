"""A moderator works through the queue: asks for a change with a comment, then — after the owner resubmits —
sees exactly what changed (a file added among it) and approves. And the staff lot pages on a phone."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Role
from offers import services
from offers.models import Lot, LotStatus
from tests.e2e.conftest import PHONE
from tests.factories import PASSWORD, MembershipFactory, ProjectFactory, UserFactory
from tests.offers.conftest import PDF_BYTES, checked, lot_terms

# A screenshot per step, kept after the run (var/ is not committed; CI may upload it).
ARTIFACTS = settings.BASE_DIR / "var" / "e2e-artifacts" / "moderation"


def shot(page, step: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{step}.png"), full_page=True)


@pytest.fixture
def people(transactional_db):
    project = ProjectFactory(name="Alpha Lounge", slug="alpha")
    rep = UserFactory(email="rep@alpha.example", role=Role.REPRESENTATIVE, language="en")
    MembershipFactory(user=rep, project=project)
    moderator = UserFactory(email="moderator@misty.example", role=Role.MODERATOR, language="en")
    return project, rep, moderator


@pytest.mark.django_db(transaction=True)
def test_request_a_change_then_see_the_diff_and_approve(page, live_server, login, people):
    project, rep, moderator = people
    lot = services.lot_create(
        project=project, actor=rep, data=lot_terms(title="Hookah for students"), files=checked("menu.pdf")
    )
    services.lot_submit(lot=lot, actor=rep)

    login(page, moderator.email, password=PASSWORD)
    expect(page.get_by_test_id("nav-moderation-count")).to_contain_text("1")
    page.get_by_test_id("nav-moderation").click()
    row = page.get_by_test_id("queue-row")
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-kind", "new")
    shot(page, "1-queue")
    row.get_by_role("link", name="Hookah for students").click()

    expect(page.get_by_test_id("diff-base")).to_contain_text("every field is new")
    expect(page.get_by_test_id("pending-files").get_by_test_id("attachment-link")).to_have_text("menu.pdf")
    with page.expect_download() as download_info:
        page.get_by_test_id("pending-files").get_by_test_id("attachment-link").click()
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read() == PDF_BYTES
    form = page.get_by_test_id("request-changes-form")
    form.locator("textarea").fill("")
    form.get_by_test_id("request-changes").click()
    expect(form.locator(".invalid-feedback")).to_contain_text("Say what the owner should change.")
    shot(page, "2-comment-required")
    form = page.get_by_test_id("request-changes-form")
    form.locator("textarea").fill("Name the film school and raise the reward.")
    with page.expect_navigation():
        form.get_by_test_id("request-changes").click()
    expect(page.get_by_test_id("lot-status")).to_have_text("Changes requested")
    expect(page.get_by_test_id("revision-comment")).to_contain_text("Name the film school")
    expect(page.get_by_test_id("moderation-actions")).to_have_count(0)
    shot(page, "3-changes-requested")

    # The owner edits and resubmits (their pages are another engineer's part: through the services).
    services.lot_update(
        lot=lot,
        actor=rep,
        data=lot_terms(title="Hookah for students", segment="film school students", reward=450),
        files=checked("film school.pdf"),
    )
    services.lot_submit(lot=lot, actor=rep)

    page.reload()
    expect(page.get_by_test_id("diff-base")).to_contain_text("Compared with revision #1 (Changes requested")
    changed = page.get_by_test_id("diff-changed")
    expect(changed).to_have_count(3)
    files = page.locator("[data-testid='diff-changed'][data-field='attachments']")
    expect(files.locator("ins")).to_have_text("film school.pdf")
    expect(page.get_by_test_id("pending-files").get_by_test_id("attachment")).to_have_count(2)
    segment = page.locator("[data-testid='diff-changed'][data-field='segment']")
    expect(segment.locator("ins")).to_have_text("film school ")
    reward = page.locator("[data-testid='diff-changed'][data-field='reward']")
    expect(reward.locator("del")).to_have_text("300.00")
    expect(reward.locator("ins")).to_have_text("450.00")
    shot(page, "4-diff")
    with page.expect_navigation():
        page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("lot-status")).to_have_text("Published")
    expect(page.get_by_role("alert").or_(page.locator(".alert-success"))).to_contain_text("Approved")
    assert Lot.objects.get(pk=lot.pk).status == LotStatus.PUBLISHED
    shot(page, "5-approved")
    expect(page.get_by_test_id("nav-moderation-count")).to_have_count(0)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_the_staff_lot_pages_fit_a_phone(page, live_server, login, people, viewport):
    project, rep, moderator = people
    lot = services.lot_create(project=project, actor=rep, data=lot_terms(title="A fairly long title of a lot"))
    services.lot_submit(lot=lot, actor=rep)
    login(page, moderator.email, password=PASSWORD)
    for url in (reverse("staff:lots"), reverse("staff:lot_queue"), reverse("staff:lot_detail", args=[lot.pk])):
        page.goto(live_server.url + url)
        shot(page, f"phone-{url.strip('/').replace('/', '-')}")
        width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width[0] <= width[1], f"{url}: the page scrolls sideways on a phone ({width})"
        cells = page.evaluate(
            "() => [...document.querySelectorAll('table tbody td')]"
            ".filter(c => getComputedStyle(c).display !== 'none').map(c => c.getBoundingClientRect().width)"
        )
        assert cells and min(cells) >= 120, f"{url}: a squeezed cell on a phone ({cells})"
