from django.urls import include, path

from cabinets.views import (
    access_requests,
    attachments,
    audit,
    catalog,
    common,
    files,
    invitations,
    lots,
    market,
    moderation,
    notifications,
    people,
    rep,
    staff,
    staff_projects,
    user_import,
)

rep_patterns = (
    [
        path("<slug:project_slug>/", rep.dashboard, name="dashboard"),
        path("<slug:project_slug>/project/", rep.project_card, name="project"),
        path("<slug:project_slug>/project/edit/", rep.project_card_edit, name="project_edit"),
        path("<slug:project_slug>/catalog/", catalog.catalog, name="catalog"),
        path("<slug:project_slug>/catalog/<slug:slug>/", catalog.catalog_project, name="catalog_project"),
        # Beside the catalog, not inside it: a project's slug may be any word ("export", "brochure").
        path("<slug:project_slug>/catalog-export/", catalog.catalog_export, name="catalog_export"),
        path("<slug:project_slug>/catalog-brochure/", catalog.catalog_brochure, name="catalog_brochure"),
        path("<slug:project_slug>/lots/", lots.lot_list, name="lots"),
        path("<slug:project_slug>/lots/new/", lots.lot_create, name="lot_create"),
        path("<slug:project_slug>/lots/budget/", lots.lot_budget, name="lot_budget"),
        path("<slug:project_slug>/lots/<int:pk>/", lots.lot_detail, name="lot_detail"),
        path("<slug:project_slug>/lots/<int:pk>/edit/", lots.lot_edit, name="lot_edit"),
        path(
            "<slug:project_slug>/lots/<int:pk>/files/<int:attachment_pk>/",
            attachments.lot_attachment,
            name="lot_attachment",
        ),
        path("<slug:project_slug>/lots/<int:pk>/<slug:action>/", lots.lot_action, name="lot_action"),
        path("<slug:project_slug>/market/", market.market, name="market"),
        path("<slug:project_slug>/market/<int:pk>/", market.market_lot, name="market_lot"),
        path(
            "<slug:project_slug>/market/<int:pk>/files/<int:attachment_pk>/",
            attachments.market_attachment,
            name="market_attachment",
        ),
        path("<slug:project_slug>/responses/", market.responses, name="responses"),
        path("<slug:project_slug>/responses/<int:pk>/accept/", market.response_accept, name="response_accept"),
        path("<slug:project_slug>/responses/<int:pk>/reject/", market.response_reject, name="response_reject"),
        path("<slug:project_slug>/responses/<int:pk>/withdraw/", market.response_withdraw, name="response_withdraw"),
        path("<slug:project_slug>/deals/", market.deals, name="deals"),
        # The code as typed: any case, with or without its dash (offers.codes.normalize).
        path("<slug:project_slug>/deals/<str:code>/", market.deal_detail, name="deal_detail"),
        path("<slug:project_slug>/deals/<str:code>/message/", market.deal_message, name="deal_message"),
        path(
            "<slug:project_slug>/deals/<str:code>/files/<int:attachment_pk>/",
            attachments.deal_attachment,
            name="deal_attachment",
        ),
        path("<slug:project_slug>/deals/<str:code>/complete/", market.deal_complete, name="deal_complete"),
        path("<slug:project_slug>/deals/<str:code>/cancel/", market.deal_cancel, name="deal_cancel"),
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
        path("access-requests/", access_requests.access_requests, name="access_requests"),
        path("access-requests/<int:pk>/", access_requests.access_request_detail, name="access_request_detail"),
        path(
            "access-requests/<int:pk>/approve/",
            access_requests.access_request_approve_view,
            name="access_request_approve",
        ),
        path(
            "access-requests/<int:pk>/decline/",
            access_requests.access_request_decline_view,
            name="access_request_decline",
        ),
        path("users/import/", user_import.users_import, name="users_import"),
        path("users/import/template/", user_import.users_import_template, name="users_import_template"),
        path("lots/", moderation.lot_pool, name="lots"),
        path("lots/queue/", moderation.lot_queue, name="lot_queue"),
        path("lots/<int:pk>/", moderation.lot_detail, name="lot_detail"),
        path("lots/<int:pk>/approve/", moderation.lot_approve, name="lot_approve"),
        path("lots/<int:pk>/request-changes/", moderation.lot_request_changes, name="lot_request_changes"),
        path("lots/<int:pk>/reject/", moderation.lot_reject, name="lot_reject"),
        path("lots/<int:pk>/close/", moderation.lot_close, name="lot_close"),
        # Any attached file (a lot's, a deal message's), for staff who moderate.
        path("files/<int:pk>/", attachments.staff_attachment, name="attachment"),
    ],
    "staff",
)

urlpatterns = [
    path("", common.home, name="home"),
    path("profile/", common.profile, name="profile"),
    path("i18n/setlang/", common.set_language, name="set_language"),
    path("projects/<slug:slug>/logo/", files.project_logo, name="project_logo"),
    path("invitation/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path("access/request/", access_requests.access_request, name="access_request"),
    path("access/request/sent/", access_requests.access_request_sent, name="access_request_sent"),
    path("cabinet/", include(rep_patterns)),
    path("staff/", include(staff_patterns)),
    path("notifications/", include(notification_patterns)),
]
