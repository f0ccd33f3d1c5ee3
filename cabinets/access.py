"""The HTTP half of the one access policy (STYLE.md rule 4): the decorator, the mixin, `deny()` and the
project named in a cabinet URL. Which role may do what is the domain half, `accounts/capabilities.py`;
which projects a user may see is `projects/selectors.py`.

Representatives are scoped to their projects: a project they are not a member of does not exist for them
(404); a capability their role lacks is a 403; inside a project a *viewer* may read and not write (every
POST of the project's cabinet is a 403 for them); an anonymous visitor is sent to the login page. Every
denial goes through `deny()`, so the audit journal records it in one place — a view whose selector finds
nothing for the user calls `deny(request, status=404)` too, never `raise Http404` itself.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.module_loading import import_string

from accounts.capabilities import Capability, has_capability
from projects.selectors import cabinet_membership


def journal_denial(request, *, status: int, reason: str = "") -> None:
    """Hand a refusal to PORTAL_ACCESS_DENIED_HOOK (the audit journal): `deny()` and the error pages call it."""
    hook = getattr(settings, "PORTAL_ACCESS_DENIED_HOOK", None)
    if hook:
        import_string(hook)(request=request, status=status, reason=reason)


def deny(request, *, status: int, reason: str = ""):
    """Raise the response the policy wants: 404 hides someone else's object, 403 a missing capability."""
    journal_denial(request, status=status, reason=reason)
    if status == 404:
        raise Http404(reason)
    raise PermissionDenied(reason)


def found_or_deny(request, obj, *, reason: str = "not found"):
    """`obj` from a selector, or the audited 404 when the selector found nothing for this user."""
    if obj is None:
        deny(request, status=404, reason=reason)
    return obj


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def project_for(request, slug: str, *, acting: bool = False):
    """The project named in a cabinet URL, if the user works in it; anything else is a 404.

    Sets `request.project_right` and `request.can_act` (templates show action buttons only when it is
    true); a viewer's state-changing request is refused here, for every view of the cabinet at once — and
    any request at all to an `acting` page (a form whose only use is to change something)."""
    membership = found_or_deny(request, cabinet_membership(user=request.user, slug=slug), reason="project not found")
    request.project_right = membership.right
    request.can_act = membership.can_act
    if (acting or request.method not in SAFE_METHODS) and not membership.can_act:
        deny(request, status=403, reason="viewer of the project")
    return membership.project


def check(request, capabilities: tuple[Capability, ...], kwargs: dict, *, acting: bool = False) -> None:
    """Apply the policy to one request: login, every capability, then project scope (`project_slug` kwarg)."""
    if not request.user.is_authenticated:
        raise _LoginRequired
    for capability in capabilities:
        if not has_capability(request.user, capability):
            deny(request, status=403, reason=f"missing capability {capability}")
    if "project_slug" in kwargs:
        request.project = project_for(request, kwargs.pop("project_slug"), acting=acting)


class _LoginRequired(Exception):
    pass


def _as_tuple(capabilities) -> tuple[Capability, ...]:
    return tuple(c for c in capabilities if c is not None)


def capability_required(*capabilities: Capability | None, acting: bool = False):
    """The one decorator: `@capability_required(Capability.VIEW_AUDIT, Capability.EXPORT_ALL)` — all of them.

    With a `project_slug` URL kwarg the view receives `request.project`, already scoped to the user.
    No capability (or `None`) means "any signed-in user" (profile, notifications). `acting=True` marks a
    project cabinet page that exists only to change something (an edit form): a viewer of the project is
    refused its GET too, not only its POST.
    """
    required = _as_tuple(capabilities)

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                check(request, required, kwargs, acting=acting)
            except _LoginRequired:
                return redirect_to_login(request.get_full_path())
            return view(request, *args, **kwargs)

        wrapped.portal_capabilities = required
        wrapped.portal_acting = acting
        return wrapped

    return decorator


class CapabilityRequiredMixin:
    """The one mixin, for class-based views: `capabilities = (Capability.X, ...)`; empty means any signed-in user."""

    capabilities: tuple[Capability, ...] = ()
    acting = False  # as `capability_required(..., acting=True)`: a viewer is refused the page's GET too

    def dispatch(self, request, *args, **kwargs):
        try:
            check(request, _as_tuple(self.capabilities), kwargs, acting=self.acting)
        except _LoginRequired:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)
