"""Notifications speak the reader's current language: in-app texts are rendered again from the stored context
when they are read (notifications.rendering.localize_notifications), and emails come from the portal's name
in the recipient's language."""

import pytest
from django.core import mail
from django.urls import reverse

from notifications.context import dump_context
from notifications.models import Notification
from tests.notifications.conftest import CONTEXTS

pytestmark = pytest.mark.django_db

RU_TITLE = "Ваш лот «100 new guests» опубликован"
RU_BODY = "Ваш лот «100 new guests» прошёл модерацию и опубликован."
EN_TITLE = "Your lot “100 new guests” is published"
EN_BODY = "Moderation approved your lot “100 new guests”; it is published."


def set_language(user, language):
    user.language = language
    user.save(update_fields=["language"])


@pytest.fixture
def russian_history(rep_a, notify_now):
    set_language(rep_a, "ru")
    (notification,) = notify_now(recipients=[rep_a], event="offers.lot.approved")
    assert (notification.title, notification.body) == (RU_TITLE, RU_BODY), "stored in the language of the time"
    return notification


def test_after_switching_to_english_the_russian_history_reads_english(client_as, rep_a, russian_history):
    set_language(rep_a, "en")

    html = client_as("rep_a").get(reverse("notifications:list")).content.decode()

    assert EN_TITLE in html and EN_BODY in html
    assert RU_TITLE not in html and RU_BODY not in html
    stored = Notification.objects.get(pk=russian_history.pk)
    assert stored.title == RU_TITLE, "the stored text is kept"


def test_and_back_to_russian(client_as, rep_a, notify_now):
    set_language(rep_a, "en")
    notify_now(recipients=[rep_a], event="offers.lot.approved")
    set_language(rep_a, "ru")

    html = client_as("rep_a").get(reverse("notifications:list")).content.decode()

    assert RU_TITLE in html and RU_BODY in html and EN_TITLE not in html


def test_the_row_returned_by_mark_read_is_in_the_readers_language(client_as, rep_a, russian_history):
    set_language(rep_a, "en")
    response = client_as("rep_a").post(
        reverse("notifications:mark_read", args=[russian_history.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert EN_TITLE in html and RU_TITLE not in html


def test_dates_in_the_text_follow_the_readers_time_zone_and_language(client_as, rep_a, notify_now):
    set_language(rep_a, "ru")
    notify_now(recipients=[rep_a], event="offers.payment.recorded")  # paid 22:30 UTC on 3 March
    rep_a.language, rep_a.time_zone = "en", "UTC"
    rep_a.save(update_fields=["language", "time_zone"])

    html = client_as("rep_a").get(reverse("notifications:list")).content.decode()

    assert "Payment of 5,000.00 ₽ recorded on March 3, 2026" in html


def test_an_event_no_longer_registered_keeps_its_stored_text(client_as, rep_a):
    Notification.objects.create(
        recipient=rep_a, event="gone.event", title="Старый заголовок", body="Старый текст", context={"x": 1}
    )
    html = client_as("rep_a").get(reverse("notifications:list")).content.decode()
    assert "Старый заголовок" in html and "Старый текст" in html


def test_reading_in_the_current_language_costs_no_query_per_row(client_as, rep_a, page_queries):
    set_language(rep_a, "ru")

    def add(count):
        Notification.objects.bulk_create(
            Notification(
                recipient=rep_a,
                event=event,
                title="stored",
                context=dump_context(CONTEXTS[event]),
                link="/cabinet/alpha/",
            )
            for i in range(count)
            for event in (list(CONTEXTS)[i % len(CONTEXTS)],)
        )

    add(1)
    set_language(rep_a, "en")
    response = page_queries(client_as("rep_a"), reverse("notifications:list"), grow=lambda: add(499))
    assert "stored" not in response.content.decode()


class TestSenderName:
    def test_notification_email_comes_from_the_portal_in_the_recipients_language(self, make_rep, notify_now):
        russian = make_rep(email="ru@alpha.example", language="ru")
        english = make_rep(email="en@alpha.example", language="en")

        notify_now(recipients=[russian, english], event="offers.lot.approved")

        senders = {message.to[0]: message.from_email for message in mail.outbox}
        assert senders == {
            "ru@alpha.example": "Партнёрский портал Misty <noreply@misty.example>",
            "en@alpha.example": "Misty Partner Portal <noreply@misty.example>",
        }
        russian_message = next(m for m in mail.outbox if m.to == ["ru@alpha.example"]).message()
        assert "noreply@misty.example" in russian_message["From"]


def test_texts_already_in_the_readers_language_and_zone_are_not_rendered_again(
    client_as, rep_a, russian_history, monkeypatch
):
    rendered = []
    monkeypatch.setattr(
        "notifications.rendering._inapp_texts", lambda event_type, values: rendered.append(event_type) or ("x", "y")
    )
    assert russian_history.rendered_in == f"ru|{rep_a.time_zone}"

    html = client_as("rep_a").get(reverse("notifications:list")).content.decode()
    assert RU_TITLE in html and rendered == [], "same language and zone: the stored texts, as they are"

    rep_a.time_zone = "Asia/Vladivostok"
    rep_a.save(update_fields=["time_zone"])
    client_as("rep_a").get(reverse("notifications:list"))
    assert len(rendered) == 1, "another zone (its moments differ): rendered again"
