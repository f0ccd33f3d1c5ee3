"""No email lost, none sent twice — with a real Redis, real Celery worker and beat processes, and an SMTP sink.

Each test notifies 200 users in one transaction, in this process (the web side), through the production
code path: `notify()` → `transaction.on_commit` → Redis → `celery worker` → SMTP. The SMTP sink is
aiosmtpd on 127.0.0.1 and counts Message-IDs; every notification's Message-ID is derived from its id,
so "200 distinct, 200 in all" means every email arrived exactly once.

Services:
* Redis is a PRIVATE `redis-server` on a free port, started and stopped here (the outage test stops it;
  the shared Redis on 6379 is never touched). Without `redis-server` on PATH the tests skip (fail under
  REQUIRE_SERVICES=1).
* The worker (`tests/services.py::start_celery_worker`, settings `portal.settings.worker_test`) and
  `celery beat` (the production DatabaseScheduler, which installs CELERY_BEAT_SCHEDULE: the sweeper every
  second here) share the test's PostgreSQL database, so these tests are marked `postgres` and run in the
  PostgreSQL pass (DATABASE_URL=postgres://...).
* Small timings come through the environment: a claim is abandoned after 3 s, a pending email is overdue
  after 3 s, retries back off from 1 s.
"""

from __future__ import annotations

import contextlib
import email
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter

import pytest
from django.db import transaction

from accounts.models import Role, User
from notifications import notify
from notifications.models import EmailState, Notification
from tests.services import (
    REPO_ROOT,
    WORKER_SETTINGS,
    PrivateRedis,
    celery_sends_to,
    free_port,
    start_celery_worker,
    stop_worker,
    wait_for,
    worker_database_url,
    worker_log,
)

pytestmark = [pytest.mark.services, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RECIPIENTS = 200
QUEUE = "portal"  # the default queue: beat sends the sweeper there, and this Redis is ours alone
TIMINGS = {
    "NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS": "3",
    "NOTIFICATIONS_SWEEP_AFTER_SECONDS": "3",
    "NOTIFICATIONS_SWEEP_EVERY_SECONDS": "1",
    "NOTIFICATIONS_RETRY_BACKOFF_SECONDS": "1",
}


# --- an SMTP sink --------------------------------------------------------------------------------------
class SmtpSink:
    """aiosmtpd on a free port; remembers the Message-ID of every message it accepted.

    `before_accept(message_id)` may return an SMTP reply ("451 ...") to refuse one message, or act
    (kill a worker) while the message is still in the middle of its SMTP transaction.
    """

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.port = free_port()
        self.accepted: list[str] = []
        self.recipients: list[str] = []
        self.before_accept = None
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        message_id = email.message_from_bytes(envelope.content)["Message-ID"]
        if self.before_accept is not None:
            reply = self.before_accept(message_id)
            if reply:
                return reply
        with self._lock:
            self.accepted.append(message_id)
            self.recipients.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self._lock:
            return len(self.accepted)

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *exc):
        self._controller.stop()


# --- celery beat -----------------------------------------------------------------------------------------
def start_beat(env_overrides: dict) -> subprocess.Popen:
    """`celery beat` with the production scheduler (django_celery_beat.DatabaseScheduler) on the test database."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(DJANGO_SETTINGS_MODULE=WORKER_SETTINGS, PYTHONPATH=str(REPO_ROOT), PYTHONUNBUFFERED="1", **env_overrides)
    log_fd, log_path = tempfile.mkstemp(prefix="celery-beat-", suffix=".log")
    with os.fdopen(log_fd, "wb") as log_file:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", "beat", "--loglevel=INFO", "--max-interval=1"],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    proc.log_path = log_path
    wait_for(
        lambda: "Sending due task notifications-sweep-pending-emails" in worker_log(proc) or proc.poll() is not None,
        timeout=60,
        message="celery beat never sent the sweeper",
    )
    assert proc.poll() is None, f"celery beat exited:\n{worker_log(proc)}"
    return proc


def stop_beat(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    with contextlib.suppress(FileNotFoundError):
        os.unlink(proc.log_path)


# --- the whole rig ---------------------------------------------------------------------------------------
class Rig:
    def __init__(self, redis: PrivateRedis, sink: SmtpSink):
        self.redis, self.sink = redis, sink
        self.env = {
            "REDIS_URL": redis.url,
            "DATABASE_URL": worker_database_url(),
            "EMAIL_PORT": str(sink.port),
            **TIMINGS,
        }
        self.workers: list[subprocess.Popen] = []
        self.beat: subprocess.Popen | None = None

    def start_worker(self) -> subprocess.Popen:
        worker = start_celery_worker(env_overrides=self.env, queues=[QUEUE])
        self.workers.append(worker)
        return worker

    def logs(self) -> str:
        return "\n".join(worker_log(p) for p in [*self.workers, self.beat] if p is not None)[-20000:]


@pytest.fixture
def rig(transactional_db):
    redis = PrivateRedis()
    redis.start()
    try:
        with SmtpSink() as sink:
            rig = Rig(redis, sink)
            try:
                rig.start_worker()
                rig.beat = start_beat(rig.env)
                yield rig
            finally:
                if rig.beat is not None:
                    stop_beat(rig.beat)
                for worker in rig.workers:
                    stop_worker(worker)
    finally:
        redis.stop()


@pytest.fixture
def users(transactional_db):
    User.objects.bulk_create(
        User(
            email=f"guest{i:03d}@partner.example",
            full_name=f"Guest {i}",
            role=Role.REPRESENTATIVE,
            language="ru" if i % 2 else "en",
            time_zone="Europe/Moscow" if i % 2 else "UTC",
        )
        for i in range(RECIPIENTS)
    )
    return list(User.objects.filter(email__endswith="@partner.example"))


def notify_all(rig: Rig, users: list[User]) -> float:
    """What a service does: change something and notify, in one transaction. Returns its duration."""
    started = time.monotonic()
    with celery_sends_to(broker_url=rig.redis.url, queue=QUEUE), transaction.atomic():
        notify(
            recipients=users,
            event="offers.lot.approved",
            context={"lot_title": "100 new guests"},
            link="/cabinet/alpha/",
        )
    return time.monotonic() - started


def assert_each_email_arrived_exactly_once(rig: Rig, users: list[User], *, settle: float = 4.0):
    """All 200 arrive; then wait past a claim timeout and a few sweeps, so a duplicate would show."""
    wait_for(
        lambda: rig.sink.count() >= RECIPIENTS,
        timeout=90,
        message=f"{rig.sink.count()}/{RECIPIENTS} emails arrived\n{rig.logs()}",
    )
    time.sleep(settle)
    duplicates = {mid: n for mid, n in Counter(rig.sink.accepted).items() if n > 1}
    assert not duplicates, f"sent more than once: {duplicates}"
    assert rig.sink.count() == RECIPIENTS
    expected_ids = set(Notification.objects.values_list("pk", flat=True))
    assert {int(mid.split("-")[1].split(".")[0]) for mid in rig.sink.accepted} == expected_ids
    assert sorted(rig.sink.recipients) == sorted(u.email for u in users)
    assert Notification.objects.filter(email_state=EmailState.SENT).count() == RECIPIENTS


def test_200_notifications_in_one_transaction_reach_the_smtp_sink_exactly_once(rig, users):
    """Two workers race for every email (each task is also delivered a second time, as a broker may
    redeliver it), and the SMTP server refuses two messages once: still 200 emails, none twice."""
    from notifications.tasks import send_notification_email

    rig.start_worker()
    refuse_at, refused_once = {10, 20}, set()

    def refuse_two_at_first(message_id):
        """The SMTP server says "try later" to the 11th and 21st message: Celery's delayed retry resends them."""
        if rig.sink.count() in refuse_at:
            refuse_at.discard(rig.sink.count())
            refused_once.add(message_id)
            return "451 4.3.0 Try again later"
        return None

    rig.sink.before_accept = refuse_two_at_first
    started = time.monotonic()
    took = notify_all(rig, users)
    with celery_sends_to(broker_url=rig.redis.url, queue=QUEUE):
        for pk in Notification.objects.values_list("pk", flat=True):
            send_notification_email.delay(pk)

    assert_each_email_arrived_exactly_once(rig, users)
    assert len(refused_once) == 2
    assert Notification.objects.filter(email_attempts=2).count() == 2, "the two refused emails took a second attempt"
    print(
        f"\n200 emails, 400 tasks, 2 workers: notify+commit {took:.2f}s, "
        f"all delivered {time.monotonic() - started:.2f}s"
    )


def test_worker_killed_in_the_middle_then_a_new_worker_still_delivers_each_email_exactly_once(rig, users):
    (first_worker,) = rig.workers
    kill_at = 80

    def kill_the_worker_mid_send(message_id):
        """SIGKILL while the 81st email is inside its SMTP transaction: the worker has claimed it and
        will never hear the server's answer, nor ack its task."""
        if rig.sink.count() == kill_at and first_worker.poll() is None:
            os.kill(first_worker.pid, signal.SIGKILL)
            return "421 4.3.0 Connection lost"
        return None

    rig.sink.before_accept = kill_the_worker_mid_send
    notify_all(rig, users)

    started = time.monotonic()
    first_worker.wait(timeout=60)
    assert first_worker.returncode == -signal.SIGKILL
    assert rig.sink.count() == kill_at
    assert Notification.objects.filter(email_state=EmailState.SENDING).count() == 1, "the email it was sending"

    rig.sink.before_accept = None
    rig.start_worker()
    assert_each_email_arrived_exactly_once(rig, users)
    taken_over = Notification.objects.get(email_attempts=2)
    assert taken_over.email_state == EmailState.SENT
    print(f"\nkilled after {kill_at}; all 200 delivered {time.monotonic() - started:.2f}s after the kill")


def test_redis_down_while_notifying_commits_and_the_sweeper_delivers_everything_once_it_is_back(rig, users, caplog):
    rig.redis.stop()

    took = notify_all(rig, users)

    assert took < 10, f"a broker outage held the committing request for {took:.1f}s"
    assert Notification.objects.count() == RECIPIENTS, "the transaction committed"
    assert Notification.objects.filter(email_state=EmailState.PENDING).count() == RECIPIENTS
    assert "could not queue 200 notification email(s)" in caplog.text
    time.sleep(1)
    assert rig.sink.count() == 0

    rig.redis.start()  # same port, empty: whatever was queued before is gone too
    back = time.monotonic()
    assert_each_email_arrived_exactly_once(rig, users)
    print(
        f"\nRedis down: notify+commit {took:.2f}s; "
        f"all 200 delivered {time.monotonic() - back:.2f}s after Redis came back"
    )
    assert "sweeper:" in rig.logs() or "notifications.tasks.sweep_pending_emails" in rig.logs()
