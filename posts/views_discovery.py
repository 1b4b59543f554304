"""Pages that help readers and machines find posts: search, robots.txt, llms.txt, .md source."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.generic import DetailView, ListView, TemplateView

from posts.absolute import absolute_url
from posts.front_matter import markdown_with_front_matter
from posts.models import Post
from posts.plain_text import html_to_plain
from posts.search import SearchQueryError, highlight, search


class SearchView(ListView):
    """`/search/?q=...`: ranked results with highlighted snippets, ten to a page."""

    template_name = "posts/search.html"
    context_object_name = "posts"
    paginate_by = settings.POSTS_PER_PAGE
    allow_empty = True

    def get_queryset(self):
        self.query = self.request.GET.get("q", "").strip()
        self.error = ""
        if not self.query:
            return Post.objects.none()
        try:
            return search(self.query).for_listing()
        except SearchQueryError as error:
            self.error = str(error)
            return Post.objects.none()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(query=self.query, search_error=self.error, **kwargs)
        for post in context["posts"]:
            post.snippet_html = highlight(getattr(post, "search_snippet", ""))
        return context


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
