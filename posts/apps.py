from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "posts"
    verbose_name = "Blog"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Signal receivers and revision registration (automatic URL aliases, post revisions).
        from posts import redirects, revisions  # noqa: F401
