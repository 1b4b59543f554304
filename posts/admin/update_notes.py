"""Dated update notes, edited inline on a post: "[Updated on 2019-09-07: add a section on X.]".

Saving or deleting a note keeps `Post.revised_on` in step (see `UpdateNote` in posts/models.py),
which drives the post's modified date in metadata, the sitemap and the feeds.
"""

from django.contrib import admin

from posts.admin.text_fields import XmlTextFields
from posts.models import UpdateNote


class UpdateNoteInline(XmlTextFields, admin.TabularInline):
    model = UpdateNote
    fields = ["date", "note"]
    extra = 0
    ordering = ["date", "id"]
