"""The post editor: the list writers work from, the change form and the publishing actions.

Teammates extend it: add inlines to `PostAdmin.inlines`, fields to `fieldsets` and actions to
`actions`; the render-warning message after save comes from `save_model`.
"""

from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.managers import TaggableManager

from posts.admin.aliases import PostAliasInline
from posts.admin.text_fields import XmlTextFields
from posts.admin.update_notes import UpdateNoteInline
from posts.admin.widgets import TagSuggestWidget
from posts.admin.writer import WriterWorkflowMixin
from posts.models import Post


class StateFilter(admin.SimpleListFilter):
    """Draft, Scheduled or Published, as readers see it (status and publish time together)."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Post.State.choices

    def queryset(self, request, queryset):
        if self.value() in Post.State.values:
            return queryset.in_state(self.value())
        return queryset


@admin.register(Post)
class PostAdmin(XmlTextFields, WriterWorkflowMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "state",
        "published_at",
        "author",
        "tag_list",
        "reading_time",
    ]
    list_filter = [StateFilter, "tags", "published_at"]
    search_fields = ["title", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["author"]
    autocomplete_fields = ["cover"]
    formfield_overrides = {TaggableManager: {"widget": TagSuggestWidget}}
    readonly_fields = [
        "render_warnings_list",
        "word_count",
        "reading_time",
        "created_at",
        "updated_at",
        "render_version",
    ]
    fieldsets = [
        (
            _("Content"),
            {"fields": ["title", "slug", "summary", "cover", "body", "render_warnings_list"]},
        ),
        (
            _("Publishing"),
            {
                "fields": [
                    "status",
                    "published_at",
                    "author",
                    "tags",
                    "series",
                    "series_part",
                ]
            },
        ),
        (
            _("Metadata"),
            {
                "classes": ["collapse"],
                "fields": [
                    "word_count",
                    "reading_time",
                    "created_at",
                    "updated_at",
                    "render_version",
                ],
            },
        ),
    ]
    actions = ["publish", "unpublish"]
    inlines = [UpdateNoteInline, PostAliasInline]

    # Large text columns the list never shows.
    LIST_DEFERRED = [
        "summary",
        "body",
        "summary_html",
        "body_html",
        "toc_html",
        "body_text",
        *Post.FEED_FIELDS,
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("tags")
        match = request.resolver_match
        if match and match.url_name == f"{self.opts.app_label}_{self.opts.model_name}_changelist":
            queryset = queryset.defer(*self.LIST_DEFERRED)
        return queryset

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("author", request.user.pk)
        return initial

    @admin.display(description=_("state"), ordering="status")
    def state(self, post):
        return Post.State(post.state).label

    @admin.display(description=_("tags"))
    def tag_list(self, post):
        return ", ".join(sorted((tag.name for tag in post.tags.all()), key=str.lower))

    @admin.display(description=_("render warnings"))
    def render_warnings_list(self, post):
        if not post.render_warnings:
            return _("None")
        return format_html(
            '<ul class="render-warnings">{}</ul>',
            format_html_join("", "<li>{}</li>", ((warning,) for warning in post.render_warnings)),
        )

    def save_model(self, request, obj, form, change):
        dated = obj.published_at is not None
        super().save_model(request, obj, form, change)
        if obj.status == Post.Status.PUBLISHED and not dated:
            self.message_user(
                request,
                _("Published without a date: the publish date is now, %(date)s.")
                % {"date": timezone.localtime(obj.published_at).strftime("%Y-%m-%d %H:%M")},
                messages.INFO,
            )
        for warning in obj.render_warnings:
            self.message_user(request, _("Render warning: %s") % warning, messages.WARNING)

    @staticmethod
    def _change_status(queryset, old, new):
        """Save each post in status `old` as `new` (a real save: it re-renders and sends the
        signals the page cache and search index listen to); return how many changed."""
        with transaction.atomic():
            posts = list(queryset.filter(status=old))
            for post in posts:
                post.status = new
                post.save()
        return len(posts)

    @admin.action(description=_("Publish selected posts"), permissions=["change"])
    def publish(self, request, queryset):
        # save() dates a post "now" when it has no publish date.
        count = self._change_status(queryset, Post.Status.DRAFT, Post.Status.PUBLISHED)
        self.message_user(
            request,
            ngettext("%d post was published.", "%d posts were published.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected posts (back to draft)"), permissions=["change"])
    def unpublish(self, request, queryset):
        # The publish date is kept for a later re-publish.
        count = self._change_status(queryset, Post.Status.PUBLISHED, Post.Status.DRAFT)
        self.message_user(
            request,
            ngettext("%d post was unpublished.", "%d posts were unpublished.", count) % count,
            messages.SUCCESS,
        )
