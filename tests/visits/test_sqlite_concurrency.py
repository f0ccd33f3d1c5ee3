"""The quota under concurrent writers on SQLite in a file (`make run`'s database): one writer at a time, and
`visit_record` takes the write lock before it counts, so 160 clients for 100 places confirm exactly 100 —
with no "database is locked" on the way."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_twenty_threads_never_oversell_on_sqlite(tmp_path):
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("sqlite_hammer.py")), str(tmp_path / "hammer.sqlite3")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["confirmed"] == 100, report
    assert report["outcomes"].get("created") == 100, report
    assert set(report["outcomes"]) <= {"created", "quota_reached", "deal_completed"}, report
    assert report["violation"] is None
