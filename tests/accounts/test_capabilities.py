"""The capability table: which role may do what."""

from accounts.capabilities import ROLE_CAPABILITIES, Capability, has_capability
from accounts.models import Role, UserStatus


def test_every_role_has_a_capability_set():
    assert set(ROLE_CAPABILITIES) == set(Role.values)


def test_director_is_read_only():
    writes = {
        Capability.MANAGE_USERS,
        Capability.MANAGE_PROJECTS,
        Capability.MODERATE_LOTS,
        Capability.UPLOAD_REPORTS,
        Capability.RECORD_VISITS,
        Capability.EDIT_HELP,
    }
    assert not writes & ROLE_CAPABILITIES[Role.DIRECTOR]
    assert Capability.EXPORT_ALL in ROLE_CAPABILITIES[Role.DIRECTOR]


def test_blocked_admin_has_no_capability(admin):
    admin.status = UserStatus.BLOCKED
    assert not has_capability(admin, Capability.MANAGE_USERS)
