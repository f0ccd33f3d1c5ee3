"""The overview table: project A's cabinet (a viewer reads and exports it too) and the staff page of every
project (every staff role reads; the export needs EXPORT_ALL, which every staff role has)."""

from offers import services
from tests.matrix import Entry, project_a_cabinet, staff_only
from tests.matrix.market import deal_of_a, project_c, published_lot


def _in_a_with_rows(world):
    """Project A's cabinet with a row on each side: project C's active deal on A's lot, A's pending response
    to C's lot."""
    project, manager = project_c()
    lot = published_lot(world.project_a, world.rep_a, world.moderator)
    response = services.response_submit(lot=lot, project=project, actor=manager, data={"channels": "Our counter"})
    services.response_accept(response=response, actor=world.rep_a)
    theirs = published_lot(project, manager, world.moderator)
    services.response_submit(lot=theirs, project=world.project_a, actor=world.rep_a, data={"channels": "Posts"})
    return {"project_slug": world.project_a.slug}


def _with_rows(world):
    deal_of_a(world)
    return {}


ENTRIES = {
    "cabinet:overview": Entry(project_a_cabinet(), kwargs=_in_a_with_rows),
    "cabinet:overview_export": Entry(project_a_cabinet(), kwargs=_in_a_with_rows, note="a viewer exports too"),
    "staff:overview": Entry(staff_only(), kwargs=_with_rows, note="Capability.VIEW_ALL_PROJECTS"),
    "staff:overview_export": Entry(staff_only(), kwargs=_with_rows, note="VIEW_ALL_PROJECTS and EXPORT_ALL"),
}
