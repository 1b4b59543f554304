"""The bibliography: entries cited in Markdown as [@key]."""

from django.contrib import admin
from django.db import models

from posts.models import Reference


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["key", "title", "authors", "year"]
    search_fields = ["key", "title", "authors"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
