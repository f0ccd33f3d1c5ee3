"""The allauth pages the portal uses — and only those: no public sign-up, no self-service email change
(the email is the login; staff change it), no login by code. Two-factor and session list come whole."""

from allauth.account import views
from django.urls import include, path, re_path

from cabinets.views import sessions, two_factor

urlpatterns = [
    path("login/", views.login, name="account_login"),
    path("logout/", views.logout, name="account_logout"),
    path("inactive/", views.account_inactive, name="account_inactive"),
    path("reauthenticate/", views.reauthenticate, name="account_reauthenticate"),
    path("password/change/", views.password_change, name="account_change_password"),
    path("password/reset/", views.password_reset, name="account_reset_password"),
    path("password/reset/done/", views.password_reset_done, name="account_reset_password_done"),
    re_path(
        r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        views.password_reset_from_key,
        name="account_reset_password_from_key",
    ),
    path("password/reset/key/done/", views.password_reset_from_key_done, name="account_reset_password_from_key_done"),
    # Before allauth's own pattern for the same path: enrolling marks the session (cabinets.sign_in_records).
    path("2fa/totp/activate/", two_factor.activate_totp, name="mfa_activate_totp"),
    path("2fa/", include("allauth.mfa.urls")),
    # allauth's session list, on our view (cabinets/views/sessions.py): devices instead of User-Agent strings.
    path("sessions/", sessions.session_list, name="usersessions_list"),
]
