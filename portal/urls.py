from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from portal.healthz import healthz

admin.site.site_header = _("Misty Partner Portal")
admin.site.site_title = "Misty"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("cabinets.auth_urls")),
    path("django-admin/", admin.site.urls),
    path("", include("cabinets.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler403 = "cabinets.views.errors.permission_denied"
handler404 = "cabinets.views.errors.page_not_found"
handler500 = "cabinets.views.errors.server_error"
handler429 = "cabinets.views.errors.too_many_requests"  # not Django's: allauth's rate limits look it up here
