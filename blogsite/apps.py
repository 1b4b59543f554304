"""The project's app configs: the admin with the site's own `AdminSite`."""

from django.contrib.admin.apps import AdminConfig


class BlogAdminConfig(AdminConfig):
    default_site = "blogsite.admin_site.BlogAdminSite"
