"""Share previews: links that let someone without an account read a draft."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SharePreview(models.Model):
    """A revocable, expiring link that lets someone without an account read a draft.

    The URL carries a signed id (`posts.writing.previews`); the row decides whether the link still
    works.
    """

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="share_previews")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Share link {self.pk} for {self.post}"

    @property
    def is_active(self):
        return self.revoked_at is None and self.expires_at > timezone.now()
