"""notify(): one notification per recipient, rendered in their language, emailed per their preferences."""

import datetime

import pytest
from django.core import mail
from django.db import transaction

from accounts.models import Role, UserStatus
from notifications import notify
from notifications.models import EmailState, Notification, NotificationPreference, NotificationSettings, StaffLevel
from tests.factories import UserFactory
from tests.notifications.conftest import CONTEXTS

pytestmark = pytest.mark.django_db


def test_notify_creates_one_notification_per_recipient_and_emails_each_after_commit(rep_a, rep_b, notify_now):
    created = notify_now(recipients=[rep_a, rep_b, rep_a], event="offers.lot.approved")

    assert len(created) == 2
    assert {n.recipient for n in Notification.objects.all()} == {rep_a, rep_b}
    n = Notification.objects.get(recipient=rep_a)
    assert n.title == "Your lot “100 new guests” is published"
    assert "100 new guests" in n.body and n.link == "/cabinet/alpha/" and not n.is_read
    assert n.email_state == EmailState.SENT and n.email_attempts == 1 and n.email_sent_at
    assert sorted(m.to[0] for m in mail.outbox) == sorted([rep_a.email, rep_b.email])


def test_email_has_subject_text_html_absolute_link_and_a_message_id_derived_from_the_notification(
    rep_a, notify_now, settings
):
    settings.PORTAL_BASE_URL = "https://portal.misty.example"
    (n,) = notify_now(recipients=[rep_a], event="offers.lot.approved", link="/cabinet/alpha/lots/7/")

    (message,) = mail.outbox
    assert message.subject == "Your lot “100 new guests” is published"
    assert "https://portal.misty.example/cabinet/alpha/lots/7/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and 'href="https://portal.misty.example/cabinet/alpha/lots/7/"' in html
    assert message.extra_headers["Message-ID"].startswith(f"<notification-{n.pk}.")
    assert message.extra_headers["Message-ID"].endswith("@portal.misty.example>")
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"


def test_title_and_email_are_rendered_in_each_recipients_language_and_time_zone(notify_now, make_rep):
    russian = make_rep(email="ru@alpha.example", language="ru", time_zone="Europe/Moscow")
    english = make_rep(email="en@alpha.example", language="en", time_zone="UTC")

    notify_now(recipients=[russian, english], event="offers.payment.recorded")

    # 22:30 UTC on 3 March is already 4 March in Moscow; month names and numbers follow the language.
    assert Notification.objects.get(recipient=russian).title == "Зафиксирована оплата 5 000,00 ₽ от 4 марта 2026 г."
    assert Notification.objects.get(recipient=english).title == "Payment of 5,000.00 ₽ recorded on March 3, 2026"
    emails = {m.to[0]: m for m in mail.outbox}
    assert "4 марта 2026 г." in emails["ru@alpha.example"].body  # a payment is made on a day: the day only
    assert "March 3, 2026" in emails["en@alpha.example"].body

    mail.outbox.clear()
    notify_now(recipients=[russian, english], event="accounts.user.invited")
    emails = {m.to[0]: m for m in mail.outbox}
    assert "04.03.2026 01:30 (MSK)" in emails["ru@alpha.example"].body  # the one date-time format (portal/formats)
    assert "3 Mar 2026, 22:30 (UTC)" in emails["en@alpha.example"].body


def test_history_keeps_the_text_rendered_when_the_event_happened(rep_a, notify_now):
    notify_now(recipients=[rep_a], event="offers.payment.recorded")
    title = Notification.objects.get().title
    rep_a.language, rep_a.time_zone = "ru", "Asia/Vladivostok"
    rep_a.save()
    assert Notification.objects.get().title == title


def test_plain_text_parts_are_not_html_escaped_but_the_html_part_is(rep_a, notify_now):
    notify_now(recipients=[rep_a], event="offers.lot.approved", context={"lot_title": "Tom & Jerry <VIP>"})
    n = Notification.objects.get()
    assert n.title == "Your lot “Tom & Jerry <VIP>” is published"
    (message,) = mail.outbox
    assert "Tom & Jerry <VIP>" in message.subject and "Tom & Jerry <VIP>" in message.body
    assert "Tom &amp; Jerry &lt;VIP&gt;" in message.alternatives[0][0]


def test_representative_who_turned_email_off_gets_the_notification_in_the_portal_only(rep_a, rep_b, notify_now):
    NotificationPreference.objects.create(user=rep_a, event="offers.lot.approved", email_enabled=False)

    notify_now(recipients=[rep_a, rep_b], event="offers.lot.approved")

    assert Notification.objects.get(recipient=rep_a).email_state == EmailState.NOT_WANTED
    assert Notification.objects.get(recipient=rep_b).email_state == EmailState.SENT
    assert [m.to[0] for m in mail.outbox] == [rep_b.email]


def test_staff_default_level_emails_important_events_only(moderator, notify_now):
    notify_now(recipients=[moderator], event="offers.lot.submitted")  # important: someone waits for moderation
    notify_now(recipients=[moderator], event="offers.deal.completed")  # informational

    states = dict(Notification.objects.values_list("event", "email_state"))
    assert states == {"offers.lot.submitted": EmailState.SENT, "offers.deal.completed": EmailState.NOT_WANTED}


@pytest.mark.parametrize(
    "level,emailed",
    [
        (StaffLevel.ALL, {"offers.lot.submitted", "offers.deal.completed"}),
        (StaffLevel.IMPORTANT, {"offers.lot.submitted"}),
        (StaffLevel.NONE, set()),
    ],
)
def test_staff_level_decides_which_events_are_emailed(moderator, notify_now, level, emailed):
    NotificationSettings.objects.create(user=moderator, staff_level=level)
    for event in ("offers.lot.submitted", "offers.deal.completed"):
        notify_now(recipients=[moderator], event=event)

    assert Notification.objects.count() == 2  # in the portal whatever the level
    assert set(Notification.objects.filter(email_state=EmailState.SENT).values_list("event", flat=True)) == emailed


def test_staff_event_switched_off_is_not_emailed_even_when_important(moderator, notify_now):
    NotificationPreference.objects.create(user=moderator, event="offers.lot.submitted", email_enabled=False)
    notify_now(recipients=[moderator], event="offers.lot.submitted")
    assert Notification.objects.get().email_state == EmailState.NOT_WANTED


def test_invitation_is_emailed_whatever_the_preferences(make_rep, notify_now):
    invited = make_rep(email="new@alpha.example", status=UserStatus.INVITED)
    NotificationPreference.objects.create(user=invited, event="accounts.user.invited", email_enabled=False)
    notify_now(recipients=[invited], event="accounts.user.invited", link="/stored/link/")
    assert Notification.objects.get().email_state == EmailState.SENT
    assert "/invitation/" in mail.outbox[0].body, "the one-time link is made when the email is sent"
    assert "/stored/link/" not in mail.outbox[0].body


def test_blocked_user_gets_no_email(make_rep, notify_now):
    blocked = make_rep(email="gone@alpha.example", status=UserStatus.BLOCKED)
    notify_now(recipients=[blocked], event="offers.lot.approved")
    assert Notification.objects.get().email_state == EmailState.NOT_WANTED
    assert mail.outbox == []


def test_rolled_back_transaction_records_nothing_and_sends_nothing(rep_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):  # noqa: SIM117
        with transaction.atomic():
            notify(recipients=[rep_a], event="offers.lot.approved", context=CONTEXTS["offers.lot.approved"])
            assert Notification.objects.count() == 1
            raise RuntimeError("the service failed after notifying")

    assert Notification.objects.count() == 0
    assert callbacks == []
    assert mail.outbox == []


def test_email_is_queued_only_after_the_callers_transaction_commits(rep_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        notify(recipients=[rep_a], event="offers.lot.approved", context=CONTEXTS["offers.lot.approved"])
        assert mail.outbox == []
    assert len(callbacks) == 1 and mail.outbox == []
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_broker_outage_does_not_fail_the_caller_and_leaves_the_emails_pending(
    rep_a, rep_b, django_capture_on_commit_callbacks, monkeypatch, caplog, settings
):
    from kombu.exceptions import OperationalError

    from notifications.tasks import send_notification_email

    calls = []

    def broker_down(*args, **kwargs):
        calls.append(args)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr(send_notification_email, "apply_async", broker_down)
    # Through the settings, never app.conf: undoing a patch of app.conf would pin the old value there.
    settings.CELERY_TASK_ALWAYS_EAGER = False

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[rep_a, rep_b], event="offers.lot.approved", context=CONTEXTS["offers.lot.approved"])

    assert Notification.objects.filter(email_state=EmailState.PENDING).count() == 2
    assert len(calls) == 1, "after the first refusal the others are left to the sweeper"
    assert "could not queue 2 notification email(s)" in caplog.text


def test_notify_with_no_recipients_does_nothing(notify_now):
    assert notify_now(recipients=[], event="offers.lot.approved") == []
    assert Notification.objects.count() == 0


def test_unknown_event_is_a_programming_error(rep_a):
    with pytest.raises(LookupError, match="register it"):
        notify(recipients=[rep_a], event="offers.lot.exploded")


def test_missing_context_key_is_a_programming_error(rep_a):
    with pytest.raises(ValueError, match="lot_title"):
        notify(recipients=[rep_a], event="offers.lot.approved", context={})


def test_model_instances_are_refused_in_the_context(rep_a, project_a):
    with pytest.raises(TypeError, match="plain data"):
        notify(recipients=[rep_a], event="offers.lot.approved", context={"lot_title": project_a})


def test_notify_queries_do_not_grow_with_the_number_of_recipients(
    django_assert_max_num_queries, django_capture_on_commit_callbacks, moderator
):
    users = [UserFactory(email=f"r{i}@x.example", role=Role.REPRESENTATIVE) for i in range(60)] + [moderator]
    with django_assert_max_num_queries(6), django_capture_on_commit_callbacks(execute=False):
        notify(recipients=users, event="offers.deal.completed", context=CONTEXTS["offers.deal.completed"])
    assert Notification.objects.count() == 61


def test_context_keeps_dates_and_decimals_typed_for_the_email(rep_a, notify_now):
    notify_now(recipients=[rep_a], event="offers.payment.recorded")
    from notifications.context import load_context

    context = load_context(Notification.objects.get().context)
    assert context["paid_at"] == CONTEXTS["offers.payment.recorded"]["paid_at"]
    assert isinstance(context["paid_at"], datetime.datetime)
    assert context["amount"] == CONTEXTS["offers.payment.recorded"]["amount"]


def test_without_email_keeps_the_notifications_in_the_portal_and_queues_no_email(
    rep_a, moderator, django_capture_on_commit_callbacks
):
    from notifications.services import without_email

    with django_capture_on_commit_callbacks(execute=True) as callbacks, without_email():
        notify(recipients=[rep_a, moderator], event="offers.lot.submitted", context=CONTEXTS["offers.lot.submitted"])

    assert callbacks == [] and mail.outbox == []
    assert sorted(Notification.objects.values_list("recipient__email", "email_state")) == sorted(
        [(rep_a.email, EmailState.NOT_WANTED), (moderator.email, EmailState.NOT_WANTED)]
    )
    # Outside the block, email follows the preferences again.
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[moderator], event="offers.lot.submitted", context=CONTEXTS["offers.lot.submitted"])
    assert [m.to[0] for m in mail.outbox] == [moderator.email]
