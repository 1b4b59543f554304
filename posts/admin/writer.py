"""The writer's workflow on the post form, as one mixin for `PostAdmin`.

The editor around the body (`posts.admin.editor`, `static/js/admin-editor.js`), live preview
(`posts.admin.live_preview`), share links (`posts.admin.share_previews`), revisions
with history, diff and restore (`posts.admin.revisions`) and the edit-conflict check
(`posts.writing.conflicts`). Old URLs are the inline `posts.admin.aliases.PostAliasInline`, listed
in `PostAdmin.inlines`. The
browser autosave (`static/js/admin-autosave.js`) is loaded by the change form and list templates.
"""

from posts.admin.editor import EditorMixin
from posts.admin.live_preview import LivePreviewMixin
from posts.admin.revisions import RevisionsMixin
from posts.admin.share_previews import SharePreviewMixin
from posts.writing.conflicts import ConflictCheckedPostForm


class WriterWorkflowMixin(EditorMixin, RevisionsMixin, LivePreviewMixin, SharePreviewMixin):
    form = ConflictCheckedPostForm
    change_form_template = "admin/posts/post/writer_change_form.html"
    change_list_template = "admin/posts/post/writer_change_list.html"
