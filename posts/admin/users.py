"""Accounts: Django's own admin for them, but a writer's name (on every post and in the feeds)
may hold no character XML 1.0 forbids."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from posts.admin.text_fields import XmlTextFields

User = get_user_model()

admin.site.unregister(User)


@admin.register(User)
class UserAdmin(XmlTextFields, DjangoUserAdmin):
    """Django's account admin, its text fields checked."""
