from django.utils.functional import SimpleLazyObject

from accounts.capabilities import Capability
from projects.selectors import cabinet_projects_for


def cabinet(request):
    """What every cabinet page needs: the capabilities, the project switcher (lazy: one query only if shown)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    caps = getattr(request, "capabilities", frozenset())
    return {
        "caps": {c.value: (c in caps) for c in Capability},
        "current_project": getattr(request, "project", None),
        # In a project's cabinet: may the user act for the project (a manager) or only look (a viewer)?
        "can_act": getattr(request, "can_act", False),
        "project_right": getattr(request, "project_right", None),
        # The switcher shows a name and links a slug: the project cards (logos, texts) stay in the database.
        "switcher_projects": SimpleLazyObject(lambda: list(cabinet_projects_for(user).only("pk", "slug", "name"))),
    }
