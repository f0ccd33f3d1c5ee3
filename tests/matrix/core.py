from tests.matrix import Entry, expect, project_a_cabinet, public, signed_in, staff_only

ENTRIES = {
    "healthz": Entry(public(200)),
    "home": Entry(
        expect(anonymous=302, rep_a=302, rep_b=302, moderator=302, admin=302, director=302),
        note="redirects each role to its cabinet",
    ),
    "profile": Entry(signed_in()),
    "set_language": Entry(public(302), method="post", data={"language": "en", "next": "/"}),
    "cabinet:dashboard": Entry(project_a_cabinet(), kwargs=lambda w: {"project_slug": w.project_a.slug}),
    "staff:dashboard": Entry(staff_only()),
    "staff:projects": Entry(staff_only()),
    "staff:project_detail": Entry(staff_only(), kwargs=lambda w: {"slug": w.project_a.slug}),
}


def _project_a_with_logo(world):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    world.project_a.logo = default_storage.save("projects/logos/matrix.png", ContentFile(b"\x89PNG\r\n\x1a\n"))
    world.project_a.save(update_fields=["logo"])
    return {"slug": world.project_a.slug}


ENTRIES["project_logo"] = Entry(signed_in(), kwargs=_project_a_with_logo, note="the catalog is ecosystem-wide")
