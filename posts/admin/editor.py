"""The writing desk's server side: what `static/js/admin-editor.js` asks the admin for.

`references/` answers the bibliography's keys (and titles) for the `[@` completion; the image
upload the editor uses is the media library's `upload/` endpoint (`posts.admin.media`). The
change form hides the admin's navigation sidebar so the body gets the page's width.
"""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import path, reverse
from django.views.decorators.http import require_GET

from posts.models import Reference
from posts.models.images import Image


class EditorMixin:
    """Adds the staff-only `references/` endpoint and the editor's context to the post admin."""

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_editor_references"
        view = self.admin_site.admin_view(require_GET(self.editor_references_view))
        return [path("references/", view, name=name), *super().get_urls()]

    def editor_references_view(self, request):
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        rows = Reference.objects.order_by("key").values_list("key", "title", "year")
        references = [
            {"key": key, "title": f"{title} ({year})" if year else title}
            for key, title, year in rows
        ]
        return JsonResponse({"references": references})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        context = {
            "is_nav_sidebar_enabled": False,
            "editor_references_url": reverse(
                f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}"
                "_editor_references"
            ),
        }
        if self.admin_site.is_registered(Image):
            image_admin = self.admin_site.get_model_admin(Image)
            if image_admin.has_add_permission(request):
                context["editor_upload_url"] = reverse(f"{self.admin_site.name}:posts_image_upload")
                context["editor_upload_accept"] = image_admin.upload_accept
        context.update(extra_context or {})
        return super().changeform_view(request, object_id, form_url, context)
