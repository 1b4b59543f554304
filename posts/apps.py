from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "posts"
    verbose_name = "Blog"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Every signal receiver is in posts.signals; the revisions module registers the models
        # django-reversion follows.
        from posts import signals  # noqa: F401
        from posts.writing import revisions  # noqa: F401
