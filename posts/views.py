"""Reader pages: generic class-based views over `Post.objects.published()`."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import requires_csrf_token
from django.views.generic import DetailView, ListView, TemplateView

from posts.archive import archive_tree
from posts.models import Post, Series, Tag
from posts.series import published_parts


class PostListView(ListView):
    """The home page and its numbered pages: newest published posts first."""

    template_name = "posts/post_list.html"
    context_object_name = "posts"
    paginate_by = settings.POSTS_PER_PAGE
    allow_empty = True

    def get(self, request, *args, **kwargs):
        if kwargs.get("page") == 1:
            return redirect(self.first_page_url(), permanent=True)
        return super().get(request, *args, **kwargs)

    def first_page_url(self):
        return "/"

    def get_queryset(self):
        return Post.objects.published().for_listing()


class TagDetailView(PostListView):
    template_name = "posts/tag_detail.html"

    def first_page_url(self):
        return self.tag.get_absolute_url()

    def get(self, request, *args, **kwargs):
        self.tag = get_object_or_404(Tag.objects.with_published_counts(), slug=kwargs["slug"])
        if not self.tag.post_count:
            raise Http404("No published posts carry this tag.")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class TagListView(ListView):
    template_name = "posts/tag_list.html"
    context_object_name = "tags"

    def get_queryset(self):
        return Tag.objects.with_published_counts().filter(post_count__gt=0)


class ArchiveView(TemplateView):
    template_name = "posts/archive.html"

    def get_context_data(self, **kwargs):
        posts = Post.objects.published().only("title", "slug", "published_at")
        return super().get_context_data(years=archive_tree(posts), **kwargs)


class PostDetailView(DetailView):
    """A post at /posts/<date>-<slug>/; staff may also open drafts and scheduled posts."""

    template_name = "posts/post_detail.html"
    context_object_name = "post"

    def get_queryset(self):
        if self.request.user.is_staff:
            return Post.objects.select_related("author", "series")
        return Post.objects.published().select_related("author", "series")

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.url_kwargs()["date"] != kwargs["date"]:
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        post = self.object
        context = super().get_context_data(**kwargs)
        context["tags"] = list(post.tags.all())
        context["update_notes"] = list(post.update_notes.all())
        if post.is_public:
            context["previous_post"] = post.get_previous_published()
            context["next_post"] = post.get_next_published()
        return context


class SeriesDetailView(DetailView):
    template_name = "posts/series_detail.html"
    context_object_name = "series"
    model = Series

    def get_context_data(self, **kwargs):
        parts = published_parts(self.object).select_related("author")
        return super().get_context_data(parts=parts, **kwargs)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    return render(request, "500.html", status=500)
