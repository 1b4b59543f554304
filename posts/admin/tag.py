"""Tags: the list with post counts, descriptions, and merging several tags into one."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.models import Tag as TaggitDefaultTag

from posts.admin.forms import MergeTagsForm
from posts.admin.text_fields import XmlTextFields
from posts.models import Post, Tag
from posts.writing.tags import merge_tags

# The site's tags are posts.Tag; taggit's own default model holds nothing, so hide it.
admin.site.unregister(TaggitDefaultTag)


class TagForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "slug", "description"]

    def clean_name(self):
        """Names are unique whatever their case: say which tag is already there."""
        name = self.cleaned_data["name"]
        clash = Tag.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).first()
        if clash is not None:
            raise forms.ValidationError(
                _("There is already a tag “%(existing)s”; tag names differ by more than case.")
                % {"existing": clash.name},
                code="duplicate_tag",
            )
        return name


@admin.register(Tag)
class TagAdmin(XmlTextFields, admin.ModelAdmin):
    form = TagForm
    list_display = ["name", "slug", "post_count", "published_count"]
    search_fields = ["name", "description"]
    fields = ["name", "slug", "description"]
    actions = ["merge_tags"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                post_count=Count("tagged_posts", distinct=True),
                published_count=Count(
                    "tagged_posts",
                    distinct=True,
                    filter=Q(
                        tagged_posts__content_object__status=Post.Status.PUBLISHED,
                        tagged_posts__content_object__published_at__lte=timezone.now(),
                    ),
                ),
            )
        )

    @admin.display(description=_("posts"), ordering="post_count")
    def post_count(self, tag):
        return tag.post_count

    @admin.display(description=_("public posts"), ordering="published_count")
    def published_count(self, tag):
        return tag.published_count

    def get_readonly_fields(self, request, obj=None):
        # A tag's slug is its public URL: fixed once the tag exists.
        return ["slug"] if obj else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else {"slug": ["name"]}

    @admin.action(description=_("Merge selected tags into one"), permissions=["change"])
    def merge_tags(self, request, queryset):
        tags = queryset.order_by("name")
        if tags.count() < 2:
            self.message_user(request, _("Select at least two tags to merge."), messages.ERROR)
            return None
        form = MergeTagsForm(request.POST if "confirm" in request.POST else None, tags=tags)
        if form.is_valid():
            survivor = form.cleaned_data["survivor"]
            merged = merge_tags(survivor, list(tags))
            self.message_user(
                request,
                ngettext(
                    "%(count)d tag was merged into “%(name)s”.",
                    "%(count)d tags were merged into “%(name)s”.",
                    merged,
                )
                % {"count": merged, "name": survivor.name},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge tags"),
            "opts": self.model._meta,
            "form": form,
            "tags": tags.annotate(links=Count("tagged_posts")),
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/posts/tag/merge_tags.html", context)
