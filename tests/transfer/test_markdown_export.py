"""The export command, and the round trip: export, import into an empty site, same posts."""

from datetime import timedelta
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from posts.models import Post, PostAlias, Series, Tag
from posts.models.images import Image
from tests.images import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(make_post, author, media_root):
    """A small site: an image in the library, published, draft and scheduled posts."""
    figure = Image.create_from_bytes(
        image_bytes(1200, 600),
        "attention.png",
        alt="Attention map",
        caption="The map.",
        source="https://example.org/",
        uploaded_by=author,
    )
    series = Series.objects.create(title="Object Detection", slug="object-detection")
    first = make_post(
        title="Attention? Attention!",
        slug="attention",
        body=(
            "Intro with $\\alpha_t$ and a citation-free claim.\n\n"
            f"{figure.markdown()}\n\n"
            "## Code\n\n```python\nprint('$$ not math $$')\n```\n\n$$\nE = mc^2\n$$\n"
        ),
        summary="Two lines\nof *summary*.",
        tags=["Attention", "transformer"],
        series=series,
        series_part=1,
    )
    PostAlias.objects.create(post=first, path="/2018/06/24/attention-attention.html")
    make_post(
        title="Draft: diffusion",
        slug="diffusion",
        status=Post.Status.DRAFT,
        published_at=None,
        tags=["diffusion"],
    )
    make_post(title="Scheduled", slug="scheduled", published_at=timezone.now() + timedelta(days=3))
    return figure


def snapshot():
    return {
        post.slug: {
            "title": post.title,
            "body_html": post.body_html,
            "summary": post.summary,
            "summary_html": post.summary_html,
            "tags": sorted(post.tags.names()),
            "published_at": post.published_at,
            "status": post.status,
            "aliases": sorted(post.aliases.values_list("path", flat=True)),
            "series": (post.series.title if post.series else None, post.series_part),
        }
        for post in Post.objects.all()
    }


def test_export_writes_front_matter_bodies_and_images(site, tmp_path):
    out = tmp_path / "export"
    stdout = StringIO()
    call_command("export_markdown", str(out), stdout=stdout)
    assert (
        "Exported 3 posts (1 drafts), 1 images, 0 references, 3 tags and 1 series"
        in stdout.getvalue()
    )
    text = (out / "posts" / "attention.md").read_text()
    header = yaml.safe_load(text.split("---\n")[1])
    post = Post.objects.get(slug="attention")
    assert header["title"] == "Attention? Attention!"
    assert header["date"] == post.published_at.isoformat()
    assert header["draft"] is False
    assert header["tags"] == ["Attention", "transformer"]
    assert header["summary"] == "Two lines\nof *summary*."
    assert header["aliases"] == ["/2018/06/24/attention-attention.html"]
    assert (header["series"], header["series_part"]) == ("Object Detection", 1)
    assert f"/media/{site.file.name}" in text
    assert (out / "media" / site.file.name).read_bytes() == site.file.open("rb").read()
    draft = yaml.safe_load((out / "posts" / "diffusion.md").read_text().split("---\n")[1])
    assert draft["draft"] is True and "date" not in draft


def test_export_refuses_a_folder_that_is_not_empty(site, tmp_path):
    (tmp_path / "old.md").write_text("x")
    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("export_markdown", str(tmp_path), stdout=StringIO())


def test_round_trip_into_an_empty_site_gives_the_same_posts(site, tmp_path, settings, author):
    before = snapshot()
    assert 'srcset="' in before["attention"]["body_html"]
    out = tmp_path / "export"
    call_command("export_markdown", str(out), stdout=StringIO())

    # An empty site: no posts, tags, series, aliases or images, and a fresh media folder.
    Post.objects.all().delete()
    Tag.objects.all().delete()
    Series.objects.all().delete()
    Image.objects.all().delete()
    settings.MEDIA_ROOT = tmp_path / "fresh-media"

    stdout = StringIO()
    call_command("import_markdown", str(out), "--author", author.username, stdout=stdout)
    assert "3 created, 0 updated, 0 unchanged, 0 failed" in stdout.getvalue()
    assert snapshot() == before
    assert Image.objects.get().file.name == site.file.name

    stdout = StringIO()
    call_command("import_markdown", str(out), "--author", author.username, stdout=stdout)
    assert "0 created, 0 updated, 3 unchanged" in stdout.getvalue()
