"""Tags: a taggit tag with a Markdown description, and the link from a post to its tags."""

from django.apps import apps
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from taggit.models import TagBase, TaggedItemBase

from posts.markup import render_markdown
from posts.models.listing import ListingVersion, count_and_store
from posts.routes import path_for


class TagQuerySet(models.QuerySet):
    def for_page(self):
        """Tags as their page reads them: with the listing version of now, against which the
        stored count of published posts is checked (`Tag.published_post_count()`)."""
        return self.annotate(listing_version=ListingVersion.current())

    def with_published_counts(self):
        """Annotate `post_count`: how many published posts carry each tag."""
        return self.annotate(
            post_count=models.Count(
                "tagged_posts",
                filter=models.Q(
                    tagged_posts__content_object__in=apps.get_model(
                        "posts", "Post"
                    ).objects.published()
                ),
            )
        )


class Tag(TagBase):
    """A taggit tag with a Markdown description; names are unique regardless of case."""

    description = models.TextField(blank=True, help_text=_("Markdown, shown on the tag page."))
    description_html = models.TextField(blank=True, editable=False)
    # How many published posts carry the tag, counted by its page for a listing version and
    # until the next scheduled post is due (`published_post_count()`).
    stored_count = models.PositiveIntegerField(null=True, editable=False)
    count_version = models.PositiveBigIntegerField(null=True, editable=False)
    count_until = models.DateTimeField(null=True, editable=False)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="tag_name_unique_ci")]

    def save(self, *args, **kwargs):
        self.description_html = render_markdown(self.description).html if self.description else ""
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return path_for("posts:tag", slug=self.slug)

    def published_post_count(self) -> int:
        """How many published posts carry the tag, as of now: the stored count while it is
        current (counted for the listing version of now, which a tag from `for_page()` carries,
        and the next scheduled post not yet due), else counted again and stored."""
        version = getattr(self, "listing_version", None)
        if ListingVersion.is_current(version, self.count_version, self.count_until):
            return self.stored_count
        posts = apps.get_model("posts", "Post").objects.published().filter(tags=self)
        return count_and_store(posts, version, Tag.objects.filter(pk=self.pk), "stored_count")


class TaggedPost(TaggedItemBase):
    content_object = models.ForeignKey("Post", on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_posts")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_post_unique")
        ]
