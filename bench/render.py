"""Time the Markdown pipeline on a 10,000-word post with 150 formulas, code and figures:

    python -m bench.render [--repeat 5]

Prints the best and median of the runs. The test suite checks what such a post renders to
(tests/test_markup.py); how long it takes is measured here, not asserted there. The figure to
beat on the 2-core development machine: under one second (about 0.1 s when this was written).
"""

import argparse
import os
import statistics
import time
from types import SimpleNamespace

WORDS = ("the", "model", "learns", "a", "representation", "of", "tokens", "with", "attention")


def long_post(sections=100):
    chunks = []
    for i in range(sections):
        if i % 10 == 0:
            chunks.append(f"## Section {i}")
        sentence = " ".join(WORDS[(i + j) % len(WORDS)] for j in range(100))
        chunks.append(f"{sentence} with $x_{i}^2$ inline [@k] and `code`.")
        if i % 2 == 0:
            chunks.append(r"$$\mathcal{L}(\theta) = -\sum_{j=1}^{N} \log p_\theta(x_j)$$")
        if i % 20 == 0:
            chunks.append(f'![fig](/f{i}.png "Figure caption {i}")')
            chunks.append("```python\nfor i in range(10):\n    print(i)\n```")
    return "\n\n".join(chunks)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blogsite.settings")
    import django

    django.setup()
    from posts.markup import render_markdown

    entry = SimpleNamespace(key="k", authors="Doe, Jane", title="On k", venue="ICML", year=2021)
    bibliography = {"k": SimpleNamespace(**vars(entry), arxiv_id="", doi="", url="")}
    source = long_post()
    rendered = render_markdown(source, bibliography=bibliography)  # warm up imports and caches
    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        render_markdown(source, bibliography=bibliography)
        timings.append(time.perf_counter() - start)
    print(
        f"{rendered.word_count} words: best {min(timings):.3f}s, "
        f"median {statistics.median(timings):.3f}s over {args.repeat} runs"
    )


if __name__ == "__main__":
    main()
