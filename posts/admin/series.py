"""Series: an ordered run of posts."""

from django.contrib import admin

from posts.admin.series_parts import SeriesPartInline
from posts.admin.text_fields import XmlTextFields
from posts.models import Series


@admin.register(Series)
class SeriesAdmin(XmlTextFields, admin.ModelAdmin):
    list_display = ["title", "slug"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SeriesPartInline]
