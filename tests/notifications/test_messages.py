"""The notification pages' words: "mark all read" says when there was nothing unread (and counts with
plural forms otherwise); the mark-read button says what it does."""

import pytest
from django.urls import reverse

from tests.notifications.test_views import make

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(rep_a):
    rep_a.language = "en"
    rep_a.save(update_fields=["language"])
    return rep_a


def mark_all(client):
    return client.post(reverse("notifications:mark_all_read"), follow=True).content.decode()


def test_nothing_unread_says_so_instead_of_zero_marked(client_as, english):
    make(english, 2, read=True)
    html = mark_all(client_as("rep_a"))
    assert "There were no unread notifications." in html
    assert "0 notifications" not in html


@pytest.mark.parametrize(("unread", "text"), [(1, "1 notification marked as read."), (3, "3 notifications marked")])
def test_the_count_uses_plural_forms(client_as, english, unread, text):
    make(english, unread)
    assert text in mark_all(client_as("rep_a"))


def test_the_mark_read_button_says_mark_as_read(client_as, english):
    make(english, 1)
    html = client_as("rep_a").get(reverse("notifications:list")).content.decode()
    start = html.index('data-testid="mark-read"')
    button = html[start : html.index("</button>", start)]
    assert "Mark as read" in button
