from django.urls import include, path

from cabinets.views import audit, catalog, common, files, notifications, rep, staff

rep_patterns = (
    [
        path("<slug:project_slug>/", rep.dashboard, name="dashboard"),
        path("<slug:project_slug>/catalog/", catalog.catalog, name="catalog"),
        path("<slug:project_slug>/catalog/<slug:slug>/", catalog.catalog_project, name="catalog_project"),
        # Beside the catalog, not inside it: a project's slug may be any word ("export", "brochure").
        path("<slug:project_slug>/catalog-export/", catalog.catalog_export, name="catalog_export"),
        path("<slug:project_slug>/catalog-brochure/", catalog.catalog_brochure, name="catalog_brochure"),
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
    path("cabinet/", include(rep_patterns)),
    path("staff/", include(staff_patterns)),
    path("notifications/", include(notification_patterns)),
]
