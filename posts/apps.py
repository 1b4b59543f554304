from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "posts"
    verbose_name = "Blog"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Connect the signal receivers: page-cache invalidation, the search index, automatic URL
        # aliases; register post revisions.
        from posts import cache, redirects, revisions, search_signals  # noqa: F401
