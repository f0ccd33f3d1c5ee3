"""Helpers for tests that use real services: Redis, a real Celery worker, a free TCP port.

They work whatever database the suite runs on. A typical worker test::

    @pytest.mark.services
    def test_something_reaches_a_real_worker():
        redis_url = redis_url_or_skip()              # Redis DB /14, or skip (fail under REQUIRE_SERVICES=1)
        queue = unique_queue_name()
        with running_celery_worker(env_overrides={"REDIS_URL": redis_url}, queues=[queue]):
            with celery_sends_to(broker_url=redis_url, queue=queue):
                some_task.delay(...)                 # the production code path: .delay() -> Redis -> worker
            ...poll for the effect...

Rules the helpers keep:
* The worker runs `portal.settings.worker_test` (see its docstring) in its own process, started with
  Popen so `stop_worker` signals the worker itself, not a shell.
* Nothing is inherited by accident: DATABASE_URL, REDIS_URL and EMAIL_* of the outer environment are
  dropped; the test passes what the worker needs in `env_overrides` (REDIS_URL is required).
* Concurrent runs (other checkouts, xdist workers) do not collide: Redis DB 14, a unique queue per worker
  and a unique node name; the worker runs without gossip, mingle and heartbeats, so it talks to no one else.
* A task that reads the test's rows needs the worker on the test's database: mark the test
  `django_db(transaction=True)` (rows must be committed) and `postgres` (an in-memory SQLite database
  cannot be shared between processes), and pass `DATABASE_URL=worker_database_url()`.
* Email sent by a worker goes over SMTP to EMAIL_HOST:EMAIL_PORT (defaults 127.0.0.1:1025): start an SMTP
  sink on `free_port()` (aiosmtpd) and pass `EMAIL_PORT`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from tests.conftest import need

REPO_ROOT = Path(__file__).resolve().parent.parent
TEST_REDIS_DB = 14
WORKER_SETTINGS = "portal.settings.worker_test"
# Read by the worker's settings; never inherited from the environment the tests run in.
_WORKER_ENV_NOT_INHERITED = (
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "DJANGO_SETTINGS_MODULE",
)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (nobody else may take it before you do)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_url_or_skip(*, db: int = TEST_REDIS_DB) -> str:
    """REDIS_URL (default redis://127.0.0.1:6379/0) switched to database `db`, if that Redis answers.

    Otherwise the test is skipped — or fails under REQUIRE_SERVICES=1.
    """
    import redis

    base = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    parts = urlsplit(base)
    url = urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, parts.fragment))
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
        client.ping()
        client.close()
        answered, error = True, ""
    except redis.RedisError as exc:
        answered, error = False, f"{exc.__class__.__name__}: {exc}"
    need(answered, f"Redis is not answering at {parts.scheme}://{parts.hostname}:{parts.port or 6379} ({error})")
    return url


def unique_queue_name(prefix: str = "test") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def worker_database_url() -> str:
    """The URL of the database this test is using, for a worker that must see the test's rows.

    Call it inside a `django_db(transaction=True)` test: pytest-django has already renamed the database
    (test_misty, or test_misty_gw0 under xdist). Only PostgreSQL can be shared; anything else skips
    (or fails under REQUIRE_SERVICES=1) — mark such tests `postgres` so the SQLite pass deselects them.
    """
    from django.db import connection

    need(
        connection.vendor == "postgresql",
        f"a worker can share only a PostgreSQL test database, not {connection.vendor}",
    )
    conf = connection.settings_dict
    user = quote(conf.get("USER") or "", safe="")
    password = quote(conf.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = conf.get("HOST") or "127.0.0.1"
    port = f":{conf['PORT']}" if conf.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(conf['NAME'], safe='')}"


def start_celery_worker(
    *,
    env_overrides: dict[str, str],
    queues: Iterable[str],
    settings_module: str = WORKER_SETTINGS,
    ready_timeout: float = 60.0,
    loglevel: str = "INFO",
) -> subprocess.Popen:
    """Start `celery -A portal worker --pool=solo` consuming `queues`, and return once it is ready.

    `env_overrides` must contain REDIS_URL (use `redis_url_or_skip()`); add DATABASE_URL, EMAIL_PORT...
    as the test needs. "Ready" is the worker's own `<node> ready.` log line, written after it connected
    to the broker and started consuming. If the worker exits or is not ready within `ready_timeout`
    seconds, it is stopped and the test fails with its log. Always pair with `stop_worker`
    (or use `running_celery_worker`).
    """
    queues = list(queues)
    if not queues:
        raise ValueError("give the worker at least one queue (see unique_queue_name())")
    if "REDIS_URL" not in env_overrides:
        raise ValueError("env_overrides must contain REDIS_URL (see redis_url_or_skip())")

    env = {key: value for key, value in os.environ.items() if key not in _WORKER_ENV_NOT_INHERITED}
    env.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
        PYTHONUNBUFFERED="1",
    )
    env.update({key: str(value) for key, value in env_overrides.items()})

    node = f"{queues[0]}@%h"
    log_fd, log_path = tempfile.mkstemp(prefix="celery-worker-", suffix=".log")
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "portal",
        "worker",
        "--pool=solo",
        f"--loglevel={loglevel}",
        "-Q",
        ",".join(queues),
        "-n",
        node,
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    with os.fdopen(log_fd, "wb") as log_file:
        proc = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT
        )
    proc.log_path = log_path
    proc.queues = queues
    proc.redis_url = env["REDIS_URL"]

    deadline = time.monotonic() + ready_timeout
    while True:
        log = worker_log(proc)
        if " ready." in log:
            return proc
        if proc.poll() is not None:
            stop_worker(proc)
            raise AssertionError(f"the Celery worker exited with code {proc.returncode} before it was ready:\n{log}")
        if time.monotonic() > deadline:
            stop_worker(proc)
            raise AssertionError(f"the Celery worker was not ready after {ready_timeout:.0f} s:\n{log}")
        time.sleep(0.1)


def worker_log(proc: subprocess.Popen) -> str:
    """Everything the worker printed so far (for assertion messages)."""
    try:
        return Path(proc.log_path).read_text(errors="replace")
    except (AttributeError, FileNotFoundError):
        return ""


def stop_worker(proc: subprocess.Popen, *, timeout: float = 15.0) -> int:
    """Warm shutdown (SIGTERM: finish the current task), SIGKILL after `timeout` s; then clean up.

    Deletes the worker's queues from Redis and its log file. Safe to call twice. Returns the exit code.
    """
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)
    _delete_queues(getattr(proc, "redis_url", None), getattr(proc, "queues", []))
    log_path = getattr(proc, "log_path", None)
    if log_path:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(log_path)
    return proc.returncode


def _delete_queues(redis_url: str | None, queues: list[str]) -> None:
    """kombu keeps a queue as a Redis list named after it and its bindings in two sets per exchange
    (Celery gives each of these queues a direct exchange of the same name)."""
    if not redis_url or not queues:
        return
    import redis

    with contextlib.suppress(redis.RedisError):
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=2)
        for queue in queues:
            client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        client.close()


@contextlib.contextmanager
def running_celery_worker(**kwargs) -> Iterator[subprocess.Popen]:
    """`start_celery_worker(**kwargs)` for the duration of a `with` block, stopped whatever happens."""
    proc = start_celery_worker(**kwargs)
    try:
        yield proc
    finally:
        stop_worker(proc)


@contextlib.contextmanager
def celery_sends_to(*, broker_url: str, queue: str):
    """Make this (test) process send tasks for real: to `broker_url`, queue `queue`, not eagerly.

    The portal's Celery app reads Django settings at each use, but values written to `app.conf` itself
    (its "changes" layer — e.g. left behind by `monkeypatch.setitem(app.conf, ...)`, whose undo writes the
    old value back into that layer) shadow the settings for the rest of the process. So the three values
    are set in both places, and the app's cached broker connections and queue table are dropped on the
    way in and on the way out. Tasks sent inside the block (`task.delay()`, `transaction.on_commit(...)`
    included) reach the test's worker; afterwards everything is as it was (eager again under test settings).
    """
    from django.test import override_settings

    from portal.celery import app

    wanted = {"broker_url": broker_url, "task_always_eager": False, "task_default_queue": queue}
    app.conf.broker_url  # noqa: B018 — loads the configuration, so `changes` is the real layer
    changes = app.conf.changes
    saved = {key: changes[key] for key in wanted if key in changes}
    with override_settings(
        CELERY_BROKER_URL=broker_url, CELERY_TASK_ALWAYS_EAGER=False, CELERY_TASK_DEFAULT_QUEUE=queue
    ):
        _forget_broker_state(app)
        changes.update(wanted)
        try:
            yield app
        finally:
            for key in wanted:
                changes.pop(key, None)
            changes.update(saved)
            _forget_broker_state(app)


def _forget_broker_state(app) -> None:
    import kombu.pools

    kombu.pools.reset()
    app._pool = None
    app.__dict__.pop("amqp", None)


def wait_for(condition, *, timeout: float, interval: float = 0.1, message: str = "condition"):
    """Poll `condition()` until it returns something truthy (returned) or `timeout` s pass (AssertionError)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{message}: not true after {timeout:.0f} s")
        time.sleep(interval)


class PrivateRedis:
    """A `redis-server` of the test's own on a free port, without persistence: a test may stop it (an outage)
    and start it again on the same port. The shared Redis on 6379 is never touched. Skips (fails under
    REQUIRE_SERVICES=1) without `redis-server` on PATH."""

    def __init__(self):
        need(shutil.which("redis-server") is not None, "redis-server is not on PATH (apt-get install -y redis-server)")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self):
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
        )
        import redis

        def answers():
            try:
                return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
            except redis.RedisError:
                return False

        wait_for(answers, timeout=10, message=f"redis-server on port {self.port}")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None


class PrivateSentinel:
    """One Redis Sentinel (`redis-server --sentinel`) of the test's own, watching `master` under `name`.
    Its config file lives in a temporary directory (Sentinel rewrites it)."""

    def __init__(self, master: PrivateRedis, name: str = "portal-test"):
        need(shutil.which("redis-server") is not None, "redis-server is not on PATH (apt-get install -y redis-server)")
        self.master, self.name = master, name
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self._dir = tempfile.TemporaryDirectory(prefix="sentinel-")

    def url(self, db: int = 0) -> str:
        return f"sentinel://127.0.0.1:{self.port}/{db}?master={self.name}"

    def start(self):
        config = Path(self._dir.name) / "sentinel.conf"
        config.write_text(
            f"port {self.port}\nbind 127.0.0.1\ndaemonize no\n"
            f"sentinel monitor {self.name} 127.0.0.1 {self.master.port} 1\n"
        )
        self.proc = subprocess.Popen(
            ["redis-server", str(config), "--sentinel"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
        )
        import redis

        def knows_the_master():
            try:
                sentinel = redis.Redis(port=self.port, socket_connect_timeout=0.5)
                return sentinel.execute_command("SENTINEL", "get-master-addr-by-name", self.name)
            except redis.RedisError:
                return False

        wait_for(knows_the_master, timeout=10, message=f"redis sentinel on port {self.port}")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None
        self._dir.cleanup()
