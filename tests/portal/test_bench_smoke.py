"""`make bench` keeps working: the command builds the small dataset into a temporary SQLite file and
reports every registered page, with its bare and admin rows, each answering 200."""

import json
import os
import subprocess
import sys

from django.conf import settings

from portal.bench import registry


def test_bench_command_times_every_registered_page(tmp_path):
    registry.discover()
    pages = registry.pages()
    assert pages, "no bench page is registered"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.bench",
        "BENCH_DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}",
    }
    env.pop("DATABASE_URL", None)
    results_file = tmp_path / "results.json"
    completed = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "bench",
            "--size",
            "small",
            "--requests",
            "2",
            "--warmup",
            "1",
            "--json",
            str(results_file),
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=400,  # the small dataset builds in under a minute; under a loaded parallel run, much longer
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    output = completed.stdout
    assert "page" in output and "p95 ms" in output and "queries" in output, output
    assert (tmp_path / "bench.sqlite3").exists(), "the bench must use the database it was given"

    results = {entry["page"]: entry for entry in json.loads(results_file.read_text())["pages"]}
    for page in pages:
        assert page.name in output, f"{page.name} missing from the table:\n{output}"
        rows = {row["kind"]: row for row in results[page.name]["rows"]}
        declared = {"bare": page.bare, "admin": page.admin, "one row": page.one_row_url}
        expected_kinds = {"page"} | {kind for kind, value in declared.items() if value is not None}
        assert set(rows) == expected_kinds, (page.name, sorted(rows))
        for kind, row in rows.items():
            assert row["status"] == 200, f"{page.name} [{kind}] {row['url']}: {row['status']} {row['error']}"
            assert isinstance(row["queries"], int) and row["queries"] > 0, (page.name, kind, row)
            if kind != "one row":
                assert row["p95_ms"] is not None and row["requests"] == 2, (page.name, kind, row)


def _datasets(*specs):
    from portal.bench.registry import Dataset

    return [
        Dataset(name=name, build=lambda *, size: {}, order=order, version=version, module="t")
        for name, order, version in specs
    ]


def _state(*specs, size="large"):
    return {
        name: {"size": size, "version": version, "built_at": "", "seconds": 0, "counts": {}} for name, version in specs
    }


def test_bench_reuses_what_is_built_and_adds_a_new_dataset_at_the_end():
    from portal.bench.loading import plan_build

    registered = _datasets(("projects", 10, 1), ("auditlog", 50, 1))
    plan = plan_build(registered, _state(("projects", 1)), size="large", rebuild=False)
    assert not plan.full_rebuild
    assert [d.name for d in plan.to_build] == ["auditlog"]
    assert [d.name for d in plan.reused] == ["projects"]


def test_bench_starts_over_when_a_built_dataset_no_longer_matches():
    from portal.bench.loading import plan_build

    registered = _datasets(("projects", 10, 2), ("offers", 20, 1), ("auditlog", 50, 1))
    built = _state(("projects", 2), ("auditlog", 1))
    assert plan_build(registered, built, size="large", rebuild=False).full_rebuild  # offers sorts before auditlog
    assert plan_build(registered, built, size="small", rebuild=False).full_rebuild  # another size
    assert plan_build(registered, _state(("projects", 1)), size="large", rebuild=False).full_rebuild  # new version
    assert plan_build(registered[:1], _state(("projects", 2)), size="large", rebuild=True).full_rebuild
