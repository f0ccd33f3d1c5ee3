from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from accounts import services
from accounts.capabilities import Capability, has_capability
from cabinets.access import capability_required
from cabinets.forms import ProfileForm
from portal.exceptions import ApplicationError
from projects.selectors import cabinet_projects_for


def home(request):
    """`/`: the login page for visitors, the right cabinet for everyone else."""
    user = request.user
    if not user.is_authenticated:
        return redirect("account_login")
    if has_capability(user, Capability.USE_STAFF_CABINET):
        return redirect("staff:dashboard")
    project = cabinet_projects_for(user).first()
    if project is not None:
        return redirect("cabinet:dashboard", project_slug=project.slug)
    return render(request, "cabinets/no_project.html", status=200)


@require_POST
def set_language(request):
    """Language switcher: remembered on the user for signed-in people, in a cookie for visitors."""
    if request.user.is_authenticated:
        try:
            services.user_set_language(user=request.user, language=request.POST.get("language", ""))
        except ApplicationError as exc:
            messages.error(request, exc.message)
    return django_set_language(request)


@capability_required()
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=request.user, actor=request.user, data=form.cleaned_data)
        messages.success(request, _("Profile saved."))
        return redirect("profile")
    return render(request, "cabinets/profile/edit.html", {"form": form})
