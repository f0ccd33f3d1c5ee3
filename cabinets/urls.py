from django.urls import include, path

from cabinets.views import common, rep, staff

rep_patterns = (
    [
        path("<slug:project_slug>/", rep.dashboard, name="dashboard"),
    ],
    "cabinet",
)

staff_patterns = (
    [
        path("", staff.dashboard, name="dashboard"),
        path("projects/", staff.projects, name="projects"),
        path("projects/<slug:slug>/", staff.project_detail, name="project_detail"),
    ],
    "staff",
)

urlpatterns = [
    path("", common.home, name="home"),
    path("profile/", common.profile, name="profile"),
    path("i18n/setlang/", common.set_language, name="set_language"),
    path("cabinet/", include(rep_patterns)),
    path("staff/", include(staff_patterns)),
]
