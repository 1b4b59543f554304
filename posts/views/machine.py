"""What machines read: robots.txt, llms.txt, a post's Markdown source and its BibTeX entry."""

from datetime import date

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import DetailView, TemplateView

from posts import cite
from posts.absolute_urls import absolute_url
from posts.markup.text import html_to_plain
from posts.models import Post
from posts.transfer.front_matter import markdown_with_front_matter


class PlainTextView(TemplateView):
    content_type = "text/plain; charset=utf-8"


class RobotsView(PlainTextView):
    """Crawl rules: everything but the admin in production; nothing at all elsewhere."""

    template_name = "robots.txt"

    def get_context_data(self, **kwargs):
        return super().get_context_data(production=settings.PRODUCTION, **kwargs)


class LlmsView(PlainTextView):
    """`/llms.txt`: the site in a few lines, then every published post with its URL and summary."""

    template_name = "llms.txt"

    def get_context_data(self, **kwargs):
        posts = Post.objects.published().only("title", "slug", "published_at", "summary_html")
        entries = [
            {
                "title": " ".join(post.title.split()),
                "url": absolute_url(post.get_absolute_url()),
                "summary": html_to_plain(post.summary_html),
            }
            for post in posts
        ]
        return super().get_context_data(entries=entries, **kwargs)


class PostMarkdownView(DetailView):
    """`/posts/<date>-<slug>/index.md`: the post's Markdown source under YAML front matter."""

    def get_queryset(self):
        return Post.objects.published()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.url_kwargs()["date"] != kwargs["date"]:
            return redirect("posts:detail-markdown", permanent=True, **self.object.url_kwargs())
        return self.render_to_response({})

    def render_to_response(self, context, **response_kwargs):
        return HttpResponse(
            markdown_with_front_matter(self.object), content_type="text/markdown; charset=utf-8"
        )


BIBTEX_CONTENT_TYPE = "application/x-bibtex; charset=utf-8"


class CitationBibView(DetailView):
    """`/posts/<date>-<slug>/cite.bib`: a published post's BibTeX entry, optionally for one version.

    `?version=YYYY-MM-DD` names the version read: the publish date or an update note's date."""

    page_cache_query_parameters = ("version",)

    def get_queryset(self):
        return Post.objects.published().select_related("author")

    def get(self, request, *args, **kwargs):
        post = self.get_object()
        if post.url_kwargs()["date"] != kwargs["date"]:
            return redirect(reverse("posts:cite-bib", kwargs=post.url_kwargs()), permanent=True)
        notes = list(post.update_notes.all())
        version = None
        if "version" in request.GET:
            try:
                version = date.fromisoformat(request.GET["version"])
            except ValueError:
                return HttpResponseBadRequest(
                    "version must be a date written YYYY-MM-DD.", content_type="text/plain"
                )
            if version not in cite.versions(post, notes):
                raise Http404("This post has no version of that date.")
        entry = cite.bibtex(cite.citation_for(post, notes, version=version))
        response = HttpResponse(entry, content_type=BIBTEX_CONTENT_TYPE)
        response["Content-Disposition"] = f'inline; filename="{post.citation_key}.bib"'
        return response
