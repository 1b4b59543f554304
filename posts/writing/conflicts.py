"""Edit conflicts: a form saved from a stale copy of a post is refused, never applied silently.

The post form carries a hidden version token: the post's `updated_at` when the form was opened.
On save, `is_stale()` compares it with the post as it is now; if someone saved in between, the form
is refused with a diff of what they changed (`ConflictCheckedPostForm.conflict`), the writer's text
stays in the form, and the token moves on so that a deliberate second save goes through.

A form posted without a token (not from the admin page) is not checked.

The check and the write are one step: the admin locks the post's row (`lock_for_save`, SELECT ...
FOR UPDATE inside the admin's save transaction) before it loads the post for the form, so a second
save of the same version waits for the first to commit, then sees its version and is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from posts.markup import render_markdown
from posts.models import Post, display_name
from posts.writing.diff import FieldDiff, diff_states, post_state

TOKEN_FIELD = "loaded_version"


def version_token(updated_at: datetime | None) -> str:
    return updated_at.isoformat() if updated_at else ""


def is_stale(token: str, current: datetime | None) -> bool:
    """True when the post changed since the form carrying `token` was opened.

    An empty token is not checked; an unreadable one counts as stale.
    """
    if not token or current is None:
        return False
    try:
        loaded = parse_datetime(token)
    except ValueError:
        loaded = None
    return loaded is None or loaded != current


def lock_for_save(post_id) -> None:
    """Hold the post's row until the current transaction ends, so no other save can come between
    this request's conflict check and its write. Outside a transaction (or for an id that is not
    one) it does nothing; on SQLite, which has no row locks, writes are serialised anyway."""
    if str(post_id).isdigit() and transaction.get_connection().in_atomic_block:
        list(Post.objects.select_for_update().filter(pk=int(post_id)).values_list("pk"))


@dataclass(frozen=True)
class Conflict:
    saved_at: datetime
    saved_by: str
    # True: the diffs are their changes since you opened the form; False: saved text vs yours.
    since_opened: bool
    diffs: list[FieldDiff]


def describe_conflict(post: Post, token: str, submitted: dict[str, str]) -> Conflict:
    """What changed in `post` since the form with `token` was opened."""
    from posts.writing import revisions

    current = revisions.current_state(post)
    loaded = parse_datetime(token) if token else None
    base = revisions.version_saved_at(post, loaded) if loaded else None
    latest = revisions.versions_of(post).first()
    user = latest.revision.user if latest else None
    saved_by = display_name(user) or _("someone")
    if base is not None:
        diffs = diff_states(revisions.version_state(base), current)
    else:
        diffs = diff_states(current, submitted)
    return Conflict(post.updated_at, str(saved_by), base is not None, diffs)


class ConflictCheckedPostForm(forms.ModelForm):
    """The admin's post form with the version token; `conflict` is set when a save is refused."""

    loaded_version = forms.CharField(required=False, widget=forms.HiddenInput)

    conflict: Conflict | None = None

    class Meta:
        model = Post
        fields = ["title", "slug", "summary", "body", "tags"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[TOKEN_FIELD].initial = version_token(self.instance.updated_at)

    def submitted_state(self) -> dict[str, str]:
        data = self.cleaned_data
        tags = data.get("tags") or []
        return post_state(
            title=data.get("title", ""),
            slug=data.get("slug", ""),
            summary=data.get("summary", ""),
            body=data.get("body", ""),
            tags=[str(tag) for tag in tags],
        )

    def clean(self):
        cleaned = super().clean()
        token = cleaned.get(TOKEN_FIELD, "")
        if self.instance.pk and is_stale(token, self.instance.updated_at):
            self.conflict = describe_conflict(self.instance, token, self.submitted_state())
            # The writer has now seen the other changes: a second save is a deliberate choice.
            self.data = self.data.copy()
            self.data[self.add_prefix(TOKEN_FIELD)] = version_token(self.instance.updated_at)
            when = timezone.localtime(self.conflict.saved_at).strftime("%Y-%m-%d %H:%M:%S")
            raise ValidationError(
                _(
                    "%(who)s saved this post at %(when)s, after you opened it. Nothing was "
                    "saved: your text is still in the form below. Review their changes, "
                    "bring them into your text, and save again."
                ),
                code="edit_conflict",
                params={"who": self.conflict.saved_by, "when": when},
            )
        return cleaned

    # Issue 11, item 4: a text the pipeline cannot render within its time limit is refused here,
    # the text staying in the form (`Rendered.problem` names the constructs to fix).
    def clean_body(self):
        return _renderable(self.cleaned_data.get("body", ""))

    def clean_summary(self):
        return _renderable(self.cleaned_data.get("summary", ""))


def _renderable(text: str) -> str:
    problem = render_markdown(text).problem if text else ""
    if problem:
        raise ValidationError(problem, code="too_slow_to_render")
    return text
