"""The URL × role access matrix, split by area: every module here defines `ENTRIES = {url_name: Entry}`.

`tests/cabinets/test_access_matrix.py` walks the URLconf; a named URL with no entry fails the suite.
Statuses: an int, or LOGIN (302 to the login page with ?next=).

Two personas usually follow another one and need no column of their own: `viewer_a` (a viewer of project
A) expects what `rep_a` gets — except a state-changing request inside project A's cabinet, which is a 403
for a viewer, always; `curator` (a moderator curating project A) expects what `moderator` gets. Give either
explicitly where it differs.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

LOGIN = "login"
PERSONAS = ("anonymous", "rep_a", "viewer_a", "rep_b", "moderator", "curator", "admin", "director")
FOLLOWS = {"viewer_a": "rep_a", "curator": "moderator"}
STAFF = ("moderator", "admin", "director")


@dataclass(frozen=True)
class Entry:
    expect: dict[str, int | str]
    # URL kwargs, or a callable taking the World (personas, projects) and returning them;
    # a callable may create the objects the URL needs.
    kwargs: dict | Callable = field(default_factory=dict)
    method: str = "get"
    data: dict | Callable | None = None
    note: str = ""

    def __post_init__(self):
        missing = set(PERSONAS) - set(FOLLOWS) - set(self.expect)
        if missing:
            raise ValueError(f"entry lacks personas {sorted(missing)}")

    def expected(self, persona: str, *, url_name: str) -> int | str:
        if persona in self.expect:
            return self.expect[persona]
        if persona == "viewer_a" and self.method != "get" and url_name.startswith("cabinet:"):
            return 403 if self.expect["rep_a"] not in (404, LOGIN) else self.expect["rep_a"]
        return self.expect[FOLLOWS[persona]]


def expect(anonymous=LOGIN, rep_a=200, rep_b=200, moderator=200, admin=200, director=200):
    return {
        "anonymous": anonymous,
        "rep_a": rep_a,
        "rep_b": rep_b,
        "moderator": moderator,
        "admin": admin,
        "director": director,
    }


def signed_in(status=200, anonymous=LOGIN):
    """Any signed-in person; visitors go to the login page."""
    return expect(anonymous, status, status, status, status, status)


def public(status=200):
    return expect(status, status, status, status, status, status)


def project_a_cabinet(status=200):
    """A URL inside project A's cabinet: its representative only; project B's gets 404, staff 403."""
    return expect(LOGIN, status, 404, 403, 403, 403)


def staff_only(moderator=200, admin=200, director=200):
    return expect(LOGIN, 403, 403, moderator, admin, director)


def all_entries() -> dict[str, Entry]:
    merged: dict[str, Entry] = {}
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for name, entry in getattr(module, "ENTRIES", {}).items():
            if name in merged:
                raise ValueError(f"{name} is in the access matrix twice")
            merged[name] = entry
    return merged
