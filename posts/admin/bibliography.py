"""The bibliography: entries cited in Markdown as [@key], the posts citing each, and the keys
cited somewhere that the bibliography does not have yet."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from posts.admin.text_fields import XmlTextFields
from posts.models import Reference
from posts.writing.bibliography import rerender_posts_citing, unknown_keys


class ReferenceForm(forms.ModelForm):
    """The admin builds the fields (and their overrides) from the model; this adds the key check."""

    def clean_key(self):
        key = self.cleaned_data["key"]
        clash = Reference.objects.filter(key__iexact=key).exclude(pk=self.instance.pk).first()
        if clash:
            raise forms.ValidationError(
                _('The key "%(key)s" is taken: "%(existing)s" differs only in case.')
                if clash.key != key
                else _('The key "%(key)s" is taken by another reference.'),
                code="duplicate",
                params={"key": key, "existing": clash.key},
            )
        return key


class CitationFilter(admin.SimpleListFilter):
    title = _("citations")
    parameter_name = "cited"

    def lookups(self, request, model_admin):
        return [("yes", _("Cited by a post")), ("no", _("Not cited"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(citing_count__gt=0)
        if self.value() == "no":
            return queryset.filter(citing_count=0)
        return queryset


@admin.register(Reference)
class ReferenceAdmin(XmlTextFields, admin.ModelAdmin):
    form = ReferenceForm
    change_list_template = "admin/posts/reference/change_list.html"
    list_display = ["key", "title", "authors", "venue", "year", "cited_by_count"]
    list_filter = [CitationFilter, "year"]
    search_fields = ["key", "title", "authors", "venue", "arxiv_id", "doi"]
    readonly_fields = ["cited_by"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(citing_count=models.Count("citing_posts", distinct=True))
        )

    @admin.display(description=_("cited by"), ordering="citing_count")
    def cited_by_count(self, reference):
        return reference.citing_count

    @admin.display(description=_("cited by"))
    def cited_by(self, reference):
        posts = reference.citing_posts.only("title", "slug", "status", "published_at")
        if not reference.pk or not posts:
            return _("No post cites it yet.")
        return format_html(
            '<ul class="cited-by">{}</ul>',
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({}, <a href="{}">view</a>)</li>',
                (
                    (
                        reverse("admin:posts_post_change", args=[post.pk]),
                        post.title,
                        post.get_status_display(),
                        post.get_absolute_url(),
                    )
                    for post in posts.order_by("-published_at", "pk")
                ),
            ),
        )

    def get_urls(self):
        view = self.admin_site.admin_view(self.unknown_keys_view)
        return [
            path("unknown/", view, name="posts_reference_unknown"),
            *super().get_urls(),
        ]

    def unknown_keys_view(self, request):
        """Keys cited in posts that the bibliography lacks, each with its posts and an add link."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Cited keys missing from the bibliography"),
            "unknown": unknown_keys().items(),
            "add_url": reverse("admin:posts_reference_add"),
        }
        return TemplateResponse(request, "admin/posts/reference/unknown_keys.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {"unknown_key_count": len(unknown_keys()), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        old_key = form.initial.get("key") if change else None
        super().save_model(request, obj, form, change)
        self._rerendered(request, rerender_posts_citing({obj.key, old_key}))

    def delete_model(self, request, obj):
        citing = list(obj.citing_posts.values_list("pk", flat=True))
        key = obj.key
        super().delete_model(request, obj)
        self._rerendered(request, rerender_posts_citing({key}, citing))

    def delete_queryset(self, request, queryset):
        keys = set(queryset.values_list("key", flat=True))
        citing = set(queryset.values_list("citing_posts", flat=True)) - {None}
        super().delete_queryset(request, queryset)
        self._rerendered(request, rerender_posts_citing(keys, citing))

    def _rerendered(self, request, count):
        if count:
            self.message_user(
                request,
                ngettext(
                    "%d post citing it was rendered again.",
                    "%d posts citing it were rendered again.",
                    count,
                )
                % count,
                messages.INFO,
            )
