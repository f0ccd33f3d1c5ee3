"""Projects: the representative's own project card, and the staff pages that change projects (administrators).

`ENTRIES` is the matrix (one request per URL name). `POSTS` are the state-changing requests of the URLs
whose matrix entry is their GET page: `tests/projects/test_post_matrix.py` walks them with every persona.
"""

from tests.matrix import LOGIN, Entry, expect, project_a_cabinet, staff_only

ADMINS_ONLY = staff_only(moderator=403, admin=200, director=403)


def _slug_a(world):
    return {"slug": world.project_a.slug}


def _project_a_cabinet(world):
    return {"project_slug": world.project_a.slug}


def _card_data(world):
    return {"description": "Evening hookah and board games", "audience": "Students", "average_check": "1500"}


def _staff_data(world):
    return {
        "name": world.project_a.name,
        "slug": world.project_a.slug,
        "category": "lounge",
        "client_points": "0",
        "description": "Edited by the matrix",
        "active": "on",
    }


def _new_project_data(world):
    return {"name": "Matrix Fitness", "slug": "matrix-fitness", "category": "fitness", "client_points": "0"}


ENTRIES = {
    "cabinet:project": Entry(project_a_cabinet(), kwargs=_project_a_cabinet, note="a viewer sees the card too"),
    "cabinet:project_edit": Entry(
        {**project_a_cabinet(), "viewer_a": 403},
        kwargs=_project_a_cabinet,
        note="an acting page: a viewer is refused its GET as well",
    ),
    "staff:project_create": Entry(ADMINS_ONLY, note="Capability.MANAGE_PROJECTS"),
    "staff:project_edit": Entry(ADMINS_ONLY, kwargs=_slug_a),
    "staff:project_deactivate": Entry(ADMINS_ONLY, kwargs=_slug_a, note="GET is the confirmation"),
    "staff:project_activate": Entry(ADMINS_ONLY, kwargs=_slug_a, note="GET is the confirmation"),
    "staff:project_curator_grant": Entry(
        staff_only(moderator=403, admin=302, director=403),
        kwargs=_slug_a,
        method="post",
        data=lambda w: {"user": w.moderator.pk},
    ),
    "staff:project_curator_revoke": Entry(
        staff_only(moderator=403, admin=302, director=403),
        kwargs=_slug_a,
        method="post",
        data=lambda w: {"user": w.curator.pk},
    ),
}

ADMINS_ONLY_POST = staff_only(moderator=403, admin=302, director=403)

POSTS = {
    "cabinet:project_edit": Entry(
        {**expect(LOGIN, 302, 404, 403, 403, 403), "viewer_a": 403},
        kwargs=_project_a_cabinet,
        method="post",
        data=_card_data,
    ),
    "staff:project_create": Entry(ADMINS_ONLY_POST, method="post", data=_new_project_data),
    "staff:project_edit": Entry(ADMINS_ONLY_POST, kwargs=_slug_a, method="post", data=_staff_data),
    "staff:project_deactivate": Entry(ADMINS_ONLY_POST, kwargs=_slug_a, method="post"),
    "staff:project_activate": Entry(ADMINS_ONLY_POST, kwargs=_slug_a, method="post"),
}
