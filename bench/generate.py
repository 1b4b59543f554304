"""Fill a database with a large site: N posts of realistic length (prose, inline and display math,
code, figures, headings), 300 tags, 5 tags a post. Bulk inserts, so 10,000 posts take a few minutes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/blogsite_ops_bench \\
        python -m bench.generate --posts 10000 --tags 300

Rendering Markdown costs ~0.3 s for a 4,000-word post, so a pool of distinct bodies (default 60)
is rendered once and reused round-robin; titles, slugs, dates and tags are unique per post.
Bulk inserts send no signals, so the search index is rebuilt and the page cache invalidated at
the end.
"""

from __future__ import annotations

import argparse
import os
import random
from datetime import timedelta

WORDS = [
    "model",
    "training",
    "loss",
    "gradient",
    "attention",
    "transformer",
    "policy",
    "reward",
    "agent",
    "embedding",
    "token",
    "sequence",
    "layer",
    "network",
    "optimizer",
    "batch",
    "sample",
    "distribution",
    "entropy",
    "variance",
    "objective",
    "representation",
    "encoder",
    "decoder",
    "latent",
    "diffusion",
    "noise",
    "score",
    "prior",
    "posterior",
    "inference",
    "generalization",
    "benchmark",
    "dataset",
    "evaluation",
    "robustness",
    "alignment",
    "preference",
    "feedback",
]
TOPICS = [
    "attention",
    "diffusion",
    "reinforcement-learning",
    "transformers",
    "contrastive-learning",
    "robustness",
    "meta-learning",
    "optimization",
    "language-models",
    "vision",
]


RENDERED_FIELDS = (
    "body",
    "body_html",
    "toc_html",
    "body_text",
    "summary_html",
    "word_count",
    "reading_time",
    "render_warnings",
    "render_version",
)


def sentence(rng, words=14):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng):
    parts = [sentence(rng, rng.randint(10, 22)) for _ in range(rng.randint(4, 7))]
    parts.insert(rng.randint(0, len(parts)), f"The term $\\alpha_{rng.randint(1, 9)} x^2$ matters.")
    return " ".join(parts)


def body(rng, sections=8):
    """~3,000-4,000 words: prose, math, code and a figure per section."""
    out = [paragraph(rng)]
    for n in range(1, sections + 1):
        out.append(f"## Section {n}: {rng.choice(WORDS).title()} {rng.choice(WORDS)}")
        out += [paragraph(rng) for _ in range(rng.randint(3, 5))]
        out.append(
            "$$\n\\mathcal{L}(\\theta) = \\mathbb{E}_{x \\sim p}\\left[\\log "
            f"\\frac{{p_\\theta(x)}}{{q(x)}}\\right] + \\lambda_{n} \\sum_{{i=1}}^{{N}} w_i^2\n$$"
        )
        out.append(
            "```python\n"
            f"def step_{n}(model, batch, lr={rng.random():.3f}):\n"
            "    loss = model(batch).mean()\n"
            "    loss.backward()\n"
            "    for p in model.parameters():\n"
            "        p.data -= lr * p.grad\n"
            "    return loss.item()\n```"
        )
        out.append(f'![Figure {n}: {sentence(rng, 6)}](/media/figures/fig-{n}.png "{n}")')
    return "\n\n".join(out)


def generate(posts, tags, pool, seed):
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from blogsite.page_cache import invalidate
    from posts.models import ListingVersion, Post, Tag, TaggedPost
    from posts.search.index import rebuild_index

    rng = random.Random(seed)
    author, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"first_name": "Bench", "last_name": "Writer"}
    )
    rendered = []
    for _ in range(pool):
        sample = Post(body=body(rng))
        sample.render()  # the same pipeline as Post.save(): math, code, figures, images
        rendered.append(sample)
    now = timezone.now()
    with transaction.atomic():
        tag_objects = Tag.objects.bulk_create(
            [Tag(name=f"{TOPICS[n % len(TOPICS)]}-{n}", slug=f"{TOPICS[n % len(TOPICS)]}-{n}")
             for n in range(tags)]
        )  # fmt: skip
        post_objects = []
        for n in range(posts):
            sample = rendered[n % pool]
            post_objects.append(
                Post(
                    title=f"{sentence(rng, 5)[:-1]} ({n})",
                    slug=f"bench-post-{n}",
                    author=author,
                    status=Post.Status.PUBLISHED,
                    published_at=now - timedelta(hours=6 * (posts - n)),
                    **{field: getattr(sample, field) for field in RENDERED_FIELDS},
                )
            )
        post_objects = Post.objects.bulk_create(post_objects, batch_size=500)
        TaggedPost.objects.bulk_create(
            [TaggedPost(content_object=post, tag=tag)
             for post in post_objects for tag in rng.sample(tag_objects, 5)],
            batch_size=5000,
        )  # fmt: skip
        # bulk inserts send no signals: fill the search index as `rebuild_search_index` does
        rebuild_index(Post.objects.order_by("pk").iterator(chunk_size=200))
        ListingVersion.bump()  # and for the links stored with post pages (posts.post_links)
    invalidate()
    return len(post_objects)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--tags", type=int, default=300)
    parser.add_argument("--pool", type=int, default=60, help="distinct bodies to render")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blogsite.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    count = generate(args.posts, args.tags, args.pool, args.seed)
    print(f"Created {count} posts with {args.tags} tags, 5 tags each.")


if __name__ == "__main__":
    main()
