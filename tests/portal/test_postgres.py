"""The PostgreSQL pass of the suite really runs on PostgreSQL, with the guarantees later code relies on:
a transaction is invisible to other connections until it commits, and `select_for_update` locks rows
(the quota of a lot is kept with row locks).

Run with DATABASE_URL=postgres://...; without it these tests skip (fail under REQUIRE_SERVICES=1).
"""

import pytest
from django.db import OperationalError, connection, connections, transaction

from projects.models import Project
from tests.conftest import need

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _on_postgresql():
    need(
        connection.vendor == "postgresql",
        f"the suite's database is {connection.vendor}; set DATABASE_URL=postgres://... to run PostgreSQL tests",
    )


@pytest.fixture
def other_connection():
    """A second, independent session to the same test database — what another gunicorn worker would hold."""
    other = connections.create_connection("default")
    yield other
    other.close()


def count_projects_seen_by(conn, slug: str) -> int:
    with conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM projects_project WHERE slug = %s", [slug])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_suite_database_is_postgresql():
    assert connection.vendor == "postgresql"
    assert connection.settings_dict["NAME"].startswith("test_"), "pytest-django must use its own test database"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 150000


@pytest.mark.django_db(transaction=True)
def test_uncommitted_rows_are_invisible_to_another_connection(other_connection):
    with transaction.atomic():
        Project.objects.create(name="Isolated", slug="isolated")
        assert count_projects_seen_by(connection, "isolated") == 1
        assert count_projects_seen_by(other_connection, "isolated") == 0

    assert count_projects_seen_by(other_connection, "isolated") == 1


@pytest.mark.django_db(transaction=True)
def test_rolled_back_rows_never_reach_another_connection(other_connection):
    with pytest.raises(RuntimeError), transaction.atomic():
        Project.objects.create(name="Doomed", slug="doomed")
        raise RuntimeError("roll back")

    assert count_projects_seen_by(connection, "doomed") == 0
    assert count_projects_seen_by(other_connection, "doomed") == 0


@pytest.mark.django_db(transaction=True)
def test_select_for_update_locks_the_row_against_another_connection(other_connection):
    project = Project.objects.create(name="Locked", slug="locked")

    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)
        with pytest.raises(OperationalError, match="could not obtain lock"), other_connection.cursor() as cursor:
            cursor.execute("SELECT id FROM projects_project WHERE id = %s FOR UPDATE NOWAIT", [project.pk])

    # Once the first transaction has committed, the lock is gone.
    with other_connection.cursor() as cursor:
        cursor.execute("SELECT id FROM projects_project WHERE id = %s FOR UPDATE NOWAIT", [project.pk])
        assert cursor.fetchone()[0] == project.pk
