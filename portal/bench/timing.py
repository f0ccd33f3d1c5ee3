"""Timing pages in-process with the Django test client, and the report table."""

from __future__ import annotations

import gc
import math
import time
from dataclasses import asdict, dataclass, field
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from portal.bench.registry import Page
from portal.budget import MAX_BARE_RATIO, MAX_P95_MS
from portal.budget import MAX_QUERIES_PER_PAGE as MAX_QUERIES


@dataclass
class Measurement:
    page: str
    kind: str  # "page", "bare", "admin" or "one row"
    url: str
    status: int | str = ""
    queries: int | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    max_ms: float | None = None
    requests: int = 0
    error: str = ""
    sql: list[str] = field(default_factory=list)


@dataclass
class PageResult:
    page: Page
    rows: list[Measurement] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"page": self.page.name, "rows": [asdict(r) for r in self.rows], "violations": self.violations}


def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), q in [0, 1]."""
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    low = math.floor(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def _signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _get(client: Client, url: str):
    response = client.get(url)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    else:
        response.content  # noqa: B018 — a lazy body still has to be produced inside the timing
    response.close()
    return response


def _status(response) -> int | str:
    if 300 <= response.status_code < 400:
        return f"{response.status_code}->{response.get('Location', '?')}"
    return response.status_code


def measure(*, page_name: str, kind: str, url: str, user, warmup: int, requests: int) -> Measurement:
    """Warm up, count the SQL of one request, then time `requests` requests (query capture off)."""
    result = Measurement(page=page_name, kind=kind, url=url)
    try:
        client = _signed_in_client(user)
        for _ in range(max(warmup - 1, 0)):
            _get(client, url)
        with CaptureQueriesContext(connection) as captured:
            response = _get(client, url)
        result.queries = len(captured.captured_queries)
        result.sql = [q["sql"] for q in captured.captured_queries]
        result.status = _status(response)
        gc.collect()
        timings = []
        for _ in range(requests):
            began = time.perf_counter()
            response = _get(client, url)
            timings.append((time.perf_counter() - began) * 1000)
            if response.status_code != 200:
                result.status = _status(response)
        result.requests = len(timings)
        if timings:
            result.p50_ms = percentile(timings, 0.50)
            result.p95_ms = percentile(timings, 0.95)
            result.max_ms = max(timings)
    except Exception as exc:
        result.status = "ERR"
        result.error = f"{type(exc).__name__}: {exc}"
    return result


def count_queries(*, page_name: str, url: str, user) -> Measurement:
    """The SQL of one warm request, untimed (the one-row side of the N+1 comparison)."""
    return measure(page_name=page_name, kind="one row", url=url, user=user, warmup=2, requests=0)


def bare_url(page: Page, page_url: str) -> str:
    """The bare view gets the page URL's own kwargs (`project_slug=...`) as its keyword arguments."""
    kwargs = resolve(page_url.split("?", 1)[0]).kwargs
    url = reverse("bench_bare", kwargs={"page_slug": page.slug})
    return f"{url}?{urlencode(kwargs)}" if kwargs else url


def admin_url(page: Page) -> str:
    target = page.admin() if callable(page.admin) else page.admin
    return target if target.startswith("/") else reverse(target)


def run_page(page: Page, *, admin_user, warmup: int, requests: int) -> PageResult:
    result = PageResult(page=page)
    try:
        user = page.persona()
        url = page.url()
    except Exception as exc:
        failed = Measurement(page=page.name, kind="page", url="?", status="ERR", error=f"{type(exc).__name__}: {exc}")
        result.rows.append(failed)
        result.violations.append(f"{page.name}: cannot prepare the page ({failed.error})")
        return result

    main = measure(page_name=page.name, kind="page", url=url, user=user, warmup=warmup, requests=requests)
    result.rows.append(main)
    if page.bare is not None:
        result.rows.append(
            measure(
                page_name=page.name, kind="bare", url=bare_url(page, url), user=user, warmup=warmup, requests=requests
            )
        )
    if page.admin is not None:
        if admin_user is None:
            result.rows.append(
                Measurement(page=page.name, kind="admin", url="?", status="ERR", error="no active admin user")
            )
        else:
            try:
                target = admin_url(page)
            except Exception as exc:
                result.rows.append(Measurement(page=page.name, kind="admin", url="?", status="ERR", error=str(exc)))
            else:
                result.rows.append(
                    measure(
                        page_name=page.name, kind="admin", url=target, user=admin_user, warmup=warmup, requests=requests
                    )
                )

    if main.status != 200:
        result.violations.append(f"{page.name}: status {main.status} {main.error}".rstrip())
    if main.queries is not None and main.queries > MAX_QUERIES:
        result.violations.append(f"{page.name}: {main.queries} SQL queries (budget {MAX_QUERIES})")
    if main.p95_ms is not None and main.p95_ms > MAX_P95_MS:
        result.violations.append(f"{page.name}: p95 {main.p95_ms:.1f} ms (budget {MAX_P95_MS:.0f} ms)")
    for row in result.rows[1:]:
        if row.status != 200:
            result.violations.append(f"{page.name} [{row.kind}]: status {row.status} {row.error}".rstrip())

    if page.one_row_url is not None and main.queries is not None:
        try:
            small_url = page.one_row_url()
        except Exception as exc:
            result.violations.append(f"{page.name}: one_row_url failed ({type(exc).__name__}: {exc})")
        else:
            one_row = count_queries(page_name=page.name, url=small_url, user=user)
            result.rows.append(one_row)
            if one_row.status != 200:
                result.violations.append(f"{page.name} [one row]: status {one_row.status} {one_row.error}".rstrip())
            elif one_row.queries != main.queries:
                result.violations.append(
                    f"{page.name}: N+1? {main.queries} queries on the full page, {one_row.queries} with one row "
                    f"({small_url}); see --sql"
                )
    return result


# --- the report -----------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def bare_ratio(result: PageResult) -> float | None:
    """The page's p50 as a multiple of its bare view's p50 (the same query without the portal's templates)."""
    main = result.rows[0]
    bare = next((row for row in result.rows if row.kind == "bare"), None)
    if bare is None or not bare.p50_ms or main.p50_ms is None:
        return None
    return main.p50_ms / bare.p50_ms


def _flags(row: Measurement, main: Measurement, ratio: float | None = None) -> str:
    flags = []
    if row.kind == "page":
        if ratio is not None and ratio > MAX_BARE_RATIO:
            flags.append(f"×bare>{MAX_BARE_RATIO:g}")
        if row.queries is not None and row.queries > MAX_QUERIES:
            flags.append(f"queries>{MAX_QUERIES}")
        if row.p95_ms is not None and row.p95_ms > MAX_P95_MS:
            flags.append(f"p95>{MAX_P95_MS:.0f}ms")
    if row.kind == "one row" and row.queries is not None and row.queries != main.queries:
        flags.append("N+1")
    if row.status != 200:
        flags.append("status")
    return ("✗ " + ", ".join(flags)) if flags else ""


def format_table(results: list[PageResult]) -> str:
    """`page | row | p50 ms | p95 ms | × bare | queries | status | flags`, the bare/admin/one-row lines under
    each page; `× bare` is the page's p50 over its bare view's."""
    header = ("page", "row", "p50 ms", "p95 ms", "× bare", "queries", "status", "flags")
    groups = []
    for result in results:
        ratio = bare_ratio(result)
        groups.append(
            [
                (
                    result.page.name if index == 0 else "",
                    row.kind,
                    _ms(row.p50_ms),
                    _ms(row.p95_ms),
                    f"{ratio:.1f}" if index == 0 and ratio is not None else "",
                    "" if row.queries is None else str(row.queries),
                    str(row.status),
                    _flags(row, result.rows[0], ratio),
                )
                for index, row in enumerate(result.rows)
            ]
        )
    widths = [max([len(h)] + [len(line[i]) for group in groups for line in group]) for i, h in enumerate(header)]
    numeric = {2, 3, 4, 5}

    def fmt(cells) -> str:
        return " | ".join(
            c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    separator = "-+-".join("-" * w for w in widths)
    out = [fmt(header)]
    for group in groups:
        out.append(separator)
        out.extend(fmt(line) for line in group)
    return "\n".join(out)


def format_sql(results: list[PageResult]) -> str:
    """`--sql`: every query of the counted request of each row, to find where an N+1 comes from."""
    out = []
    for result in results:
        for row in result.rows:
            out.append(f"\n-- {row.page} [{row.kind}] {row.url}: {row.queries} queries")
            out.extend(f"{i:3d}. {sql}" for i, sql in enumerate(row.sql, start=1))
    return "\n".join(out)
