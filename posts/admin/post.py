"""Temporary post admin for the writer branch; replaced by the admin branch's PostAdmin."""

from django.contrib import admin

from posts.admin.writer import WriterWorkflowMixin
from posts.models import Post, UpdateNote


class UpdateNoteInline(admin.TabularInline):
    model = UpdateNote
    extra = 0


@admin.register(Post)
class PostAdmin(WriterWorkflowMixin, admin.ModelAdmin):
    fields = ["title", "slug", "summary", "body", "status", "published_at", "author", "tags"]
    inlines = [UpdateNoteInline]
