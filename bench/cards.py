"""Time the share cards and SVG handling of posts.cards and posts.images:

    python -m bench.cards [--repeat 5]

Prints the best and median seconds of: a title card, a card from the demo's SVG figure
(sanitise, rasterise at 1200 px, fit on the canvas) and sanitising that SVG alone. Cards are
drawn once a save is committed, outside the request's transaction; these numbers say what a
save costs after its commit. Results are written in docs/benchmarks.md.
"""

import argparse
import os
import statistics
import time


def timed(function, repeat):
    function()  # warm up fonts and imports
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        runs.append(time.perf_counter() - start)
    return min(runs), statistics.median(runs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blogsite.settings")
    import django

    django.setup()
    from posts import cards
    from posts.images import sanitize_svg

    figure = "/static/demo/cma-ellipses.svg"
    with open(cards.finders.find(figure.removeprefix("/static/")), "rb") as file:
        svg = file.read()
    cases = {
        "title card": lambda: cards.title_card(
            "Evolution Strategies: a long title that has to wrap over two lines",
            "Lilian Weng · September 5, 2019",
            "Lil'Log",
        ),
        "card from an SVG figure": lambda: cards.picture_card(cards.picture_bytes(figure)),
        "sanitise the SVG": lambda: sanitize_svg(svg),
    }
    for name, function in cases.items():
        best, median = timed(function, args.repeat)
        print(f"{name:26} best {best * 1000:7.1f} ms  median {median * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
