from django.views import defaults


def permission_denied(request, exception=None):
    return defaults.permission_denied(request, exception, template_name="errors/403.html")


def page_not_found(request, exception=None):
    return defaults.page_not_found(request, exception, template_name="errors/404.html")


def server_error(request):
    return defaults.server_error(request, template_name="errors/500.html")
