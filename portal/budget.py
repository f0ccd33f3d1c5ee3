"""The product brief's performance budget, in one place: the query-budget tests (tests/conftest.py,
`page_queries`) and `make bench` both read it."""

# Every cabinet page makes at most this many SQL queries, and the same number with one row as with hundreds.
MAX_QUERIES_PER_PAGE = 12
# A list page's p50 may take at most this multiple of its bare view (the same query, no templates).
MAX_BARE_RATIO = 2.0
# Server time of a page at p95 on the large benchmark dataset, in milliseconds.
MAX_P95_MS = 100
