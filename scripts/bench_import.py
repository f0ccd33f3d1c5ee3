"""How fast the visits import is: 100 000 rows (10 deals × 10 000 clients over 90 days) through
`visits.imports.VisitImporter`, on a fresh database, with `check_ledger`'s checks afterwards.

    .venv/bin/python scripts/bench_import.py                      # SQLite, a file under /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/misty_bench .venv/bin/python scripts/bench_import.py
    .venv/bin/python scripts/bench_import.py --rows 20000 --xlsx  # an .xlsx workbook instead of a CSV

Prints one line per phase and the rows per second of the whole import (reading, checking twice, writing).
The PostgreSQL database is dropped and created again (test settings: its name must start with "misty_").
"""

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, default=100_000)
parser.add_argument("--deals", type=int, default=10)
parser.add_argument("--xlsx", action="store_true")
args = parser.parse_args()

os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench-import.sqlite3"
elif not os.environ["DATABASE_URL"].rsplit("/", 1)[-1].startswith("misty_"):
    sys.exit("refusing to drop a database whose name does not start with misty_")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

if connection.vendor == "postgresql":
    name = settings.DATABASES["default"]["NAME"]
    connection.close()
    with connections["default"]._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
else:
    settings.DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
connections.close_all()
call_command("migrate", verbosity=0)

from django.utils import timezone  # noqa: E402

from accounts.models import Role  # noqa: E402
from offers import codes  # noqa: E402
from offers import services as offers  # noqa: E402
from offers.models import Deal  # noqa: E402
from tests.factories import MembershipFactory, ProjectFactory, UserFactory  # noqa: E402
from tests.offers.conftest import lot_terms  # noqa: E402
from visits import checks  # noqa: E402
from visits.imports import VisitImporter  # noqa: E402
from visits.models import LedgerEntry, Visit  # noqa: E402

owner, partner = ProjectFactory(slug="owner"), ProjectFactory(slug="partner")
owner_rep, partner_rep = UserFactory(email="o@x.example"), UserFactory(email="p@x.example")
MembershipFactory(user=owner_rep, project=owner)
MembershipFactory(user=partner_rep, project=partner)
moderator = UserFactory(email="m@x.example", role=Role.MODERATOR)
per_deal = -(-args.rows // args.deals)
deals = []
for n in range(args.deals):
    lot = offers.lot_create(project=owner, actor=owner_rep, data=lot_terms(quota=per_deal, title=f"Lot {n}"))
    offers.lot_submit(lot=lot, actor=owner_rep)
    offers.lot_approve(lot=lot, actor=moderator)
    response = offers.response_submit(lot=lot, project=partner, actor=partner_rep, data={"channels": "posters"})
    deals.append(offers.response_accept(response=response, actor=owner_rep))
start = timezone.now() - dt.timedelta(days=91)
Deal.objects.filter(pk__in=[d.pk for d in deals]).update(created_at=start)

header = ["code", "client_phone", "visited_at", "check_amount", "points_spent", "external_id"]
lines = []
for i in range(args.rows):
    deal = deals[i % args.deals]
    moment = start + dt.timedelta(days=1, seconds=(i * 7777) % (89 * 86400))
    lines.append(
        [
            codes.display(deal.code),
            f"+7 9{i:09d}",
            moment.strftime("%Y-%m-%d %H:%M:%S%z"),
            f"{(i % 50) * 100 + 250}.50",
            str(i % 7),
            f"till-{i}",
        ]
    )
if args.xlsx:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(header)
    for row in lines:
        sheet.append(row)
    target = io.BytesIO()
    book.save(target)
    upload = SimpleUploadedFile("visits.xlsx", target.getvalue())
else:
    text = "\n".join(";".join(row) for row in [header, *lines]) + "\n"
    upload = SimpleUploadedFile("visits.csv", text.encode())
print(f"{connection.vendor}: {args.rows} rows, {args.deals} deals, file {len(upload) / 1e6:.1f} MB")

began = time.perf_counter()
if os.environ.get("PROFILE"):  # PROFILE=cumulative or tottime: where the time goes
    import cProfile
    import pstats

    profile = cProfile.Profile()
    result = profile.runcall(VisitImporter(actor=moderator).run, upload)
    pstats.Stats(profile).sort_stats(os.environ["PROFILE"]).print_stats(os.environ.get("PROFILE_MATCH", ""), 40)
else:
    result = VisitImporter(actor=moderator).run(upload)
took = time.perf_counter() - began
assert result.ok, result.errors[:5]
print(
    f"imported {result.created.created} visits, {LedgerEntry.objects.count()} ledger entries in {took:.1f} s: "
    f"{args.rows / took:,.0f} rows/s"
)
began = time.perf_counter()
again = VisitImporter(actor=moderator).run(upload)
print(f"the same file again: {again.created.skipped} skipped in {time.perf_counter() - began:.1f} s")
assert Visit.objects.count() == args.rows
violation = checks.first_violation()
print(f"check_ledger: {violation or 'consistent'}")
