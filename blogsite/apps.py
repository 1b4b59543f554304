"""The project's app configs: `blogsite` itself (its models: the page cache's record of changes),
and the admin with the site's own `AdminSite`."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class BlogsiteConfig(AppConfig):
    name = "blogsite"
    default = True

    def ready(self):
        from blogsite import template_fragments  # noqa: F401 (connects its receiver)


class BlogAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "blogsite.admin_site.BlogAdminSite"
