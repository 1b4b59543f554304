"""The project's one table: changes the page cache could not hear about."""

from django.db import models


class PendingInvalidation(models.Model):
    """A content change committed while Redis was unreachable (`blogsite.page_cache.invalidate`).

    Every app process looks for these rows (`PAGE_CACHE_PENDING_CHECK_SECONDS`); the first that
    finds one once Redis answers starts a new cache generation and deletes the rows it saw."""

    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"page cache invalidation pending since {self.recorded_at:%Y-%m-%d %H:%M:%S}"
