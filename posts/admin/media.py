"""The media library in the admin: upload, search, thumbnails, "Copy Markdown", safe deletion."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from posts.admin.text_fields import XmlTextFields
from posts.images import ACCEPTED_FORMATS
from posts.models import Post
from posts.models.images import Image

ACCEPT = ",".join([*(f"image/{fmt.lower()}" for fmt in ACCEPTED_FORMATS), "image/svg+xml"])


class ImageForm(forms.ModelForm):
    # A plain file field: the model's validator (Pillow, by content) gives the precise error, where
    # Django's ImageField would call a decompression bomb "not an image".
    file = forms.FileField(
        label=_("Image file"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_(
            "JPEG, PNG, GIF, WebP or SVG. An SVG is cleaned of scripts, event handlers and "
            "external references before it is stored."
        ),
    )

    class Meta:
        model = Image
        fields = ["file", "alt", "caption", "source"]


def _refuse_used(request, images) -> bool:
    """Tell the writer which posts use which images; True when some are used."""
    refused = False
    for image in images:
        posts = list(image.posts_using())
        if posts:
            refused = True
            titles = ", ".join(f"“{post.title}”" for post in posts)
            messages.error(
                request,
                _(
                    "The image “%(image)s” cannot be deleted: it is used by %(posts)s. "
                    "Remove it from the post first."
                )
                % {"image": image, "posts": titles},
            )
    return refused


def delete_unused_selected(modeladmin, request, queryset):
    """The admin's bulk delete, refused as a whole when any selected image is in use."""
    if _refuse_used(request, queryset):
        return None
    return delete_selected(modeladmin, request, queryset)


@admin.register(Image)
class ImageAdmin(XmlTextFields, admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "alt", "caption", "dimensions", "uploaded_at", "copy_markdown"]
    list_display_links = ["thumbnail", "alt"]
    search_fields = ["alt", "caption", "source"]
    date_hierarchy = "uploaded_at"
    list_per_page = 50

    class Media:
        js = ["js/clipboard.js", "js/admin_copy_markdown.js"]
        css = {"all": ["css/admin_media.css"]}

    # On the change page the file is fixed: posts link to it and its renditions were made from it.
    EDITABLE = ["alt", "caption", "source"]
    SHOWN = ["copy_markdown", "dimensions", "sizes", "used_in", "uploaded_at", "uploaded_by"]

    upload_accept = ACCEPT

    def get_urls(self):
        view = self.admin_site.admin_view(require_POST(self.upload_view))
        return [path("upload/", view, name="posts_image_upload"), *super().get_urls()]

    def upload_view(self, request):
        """The editor's upload (paste, drop, button): the library's form and checks, answered in
        JSON: the new image's Markdown, or the reason it was refused (status 400)."""
        if not self.has_add_permission(request):
            return JsonResponse({"error": str(_("You may not add images."))}, status=403)
        form = self.get_form(request)(request.POST, request.FILES)
        if not form.is_valid():
            errors = [str(error) for field in form.errors.values() for error in field]
            return JsonResponse({"error": " ".join(errors), "fields": form.errors}, status=400)
        image = form.save(commit=False)
        image.uploaded_by = request.user
        image.save()
        self.log_addition(request, image, [{"added": {}}])
        return JsonResponse(
            {"id": image.pk, "url": image.url, "alt": image.alt, "markdown": image.markdown()},
            status=201,
        )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["file", *self.EDITABLE]
        return ["preview", *self.EDITABLE, *self.SHOWN]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["preview", *self.SHOWN]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _func, name, description = actions["delete_selected"]
            actions["delete_selected"] = (delete_unused_selected, name, description)
        return actions

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def delete_view(self, request, object_id, extra_context=None):
        image = self.get_object(request, object_id)
        if image is not None and _refuse_used(request, [image]):
            return redirect(reverse("admin:posts_image_change", args=[image.pk]))
        return super().delete_view(request, object_id, extra_context)

    @admin.display(description=_("image"))
    def thumbnail(self, obj):
        return format_html(
            '<img class="media-thumbnail" src="{}" alt="" loading="lazy">', obj.thumbnail_url()
        )

    @admin.display(description=_("image"))
    def preview(self, obj):
        return format_html(
            '<a href="{}"><img class="media-preview" src="{}" alt="{}"></a>',
            obj.url,
            obj.thumbnail_url(),
            obj.alt,
        )

    @admin.display(description=_("size"))
    def dimensions(self, obj):
        return f"{obj.width} x {obj.height} px"

    @admin.display(description=_("Markdown"))
    def copy_markdown(self, obj):
        return format_html(
            '<code class="media-markdown">{}</code> '
            '<button type="button" class="button copy-markdown" data-markdown="{}">{}</button>',
            obj.markdown(),
            obj.markdown(),
            _("Copy Markdown"),
        )

    @admin.display(description=_("renditions"))
    def sizes(self, obj):
        if not obj.renditions:
            return _("None: the original is small enough (or an animated GIF).")
        return format_html_join(
            ", ",
            '<a href="{}">{} px</a>',
            ((obj.file.storage.url(r["name"]), r["width"]) for r in obj.renditions),
        )

    @admin.display(description=_("used in"))
    def used_in(self, obj):
        posts = obj.posts_using()
        if not posts:
            return _("No post uses this image.")
        if not self.admin_site.is_registered(Post):
            return ", ".join(post.title for post in posts)
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("admin:posts_post_change", args=[p.pk]), p.title) for p in posts),
        )
