"""`{% path "posts:tag" slug=tag.slug %}`: `{% url %}` through `posts.routes.path_for`, which
reverses each address once per process."""

from django import template

from posts.routes import path_for

register = template.Library()


@register.simple_tag
def path(name, **kwargs):
    return path_for(name, **kwargs)
