"""Staff → Users: every staff role reads the catalog, the export and a card; only administrators invite,
edit, set projects, block, unblock and resend (MANAGE_USERS) — the director and moderators get 403 on
every POST. The GET pages of those actions are checked for every persona in tests/cabinets/test_people.py."""

from tests.matrix import Entry, staff_only

ADMIN_ONLY = staff_only(moderator=403, admin=302, director=403)


def _rep_b(world):
    return {"pk": world.rep_b.pk}


def _with_two_factor(world):
    from allauth.mfa.models import Authenticator

    from tests.factories import UserFactory

    person = UserFactory(email="lost-phone@matrix.example")
    Authenticator.objects.create(user=person, type=Authenticator.Type.TOTP, data={})
    return {"pk": person.pk}


def _blocked(world):
    from accounts.models import UserStatus
    from tests.factories import UserFactory

    return {"pk": UserFactory(email="blocked@matrix.example", status=UserStatus.BLOCKED).pk}


def _invited(world):
    from accounts.models import UserStatus
    from tests.factories import UserFactory

    return {"pk": UserFactory(email="invited@matrix.example", status=UserStatus.INVITED, password=None).pk}


def _invitation(world):
    return {
        "email": "new@matrix.example",
        "first_name": "Nina",
        "last_name": "New",
        "phone": "",
        "role": "representative",
        "language": "ru",
        "time_zone": "Europe/Moscow",
        "projects-TOTAL_FORMS": "1",
        "projects-INITIAL_FORMS": "0",
        "projects-0-project": str(world.project_a.pk),
        "projects-0-right": "viewer",
    }


def _contacts_of_rep_b(world):
    rep = world.rep_b
    return {
        "email": rep.email,
        "first_name": rep.first_name,
        "last_name": rep.last_name,
        "phone": "+7 900 000-00-00",
        "role": rep.role,
        "language": rep.language,
        "time_zone": rep.time_zone,
    }


def _rights_of_rep_b(world):
    return {
        "projects-TOTAL_FORMS": "1",
        "projects-INITIAL_FORMS": "0",
        "projects-0-project": str(world.project_b.pk),
        "projects-0-right": "viewer",
    }


ENTRIES = {
    "staff:users": Entry(staff_only()),
    "staff:users_export": Entry(staff_only(), data={"format": "xlsx"}, note="streams an .xlsx file"),
    "staff:user_detail": Entry(staff_only(), kwargs=_rep_b),
    "staff:user_invite": Entry(ADMIN_ONLY, method="post", data=_invitation),
    "staff:user_edit": Entry(ADMIN_ONLY, kwargs=_rep_b, method="post", data=_contacts_of_rep_b),
    "staff:user_projects": Entry(ADMIN_ONLY, kwargs=_rep_b, method="post", data=_rights_of_rep_b),
    "staff:user_block": Entry(ADMIN_ONLY, kwargs=_rep_b, method="post", data={"reason": "Left the company"}),
    "staff:user_unblock": Entry(ADMIN_ONLY, kwargs=_blocked, method="post", data={"reason": "Came back"}),
    "staff:user_reset_two_factor": Entry(
        ADMIN_ONLY, kwargs=_with_two_factor, method="post", data={"reason": "Lost the phone"}
    ),
    "staff:user_resend": Entry(ADMIN_ONLY, kwargs=_invited, method="post", note="invited people only"),
}
