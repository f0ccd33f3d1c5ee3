"""On a phone the menu is collapsed: the unread count sits on the collapsed bar beside the menu button
(templates/notifications/includes/bell_phone.html), and the bell's htmx refresh updates it too."""

import pytest
from django.urls import reverse

from tests.notifications.test_views import bell_count, make

pytestmark = pytest.mark.django_db


def phone_bell(html: str) -> str:
    start = html.index('id="notification-bell-phone"')
    return html[html.rindex("<a", 0, start) : html.index("</a>", start)]


def test_the_unread_count_is_on_the_collapsed_bar_outside_the_menu(client_as, rep_a, project_a):
    make(rep_a, 3)
    html = client_as("rep_a").get(reverse("cabinet:dashboard", args=[project_a.slug])).content.decode()

    bell = phone_bell(html)
    assert 'data-testid="notification-count-phone">3<' in bell
    assert "d-xl-none" in bell, "shown while the menu is collapsed"
    # on the bar itself, before the menu button and the collapsible menu
    assert html.index('id="notification-bell-phone"') < html.index('class="navbar-toggler"')
    assert html.index('id="notification-bell-phone"') < html.index('id="nav-main"')
    assert 'hx-swap-oob="true"' not in bell, "out of band only in the refresh"


def test_no_badge_when_nothing_is_unread(client_as, rep_a, project_a):
    make(rep_a, 2, read=True)
    html = client_as("rep_a").get(reverse("cabinet:dashboard", args=[project_a.slug])).content.decode()
    assert 'data-unread="0"' in phone_bell(html)
    assert "notification-count-phone" not in html


def test_the_bell_refresh_updates_the_phone_bell_out_of_band(client_as, rep_a):
    client = client_as("rep_a")
    make(rep_a, 2)
    html = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true").content.decode()

    assert bell_count(client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")) == 2
    bell = phone_bell(html)
    assert 'hx-swap-oob="true"' in bell
    assert 'data-testid="notification-count-phone">2<' in bell


def test_both_bells_cost_one_count(client_as, rep_a, project_a, monkeypatch):
    from notifications.templatetags import notification_tags

    calls = []
    real = notification_tags.unread_count
    monkeypatch.setattr(notification_tags, "unread_count", lambda **kw: calls.append(1) or real(**kw))
    client_as("rep_a").get(reverse("cabinet:dashboard", args=[project_a.slug]))
    assert len(calls) == 1
