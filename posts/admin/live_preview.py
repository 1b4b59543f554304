"""Live preview in the post form: the Markdown rendered by the site's own pipeline as you type.

`static/js/admin-preview.js` POSTs the form's title, summary and body (debounced) to
`admin/posts/post/preview/`; the view renders an unsaved `Post` with `Post.render()` (the same
pipeline and bibliography lookup as a save) and answers JSON: a complete HTML document styled by the
site's CSS for the preview frame, and the warnings: a character the save will refuse (one XML 1.0
forbids), then the pipeline's.
"""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.urls import path
from django.views.decorators.http import require_POST

from posts.models import Post
from posts.xml_text import forbidden_message


def render_preview(title: str, summary: str, body: str) -> Post:
    """An unsaved post rendered exactly as a save would render it."""
    post = Post(title=title, summary=summary, body=body)
    post.render()
    return post


class LivePreviewMixin:
    """Adds the staff-only live preview endpoint to the post admin."""

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_live_preview"
        view = self.admin_site.admin_view(require_POST(self.live_preview_view))
        return [path("preview/", view, name=name), *super().get_urls()]

    def live_preview_view(self, request):
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        fields = {name: request.POST.get(name, "") for name in ("title", "summary", "body")}
        post = render_preview(**fields)
        refused = [
            f"{Post._meta.get_field(name).verbose_name.capitalize()}: {message}"
            for name, text in fields.items()
            if (message := forbidden_message(text))
        ]
        document = render_to_string(
            "admin/posts/post/preview_document.html", {"post": post}, request=request
        )
        return JsonResponse(
            {
                "document": document,
                "warnings": [*refused, *post.render_warnings],
                "word_count": post.word_count,
                "reading_time": post.reading_time,
            }
        )
