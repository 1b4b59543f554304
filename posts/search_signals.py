"""Signal receivers that keep the search index in step with posts and their tags.

Connected in `PostsConfig.ready()`. Tag changes reach a post through its through model
(`TaggedPost`): taggit sends `m2m_changed` for `add`, `remove`, `set` and `clear`; renaming or
deleting a tag re-indexes every post that carries it.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from posts.models import Post, Tag, TaggedPost
from posts.search_index import index_post, reindex_posts, unindex_post


@receiver(post_save, sender=Post, dispatch_uid="search_index_post_saved")
def post_saved(sender, instance, **kwargs):
    index_post(instance)


@receiver(post_delete, sender=Post, dispatch_uid="search_index_post_deleted")
def post_deleted(sender, instance, **kwargs):
    unindex_post(instance.pk)


@receiver(m2m_changed, sender=TaggedPost, dispatch_uid="search_index_tags_changed")
def tags_changed(sender, instance, action, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, Post):
        index_post(instance)
    elif pk_set:
        reindex_posts(pk_set)


def _tagged_post_ids(tag) -> list[int]:
    return list(TaggedPost.objects.filter(tag=tag).values_list("content_object_id", flat=True))


@receiver(post_save, sender=Tag, dispatch_uid="search_index_tag_saved")
def tag_saved(sender, instance, created, **kwargs):
    if not created:
        reindex_posts(_tagged_post_ids(instance))


@receiver(pre_delete, sender=Tag, dispatch_uid="search_index_tag_deleting")
def tag_deleting(sender, instance, **kwargs):
    instance._search_post_ids = _tagged_post_ids(instance)


@receiver(post_delete, sender=Tag, dispatch_uid="search_index_tag_deleted")
def tag_deleted(sender, instance, **kwargs):
    reindex_posts(getattr(instance, "_search_post_ids", ()))
