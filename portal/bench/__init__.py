"""`make bench`: build a large dataset once, then time every cabinet page against its budget.

The budget (product brief, `portal/budget.py`): every cabinet page makes at most 12 SQL queries, the same
number with one row as with hundreds (no N+1), answers in p95 <= 100 ms of server time on the large dataset,
and a list page's p50 stays within 2x its bare view's (the `x bare` column). Each page is
timed in-process with the Django test client, beside a *bare* view doing the same main query with none of
the page's templates, and beside the Django admin changelist of the same model, in the same run.

    make bench                                   # large: ~200 projects, 20k lots, 100k deals, 1M visits...
    make bench BENCH_ARGS="--size small --requests 5"     # a quick check (its own file, bench-small.sqlite3)
    make bench BENCH_ARGS="--only staff --rebuild"
    BENCH_DATABASE_URL=postgres://... make bench          # the same on PostgreSQL

Options of `manage.py bench`: `--size small|large` (default large), `--requests N` (timed requests per
row, default 30), `--warmup N` (default 3), `--only SUBSTRING` (pages whose name contains it),
`--rebuild`, `--database-file PATH` (SQLite), `--json PATH` (results for machines), `--sql` (the queries
of each counted request), `--list`.
The exit code is 0 even when a budget is exceeded: it is a report; the violations are listed at the end.

Adding to it — the stable API
-----------------------------
Each app puts its registrations in its own `<app>/bench.py`; the runner imports `<app>.bench` for every
installed app of this repository. Two calls:

`@dataset(name, order=100, version=1)` registers `build(*, size)`, which inserts the rows of one dataset
and returns a dict of counts for the report. `size` is "small" (CI smoke: seconds) or "large" (the
target); pick numbers with `by_size(size, small=..., large=...)`. Builders run in `order` (the
`projects` dataset, with the users and projects everyone else uses, is order 10), each in one transaction,
with SQLite's journal and fsync off; ANALYZE runs afterwards. A dataset is built once per database and
reused: the `bench_dataset` table records its name, size and version. Bump `version` when the builder
changes; that, `--rebuild`, another `--size`, or a new dataset sorting before one already built, starts
the database over (on SQLite the file is deleted, so a builder never has to clean up). Insert with
`insert_rows(table, columns, rows)` (raw executemany on SQLite, COPY on PostgreSQL: millions of rows; rows
is any iterable of tuples, datetimes must be aware) or `bulk_create_in_batches(Model, objects)` (tens of
thousands, through the ORM). Read the ids of earlier datasets from the database; keep the data
deterministic (`random.Random(<seed>)`).

`page(name, *, url, persona, bare=None, admin=None, one_row_url=None)` registers a cabinet page.
`url()` returns its path and `persona()` the user who opens it (both run after the build;
`portal.bench.personas` has the fixed accounts and projects). `bare(request, **url_kwargs)` is a plain
function returning an `HttpResponse` of the same main query (the first 50 rows' names, say) without the
portal's templates; it is mounted at `/__bench__/bare/<slug>/` by `portal/bench/urls.py`, bench settings
only, gets the page URL's kwargs, and is timed as the same persona. `admin` is the URL name of the
admin changelist of the same model (or a callable returning a full path, e.g. with a filter); it is
timed as the admin persona. `one_row_url()`, if given, returns the same page showing a single row: its
query count must equal the page's, or the report flags an N+1.

A complete example (`auditlog/bench.py`)::

    import datetime as dt
    import random

    from django.http import HttpResponse
    from django.urls import reverse

    from auditlog.models import AuditEvent
    from portal.bench import by_size, dataset, insert_rows, page, personas


    @dataset("auditlog", order=50)
    def build(*, size):
        from accounts.models import User
        from projects.models import Project

        n = by_size(size, small=5_000, large=1_000_000)
        project_ids = list(Project.objects.values_list("id", flat=True))
        actor_ids = list(User.objects.values_list("id", flat=True))
        rng = random.Random(50)
        start = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
        rows = (
            (rng.choice(actor_ids), rng.choice(project_ids), "offers.lot.approved",
             {"status": ["draft", "approved"]}, start + dt.timedelta(seconds=30 * i))
            for i in range(n)
        )
        columns = ["actor_id", "project_id", "event", "changes", "created_at"]
        return {"audit events": insert_rows(AuditEvent._meta.db_table, columns, rows)}


    def bare_journal(request):
        codes = AuditEvent.objects.order_by("-created_at").values_list("event", flat=True)[:50]
        return HttpResponse("\\n".join(codes), content_type="text/plain")


    page(
        "staff: audit journal",
        url=lambda: reverse("staff:audit"),
        persona=personas.director,
        bare=bare_journal,
        admin="admin:auditlog_auditevent_changelist",
    )

and a page inside a project's cabinet, whose bare view receives `project_slug` like the page::

    page(
        "rep: lots",
        url=lambda: reverse("cabinet:lots", kwargs={"project_slug": personas.MAIN_PROJECT_SLUG}),
        one_row_url=lambda: reverse("cabinet:lots", kwargs={"project_slug": personas.SOLO_PROJECT_SLUG}),
        persona=personas.rep,
        bare=lambda request, project_slug: HttpResponse(
            "\\n".join(Lot.objects.filter(project__slug=project_slug).values_list("title", flat=True)[:50])
        ),
        admin="admin:offers_lot_changelist",
    )

Registration has no side effect but filling the registry: no queries at import time.
"""

from portal.bench import personas
from portal.bench.loading import bulk_create_in_batches, by_size, insert_rows
from portal.bench.registry import SIZES, dataset, page
from portal.budget import MAX_P95_MS
from portal.budget import MAX_QUERIES_PER_PAGE as MAX_QUERIES

__all__ = [
    "MAX_P95_MS",
    "MAX_QUERIES",
    "SIZES",
    "bulk_create_in_batches",
    "by_size",
    "dataset",
    "insert_rows",
    "page",
    "personas",
]
