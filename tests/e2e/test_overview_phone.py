"""The overview table on a 375 px phone (Russian, the longer language) and on a desktop: the page never
scrolls sideways, each row becomes a card no cell of which is squeezed, and the menu leads to it."""

import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from offers import services
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_phone_layout import CELL_REPORT, NARROWEST_CELL_PX, sideways_overflow
from tests.matrix.market import project_c, published_lot


@pytest.fixture
def both_sides(project_a, project_b, rep_a, rep_b, moderator):
    """Project A's lot with B's deal on it and a long-named partner's pending response; A's response to B."""
    c, rep_c = project_c()
    c.name = "Гастрономический клуб «Северное сияние» на набережной"
    c.save(update_fields=["name"])
    lot = published_lot(project_a, rep_a, moderator, title="Вечер кальяна для новых гостей с живой музыкой")
    deal = services.response_accept(
        response=services.response_submit(lot=lot, project=project_b, actor=rep_b, data={"channels": "Постеры"}),
        actor=rep_a,
    )
    services.deal_message_post(deal=deal, actor=rep_b, body="Постеры висят")
    services.response_submit(lot=lot, project=c, actor=rep_c, data={"channels": "Сторис"})
    theirs = published_lot(project_b, rep_b, moderator, title="Стрижка для новичков")
    services.response_submit(lot=theirs, project=project_a, actor=rep_a, data={"channels": "Флаеры"})


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_overview_fits_a_phone(
    page, live_server, login, both_sides, project_a, rep_a, moderator, viewport, persona_password, output_path
):
    for email, path in [
        (rep_a.email, reverse("cabinet:overview", kwargs={"project_slug": project_a.slug})),
        (moderator.email, reverse("staff:overview")),
    ]:
        page.context.clear_cookies()
        login(page, email, password=persona_password)
        page.goto(live_server.url + path)
        expect(page.get_by_test_id("overview-row")).to_have_count(3)
        os.makedirs(output_path, exist_ok=True)
        page.screenshot(path=os.path.join(output_path, f"{path.strip('/').replace('/', '-')}.png"), full_page=True)
        assert sideways_overflow(page) <= 0, path
        if viewport is PHONE:
            report = page.evaluate(CELL_REPORT)
            narrow = [c for c in report["cells"] if c["w"] < NARROWEST_CELL_PX]
            off_screen = [a for a in report["actions"] if a["left"] < 0 or a["right"] > report["width"]]
            assert not narrow and not off_screen, (path, narrow[:3], off_screen[:3])
