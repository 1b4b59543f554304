"""`/preview/<token>/`: a draft read through a share link (tokens: `posts.writing.previews`)."""

from django.shortcuts import render

from posts.views.reading import PostDetailView
from posts.writing.previews import active_link, private


class SharedPreviewView(PostDetailView):
    """The post page as readers will see it, for the holder of a working share link."""

    template_name = "posts/preview.html"

    def get(self, request, *args, **kwargs):
        self.link = active_link(kwargs["token"])
        if self.link is None:
            return private(render(request, "posts/preview_gone.html", status=404))
        self.object = self.link.post
        context = self.get_context_data(object=self.object, share_link=self.link)
        return private(self.render_to_response(context))
