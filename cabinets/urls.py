from django.urls import include, path

from cabinets.views import audit, common, rep, staff

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
        path("audit/", audit.audit_list, name="audit"),
        path("audit/export/", audit.audit_export, name="audit_export"),
        path("audit/<int:pk>/", audit.audit_detail, name="audit_detail"),
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
