"""The admin site under the site's own name, with the writer's sidebar kept for writing.

`BlogAdminSite` replaces Django's default site (`blogsite.apps.BlogAdminConfig` in
INSTALLED_APPS): the header, page titles and index carry `SITE_NAME`, and the sign-in throttling
tables of django-axes are left out of the navigation sidebar. Superusers still reach them from
the admin's index page (listed last, under "Sign-in throttling") and by their URLs.
"""

from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

# Apps an administrator looks at now and then, not while writing.
HOUSEKEEPING_APPS = ("axes",)


class BlogAdminSite(admin.AdminSite):
    index_title = _("Writing desk")

    @property
    def site_header(self):
        return f"{settings.SITE_NAME} · admin"

    @property
    def site_title(self):
        return f"{settings.SITE_NAME} admin"

    def each_context(self, request):
        context = super().each_context(request)
        context["available_apps"] = [
            app for app in context["available_apps"] if app["app_label"] not in HOUSEKEEPING_APPS
        ]
        return context

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        for app in apps:
            if app["app_label"] == "axes":
                app["name"] = _("Sign-in throttling")
        # Housekeeping last, after the writer's own apps.
        return sorted(apps, key=lambda app: app["app_label"] in HOUSEKEEPING_APPS)
