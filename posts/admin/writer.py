"""The writer's workflow on the post form, as one mixin for `PostAdmin`.

Live preview (`posts.admin.preview`), share links (`posts.admin.share`), revisions with history,
diff and restore (`posts.admin.revisions`), the edit-conflict check (`posts.conflicts`), old URLs
(`posts.admin.aliases`) and the browser autosave (`static/js/admin-autosave.js`, loaded by
`templates/admin/posts/post/change_form.html`).
"""

from posts.admin.aliases import PostAliasInline
from posts.admin.preview import LivePreviewMixin
from posts.admin.revisions import RevisionsMixin
from posts.admin.share import SharePreviewMixin
from posts.conflicts import ConflictCheckedPostForm


class WriterWorkflowMixin(RevisionsMixin, LivePreviewMixin, SharePreviewMixin):
    form = ConflictCheckedPostForm
    change_form_template = "admin/posts/post/writer_change_form.html"
    change_list_template = "admin/posts/post/writer_change_list.html"

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), PostAliasInline]
