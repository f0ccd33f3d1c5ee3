"""Run by test_sqlite_concurrency.py in a subprocess: 20 threads record 30 clients each on a lot with quota 100,
against a SQLite database in a file (the embedded default `make run` uses), with the WAL and busy timeout of
portal.settings.base. Prints one JSON line: the outcomes and what the database holds."""

import json
import os
import sys
import threading
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{sys.argv[1]}"
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

settings.DATABASES["default"]["OPTIONS"] = {
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
connections.close_all()
call_command("migrate", verbosity=0)

from accounts.models import Role  # noqa: E402
from offers import services as offers  # noqa: E402
from tests.factories import MembershipFactory, ProjectFactory, UserFactory  # noqa: E402
from tests.offers.conftest import lot_terms  # noqa: E402
from visits import checks, services  # noqa: E402
from visits.models import Visit, VisitStatus  # noqa: E402

owner, partner = ProjectFactory(slug="owner"), ProjectFactory(slug="partner")
owner_rep, partner_rep = UserFactory(email="o@x.example"), UserFactory(email="p@x.example")
MembershipFactory(user=owner_rep, project=owner)
MembershipFactory(user=partner_rep, project=partner)
moderator = UserFactory(email="m@x.example", role=Role.MODERATOR)
lot = offers.lot_create(project=owner, actor=owner_rep, data=lot_terms(quota=100))
offers.lot_submit(lot=lot, actor=owner_rep)
offers.lot_approve(lot=lot, actor=moderator)
response = offers.response_submit(lot=lot, project=partner, actor=partner_rep, data={"channels": "posters"})
deal = offers.response_accept(response=response, actor=owner_rep)
connections.close_all()

THREADS, EACH = 20, 8
barrier = threading.Barrier(THREADS)
outcomes, guard = [], threading.Lock()


def caller(n):
    try:
        barrier.wait()
        for attempt in range(EACH):
            try:
                services.visit_record(
                    code=deal.code, client_phone=f"+7916{n:03d}{attempt:04d}", source="api", owner=owner
                )
                outcome = "created"
            except services.VisitRefused as refused:
                outcome = refused.code
            except Exception as error:  # a "database is locked" would land here
                outcome = f"error: {error}"
            with guard:
                outcomes.append(outcome)
    finally:
        connections.close_all()


threads = [threading.Thread(target=caller, args=(n,)) for n in range(THREADS)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(
    json.dumps(
        {
            "outcomes": {o: outcomes.count(o) for o in set(outcomes)},
            "confirmed": Visit.objects.filter(lot=lot, status=VisitStatus.CONFIRMED).count(),
            "violation": checks.first_violation(),
        }
    )
)
