"""Tags: a taggit tag with a Markdown description, and the link from a post to its tags."""

from django.apps import apps
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from taggit.models import TagBase, TaggedItemBase

from posts.markup import render_markdown
from posts.routes import path_for


class TagQuerySet(models.QuerySet):
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

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="tag_name_unique_ci")]

    def save(self, *args, **kwargs):
        self.description_html = render_markdown(self.description).html if self.description else ""
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return path_for("posts:tag", slug=self.slug)


class TaggedPost(TaggedItemBase):
    content_object = models.ForeignKey("Post", on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_posts")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_post_unique")
        ]
