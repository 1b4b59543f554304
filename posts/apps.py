from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "posts"
    verbose_name = "Blog"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Connect the signal receivers: page-cache invalidation and the search index.
        from posts import cache, search_signals  # noqa: F401
