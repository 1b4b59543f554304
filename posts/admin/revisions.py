"""Revisions in the post admin: every save is one; history, diff of any two, one-click restore.

- `changeform_view` and `changelist_view` (actions) run inside `reversion.create_revision()`, with
  the user and the admin's change message as the revision's author and comment.
- History (admin/posts/post/<id>/history/) lists the revisions; pick two to compare
  (`.../history/compare/?a=<version>&b=<version>`), or restore one with its button (a POST to
  `.../history/<version>/restore/`), which saves and re-renders the post as a new revision.
"""

import reversion
from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from posts.models import Post, display_name
from posts.writing import revisions
from posts.writing.diff import diff_states


class RevisionsMixin:
    def _admin_url(self, name, *args):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}", args=args)

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/history/compare/",
                wrap(self.revision_compare_view),
                name=f"{prefix}_revision_compare",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                wrap(require_POST(self.revision_restore_view)),
                name=f"{prefix}_revision_restore",
            ),
            *super().get_urls(),
        ]

    # Recording.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        if request.method != "POST":  # only actions save; a plain list view stays query-lean
            return super().changelist_view(request, extra_context)
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changelist_view(request, extra_context)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(
                LogEntry(change_message=entry.change_message).get_change_message()
            )
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(
                LogEntry(change_message=entry.change_message).get_change_message()
            )
        return entry

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if reversion.is_active():
            reversion.add_to_revision(form.instance)  # its final state, with the update notes
            revisions.add_tag_links(form.instance)

    # Pages.

    def _post_and_permission(self, request, object_id):
        post = get_object_or_404(Post, pk=object_id) if str(object_id).isdigit() else None
        if post is None:
            raise Http404("No such post.")
        if not self.has_view_or_change_permission(request, post):
            raise PermissionDenied
        return post

    def history_view(self, request, object_id, extra_context=None):
        post = self._post_and_permission(request, object_id)
        versions = list(revisions.versions_of(post))
        for version in versions:
            version.saved_by = display_name(version.revision.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": post,
            "title": f"History of “{post.title}”",
            "versions": versions,
            "compare_url": self._admin_url("revision_compare", post.pk),
            "can_restore": self.has_change_permission(request, post),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/posts/post/revision_history.html", context)

    def revision_compare_view(self, request, object_id):
        post = self._post_and_permission(request, object_id)
        by_id = {version.pk: version for version in revisions.versions_of(post)}
        try:
            ids = sorted(int(request.GET[key]) for key in ("a", "b"))
            old, new = by_id[ids[0]], by_id[ids[1]]
        except (KeyError, ValueError):
            messages.error(request, "Pick two revisions of this post to compare.")
            return redirect(self._admin_url("history", post.pk))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": post,
            "title": f"Changes to “{post.title}”",
            "old": old,
            "new": new,
            "diffs": diff_states(revisions.version_state(old), revisions.version_state(new)),
            "history_url": self._admin_url("history", post.pk),
        }
        return TemplateResponse(request, "admin/posts/post/revision_compare.html", context)

    def revision_restore_view(self, request, object_id, version_id):
        post = self._post_and_permission(request, object_id)
        if not self.has_change_permission(request, post):
            raise PermissionDenied
        version = revisions.versions_of(post).filter(pk=version_id).first()
        if version is None:
            raise Http404("No such revision of this post.")
        try:
            revisions.restore(version, request.user)
        except revisions.RestoreError as error:
            messages.error(request, str(error))
            return redirect(self._admin_url("history", post.pk))
        messages.success(request, "The revision was restored; the restore is itself a revision.")
        return redirect(self._admin_url("change", post.pk))
