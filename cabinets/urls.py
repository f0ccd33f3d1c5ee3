from django.urls import include, path

from cabinets.views import audit, common, files, invitations, notifications, people, rep, staff

rep_patterns = (
    [
        path("<slug:project_slug>/", rep.dashboard, name="dashboard"),
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
        path("projects/<slug:slug>/", staff.project_detail, name="project_detail"),
        path("users/", people.user_list, name="users"),
        path("users/export/", people.user_export, name="users_export"),
        path("users/invite/", people.user_invite, name="user_invite"),
        path("users/<int:pk>/", people.user_detail, name="user_detail"),
        path("users/<int:pk>/edit/", people.user_edit, name="user_edit"),
        path("users/<int:pk>/projects/", people.user_projects, name="user_projects"),
        path("users/<int:pk>/block/", people.user_block, name="user_block"),
        path("users/<int:pk>/unblock/", people.user_unblock, name="user_unblock"),
        path("users/<int:pk>/resend/", people.user_resend, name="user_resend"),
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
