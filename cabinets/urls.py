from django.urls import include, path

from cabinets.views import audit, common, files, invitations, notifications, rep, staff, staff_projects

rep_patterns = (
    [
        path("<slug:project_slug>/", rep.dashboard, name="dashboard"),
        path("<slug:project_slug>/project/", rep.project_card, name="project"),
        path("<slug:project_slug>/project/edit/", rep.project_card_edit, name="project_edit"),
    ],
    "cabinet",
)

notification_patterns = (
    [
        path("", notifications.notification_list, name="list"),
        path("bell/", notifications.bell, name="bell"),
        path("<int:pk>/read/", notifications.mark_read, name="mark_read"),
        path("read-all/", notifications.mark_all_read, name="mark_all_read"),
        path("preferences/", notifications.preferences, name="preferences"),
    ],
    "notifications",
)

staff_patterns = (
    [
        path("", staff.dashboard, name="dashboard"),
        path("projects/", staff.projects, name="projects"),
        path("projects/new/", staff_projects.project_create, name="project_create"),  # before <slug>: "new" is reserved
        path("projects/<slug:slug>/", staff.project_detail, name="project_detail"),
        path("projects/<slug:slug>/edit/", staff_projects.project_edit, name="project_edit"),
        path(
            "projects/<slug:slug>/deactivate/",
            staff_projects.project_set_active,
            {"active": False},
            name="project_deactivate",
        ),
        path(
            "projects/<slug:slug>/activate/",
            staff_projects.project_set_active,
            {"active": True},
            name="project_activate",
        ),
        path("projects/<slug:slug>/curators/grant/", staff_projects.curator_grant, name="project_curator_grant"),
        path("projects/<slug:slug>/curators/revoke/", staff_projects.curator_revoke, name="project_curator_revoke"),
        path("audit/", audit.audit_list, name="audit"),
        path("audit/export/", audit.audit_export, name="audit_export"),
        path("audit/<int:pk>/", audit.audit_detail, name="audit_detail"),
        path("email-delivery/", notifications.email_delivery, name="email_delivery"),
        path("email-delivery/resend/", notifications.email_resend, name="email_resend"),
    ],
    "staff",
)

urlpatterns = [
    path("", common.home, name="home"),
    path("profile/", common.profile, name="profile"),
    path("i18n/setlang/", common.set_language, name="set_language"),
    path("projects/<slug:slug>/logo/", files.project_logo, name="project_logo"),
    path("invitation/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path("cabinet/", include(rep_patterns)),
    path("staff/", include(staff_patterns)),
    path("notifications/", include(notification_patterns)),
]
