from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.capabilities import Capability
from cabinets.access import capability_required
from projects.selectors import project_members


@capability_required(Capability.USE_PROJECT_CABINET)
@require_safe
def dashboard(request):
    project = request.project
    return render(
        request,
        "cabinets/rep/dashboard.html",
        {"project": project, "members": project_members(project=project)},
    )
