"""The writer's workflow on the post form, as one mixin for `PostAdmin`.

The editor around the body (`posts.admin.editor`, `static/js/admin-editor.js`), live preview
(`posts.admin.live_preview`), share links (`posts.admin.share_previews`), revisions
with history, diff and restore (`posts.admin.revisions`) and the edit-conflict check
(`posts.writing.conflicts`). Old URLs are the inline `posts.admin.aliases.PostAliasInline`, listed
in `PostAdmin.inlines`. The
browser autosave (`static/js/admin-autosave.js`) is loaded by the change form and list templates;
it forgets its copy only when the page after a save confirms that save (`posts.writing.autosave`).
"""

from django.conf import settings

from posts.admin.editor import EditorMixin
from posts.admin.live_preview import LivePreviewMixin
from posts.admin.revisions import RevisionsMixin
from posts.admin.share_previews import SharePreviewMixin
from posts.writing.autosave import confirm_save, take_confirmation
from posts.writing.conflicts import ConflictCheckedPostForm, lock_for_save


class WriterWorkflowMixin(EditorMixin, RevisionsMixin, LivePreviewMixin, SharePreviewMixin):
    form = ConflictCheckedPostForm
    change_form_template = "admin/posts/post/writer_change_form.html"
    change_list_template = "admin/posts/post/writer_change_list.html"

    # The autosave's confirmation: sent by the response to a successful save, shown once by the
    # page that follows it.

    def response_add(self, request, obj, post_url_continue=None):
        confirm_save(request)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        confirm_save(request)
        return super().response_change(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(
            request, object_id, form_url, self._with_confirmation(request, extra_context)
        )

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, self._with_confirmation(request, extra_context))

    @staticmethod
    def _with_confirmation(request, extra_context):
        # The body limit too: the script refuses a save that would be over it, before sending.
        context = {**(extra_context or {}), "request_limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
        if request.method == "GET":
            context["autosave_confirmed"] = take_confirmation(request)
        return context

    # The edit-conflict check and the save are atomic: a POST locks the row before the post is read
    # for the form (the admin runs the whole save in one transaction).

    def get_object(self, request, object_id, from_field=None):
        if request.method == "POST" and from_field is None:
            lock_for_save(object_id)
        return super().get_object(request, object_id, from_field)
