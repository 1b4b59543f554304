"""What happens when content is saved or deleted: every signal receiver of the site, in one place.

Connected once, by `PostsConfig.ready()`. Each receiver names its sender; the work itself lives in
the module it belongs to, so this file reads as the list of side effects:

- the full-text index follows posts and their tags (`posts.search.index`), in the same transaction;
- a published post whose URL changes keeps its old URL as an alias (`posts.writing.aliases`);
- a revision of a post records its tag links (`posts.writing.revisions`);
- a post's stored card and page parts follow the post, its tags, a tag's name and its author's
  name (`posts.list_cards`, `posts.page_parts`: both made from one load of the post and stored in
  one update), the parts its update notes too, in the same transaction;
- every change of a post or of its tag links counts a new listing version, which makes the links
  stored with each post page out of date (`posts.post_links`), in the same transaction;
- an update note keeps its post's `revised_on` in step;
- a saved post gets its share card again when what the card shows changed (`posts.share_cards`);
- a deleted image's files leave storage once the deletion is committed;
- the page cache starts a new generation once per committed transaction that changed anything a
  page shows (`blogsite.page_cache`); nothing else (a sign-in's `last_login`, a share link, a
  revision) touches it.
"""

import reversion
from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from blogsite import page_cache
from posts import page_parts, share_cards
from posts.models import (
    Image,
    ListingVersion,
    Post,
    PostAlias,
    Reference,
    Series,
    Tag,
    TaggedPost,
    UpdateNote,
)
from posts.search.index import index_post, reindex_posts, unindex_post
from posts.writing import aliases, revisions

# Models whose rows appear on public pages; a change to any of them makes cached pages stale.
PAGE_CONTENT = (Post, Tag, TaggedPost, Series, UpdateNote, Reference, PostAlias)
# Fields of an account that no page shows; saving only these leaves the page cache alone.
ACCOUNT_FIELDS_NOT_SHOWN = frozenset({"last_login", "password"})


# The search index.


@receiver(post_save, sender=Post, dispatch_uid="search-index-post-saved")
def index_saved_post(sender, instance, **kwargs):
    index_post(instance)


@receiver(post_delete, sender=Post, dispatch_uid="search-index-post-deleted")
def unindex_deleted_post(sender, instance, **kwargs):
    unindex_post(instance.pk)


@receiver(m2m_changed, sender=TaggedPost, dispatch_uid="search-index-tags-changed")
def reindex_retagged_posts(sender, instance, action, pk_set, **kwargs):
    """taggit sends `m2m_changed` through `TaggedPost` for add, remove, set and clear."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, Post):
        index_post(instance)
    elif pk_set:
        reindex_posts(pk_set)


def _tagged_post_ids(tag) -> list[int]:
    return list(TaggedPost.objects.filter(tag=tag).values_list("content_object_id", flat=True))


@receiver(post_save, sender=Tag, dispatch_uid="search-index-tag-saved")
def reindex_renamed_tag(sender, instance, created, **kwargs):
    if not created:
        reindex_posts(_tagged_post_ids(instance))


@receiver(pre_delete, sender=Tag, dispatch_uid="search-index-tag-deleting")
def remember_posts_of_deleted_tag(sender, instance, **kwargs):
    instance._search_post_ids = _tagged_post_ids(instance)


@receiver(post_delete, sender=Tag, dispatch_uid="search-index-tag-deleted")
def reindex_posts_of_deleted_tag(sender, instance, **kwargs):
    reindex_posts(getattr(instance, "_search_post_ids", ()))


# Old URLs and revisions of posts.


@receiver(pre_save, sender=Post, dispatch_uid="aliases-remember-url")
def remember_public_url(sender, instance, raw=False, **kwargs):
    if not raw:
        aliases.remember_public_url(instance)


@receiver(post_save, sender=Post, dispatch_uid="aliases-old-url")
def alias_old_url(sender, instance, raw=False, **kwargs):
    if not raw:
        aliases.alias_old_url(instance)


@receiver(post_save, sender=Post, dispatch_uid="revisions-tag-links")
def record_tag_links(sender, instance, raw=False, **kwargs):
    if reversion.is_active() and not raw:
        revisions.add_tag_links(instance)


# Stored post cards and page parts (both show the post, its tags and its author's name).


@receiver(post_save, sender=Post, dispatch_uid="cards-post-saved")
def refresh_card_of_saved_post(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw and not (update_fields and set(update_fields) <= {"card_html", "card_version"}):
        page_parts.refresh_card_and_parts([instance.pk])


@receiver(m2m_changed, sender=TaggedPost, dispatch_uid="cards-tags-changed")
def refresh_cards_of_retagged_posts(sender, instance, action, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, Post):
        page_parts.refresh_card_and_parts([instance.pk])
    elif pk_set:
        page_parts.refresh_card_and_parts(pk_set)


@receiver(post_save, sender=Tag, dispatch_uid="cards-tag-saved")
def refresh_cards_of_renamed_tag(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        page_parts.refresh_card_and_parts(_tagged_post_ids(instance))


@receiver(post_delete, sender=Tag, dispatch_uid="cards-tag-deleted")
def refresh_cards_of_deleted_tag(sender, instance, **kwargs):
    page_parts.refresh_card_and_parts(getattr(instance, "_search_post_ids", ()))


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="cards-author")
def refresh_cards_of_author(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and set(update_fields) <= ACCOUNT_FIELDS_NOT_SHOWN):
        return
    page_parts.refresh_card_and_parts(
        Post.objects.filter(author=instance).values_list("pk", flat=True)
    )


# The listing version: a post page's stored links to other posts (`posts.post_links`) follow
# every post and every tag link.


@receiver(post_save, sender=Post, dispatch_uid="listing-post-saved")
@receiver(post_delete, sender=Post, dispatch_uid="listing-post-deleted")
@receiver(post_delete, sender=TaggedPost, dispatch_uid="listing-tag-link-deleted")
def post_listing_changed(sender, **kwargs):
    """Also for fixtures (`raw`): a loaded post changes the listing like a saved one."""
    ListingVersion.bump()


@receiver(m2m_changed, sender=TaggedPost, dispatch_uid="listing-tags-changed")
def tag_links_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        ListingVersion.bump()


# Update notes and images.


@receiver(post_save, sender=UpdateNote, dispatch_uid="update-note-saved-revised-on")
@receiver(post_delete, sender=UpdateNote, dispatch_uid="update-note-revised-on")
def sync_revised_on(sender, instance, **kwargs):
    """On every save and delete: `note.delete()`, `queryset.delete()` (which calls no `delete()`
    method but sends this signal for each note) and cascades."""
    UpdateNote.sync_revised_on(instance.post_id)


# After `sync_revised_on`: the parts show the post's `revised_on`.
@receiver(post_save, sender=UpdateNote, dispatch_uid="page-parts-note-saved")
@receiver(post_delete, sender=UpdateNote, dispatch_uid="page-parts-note-deleted")
def refresh_parts_of_noted_post(sender, instance, raw=False, **kwargs):
    if not raw:
        page_parts.refresh_parts([instance.post_id])


@receiver(post_save, sender=Post, dispatch_uid="social-card")
def refresh_social_card(sender, instance, raw=False, **kwargs):
    """The post's 1200 x 630 share card, made again once the save is committed (drawing takes
    0.1-0.4 s, `bench/cards.py`: not inside the transaction) when what it shows changed. Pages
    name the card: this receiver is connected before the page cache's below, so its on-commit
    work runs first and the one new generation that the save starts already shows the card."""
    if not raw:
        post_pk = instance.pk
        transaction.on_commit(lambda: _refresh_social_card_of(post_pk))


def _refresh_social_card_of(post_pk):
    if share_cards.refresh_card_of(post_pk):
        page_parts.refresh_parts([post_pk])  # their metadata names the card


@receiver(post_delete, sender=Image, dispatch_uid="image-files-removed")
def remove_image_files(sender, instance, **kwargs):
    instance.remove_files_on_commit()


# The page cache.


def _content_changed(sender, **kwargs):
    page_cache.invalidate_on_commit()


for model in PAGE_CONTENT:
    post_save.connect(_content_changed, sender=model, dispatch_uid=f"page-cache-save-{model}")
    post_delete.connect(_content_changed, sender=model, dispatch_uid=f"page-cache-delete-{model}")


@receiver(m2m_changed, sender=TaggedPost, dispatch_uid="page-cache-tags")
@receiver(m2m_changed, sender=Post.references.through, dispatch_uid="page-cache-references")
def links_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        page_cache.invalidate_on_commit()


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="page-cache-account")
def account_saved(sender, update_fields=None, **kwargs):
    """An author's name shows on every post; a sign-in (which saves `last_login`) shows nowhere."""
    if update_fields is None or not set(update_fields) <= ACCOUNT_FIELDS_NOT_SHOWN:
        page_cache.invalidate_on_commit()
