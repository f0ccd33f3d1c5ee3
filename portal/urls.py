from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from portal.healthz import healthz

admin.site.site_header = _("Misty Partner Portal")
admin.site.site_title = "Misty"
# The admin has no login form of its own: anonymous visitors are sent to allauth's login (rate limits,
# the TOTP step, the journal) and come back signed in; a signed-in non-administrator gets a 403.
admin.site.login = secure_admin_login(admin.site.login)


def _password_change_in_the_portal(request, extra_context=None):
    """Nor a password form of its own: Django's changed the password past allauth — not journaled, no
    notification email, no rate limit. The admin's "Change password" link opens the portal's page."""
    return redirect("account_change_password")


admin.site.password_change = _password_change_in_the_portal

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("cabinets.auth_urls")),
    path("django-admin/", admin.site.urls),
    path("", include("api.urls")),
    path("", include("cabinets.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler403 = "cabinets.views.errors.permission_denied"
handler404 = "cabinets.views.errors.page_not_found"
handler500 = "cabinets.views.errors.server_error"
# Not a Django hook: allauth looks it up on ROOT_URLCONF when a rate limit is spent (allauth.core.internal.ratelimit).
handler429 = "cabinets.views.errors.too_many_requests"
