"""Reads of the marketplace (STYLE.md rule 2): each returns only what the user may see.

Sections: the owner's lots; moderation; the marketplace, responses and deals. Which projects a user may
see is `projects.selectors.projects_for(user)`; a project's cabinet is `request.project`.
"""

from __future__ import annotations

# --- the owner's lots (cabinet: /cabinet/<slug>/lots/) ----------------------------------------------------


# --- moderation (staff: /staff/lots/) ---------------------------------------------------------------------


# --- the marketplace, responses and deals (cabinet: market/, deals/) --------------------------------------
