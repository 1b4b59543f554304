"""The "Share preview" admin: create expiring links to a draft, list them, revoke them.

The page lives at admin/posts/post/<id>/share/ (a button on the change form leads there); the
post list has an action creating a link with the default expiry for each selected post. Links and
their checks are in `posts.writing.previews`.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from posts.models import Post
from posts.writing import previews


class ShareLinkForm(forms.Form):
    days = forms.IntegerField(
        label="Valid for (days)",
        min_value=1,
        max_value=365,
        initial=settings.SHARE_PREVIEW_DAYS,
    )


class SharePreviewMixin:
    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.has_change_permission(request):
            actions["share_preview"] = (
                SharePreviewMixin.share_preview,
                "share_preview",
                f"Create share preview links ({settings.SHARE_PREVIEW_DAYS} days)",
            )
        return actions

    def share_preview(self, request, queryset):
        for post in queryset:
            link = previews.create_link(post, request.user)
            url = request.build_absolute_uri(previews.share_url(link))
            self.message_user(request, f"Share link for “{post}”: {url}", messages.SUCCESS)

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_share"
        view = self.admin_site.admin_view(self.share_view)
        return [path("<path:object_id>/share/", view, name=name), *super().get_urls()]

    def share_view(self, request, object_id):
        post = get_object_or_404(Post, pk=object_id)
        if not self.has_change_permission(request, post):
            raise PermissionDenied
        here = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_share", args=[post.pk])
        form = ShareLinkForm(request.POST or None)
        if request.method == "POST" and "revoke" in request.POST:
            revoked = post.share_previews.filter(
                pk=request.POST["revoke"] if request.POST["revoke"].isdigit() else None,
                revoked_at__isnull=True,
            ).update(revoked_at=timezone.now())
            if revoked:
                self.message_user(request, "The link was revoked; it no longer opens the draft.")
            return redirect(here)
        if request.method == "POST" and form.is_valid():
            link = previews.create_link(post, request.user, days=form.cleaned_data["days"])
            url = request.build_absolute_uri(previews.share_url(link))
            self.message_user(request, f"New share link: {url}", messages.SUCCESS)
            return redirect(here)
        links = [
            (link, request.build_absolute_uri(previews.share_url(link)))
            for link in post.share_previews.select_related("created_by")
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": post,
            "title": f"Share a preview of “{post.title}”",
            "form": form,
            "links": links,
            "now": timezone.now(),
        }
        return TemplateResponse(request, "admin/posts/post/share_preview.html", context)
