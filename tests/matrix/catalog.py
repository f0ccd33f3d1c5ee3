"""Representative → Project catalog: every page is inside the project's cabinet (project A's here); the
catalog itself is ecosystem-wide, so project B's card is open to project A's people."""

from tests.matrix import Entry, project_a_cabinet


def _in_a(world):
    return {"project_slug": world.project_a.slug}


ENTRIES = {
    "cabinet:catalog": Entry(project_a_cabinet(), kwargs=_in_a),
    "cabinet:catalog_project": Entry(
        project_a_cabinet(),
        kwargs=lambda w: {"project_slug": w.project_a.slug, "slug": w.project_b.slug},
        note="another project's card: the catalog is ecosystem-wide",
    ),
    "cabinet:catalog_export": Entry(project_a_cabinet(), kwargs=_in_a, data={"format": "xlsx"}),
    "cabinet:catalog_brochure": Entry(project_a_cabinet(), kwargs=_in_a, note="built eagerly in tests: the PDF"),
}
