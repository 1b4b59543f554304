"""Time the Markdown pipeline on the hostile inputs of issue 11 (and a few more found since):

    python -m bench.adversarial [--timeout 60] [--only NAME ...]

Each input renders in its own process (so a runaway one can be stopped at `--timeout`) and one
line is printed per input: CPU seconds (what the pipeline's limit counts) and wall-clock seconds,
whether the pipeline refused it as too slow
(`Rendered.problem`), or how it failed. Results are recorded in docs/benchmarks.md. The limit the
pipeline enforces is `posts.markup.render.RENDER_SECONDS`: 2 s of CPU time, whatever the length.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys


def _table(columns: int, rows: int) -> str:
    line = "|".join(["c"] * columns)
    return (
        "|".join(["h"] * columns) + "\n" + "|".join(["-"] * columns) + "\n" + (line + "\n") * rows
    )


def _long_post(sections: int) -> str:
    from bench.render import long_post

    return long_post(sections)


INPUTS = {
    # From the issue.
    "20 KB of [": lambda: "[" * 20_000,
    "![ x 10,000": lambda: "![" * 10_000,
    "[a]( x 5,000": lambda: "[a](" * 5_000,
    "2,000-column table, 10 rows": lambda: _table(2_000, 10),
    "preview: [ x 8,000": lambda: "[" * 8_000,
    "<div> x 4,000": lambda: "<div>" * 4_000,
    "<code> x 3,333": lambda: "<code>" * 3_333,
    "[link](#x){:target}": lambda: "[link](#x){:target}\n\ntext",
    # Found while fixing them.
    "[[a](b) x 3,000": lambda: "[[a](b)" * 3_000,
    "<a  x 7,000": lambda: "<a " * 7_000,
    "$a x 10,000 (5,000 formulas)": lambda: "$a" * 10_000,
    "<div> x 100,000": lambda: "<div>" * 100_000,
    "2,000-column table, 50 rows": lambda: _table(2_000, 50),
    # Ordinary long posts.
    "730 KB post (bench.render x10)": lambda: _long_post(1_000),
    "3 MB post (bench.render x40)": lambda: _long_post(4_000),
    "1.8 MB table, 20,000 rows x 8": lambda: _table(8, 20_000).replace("c", "cell value"),
}

_CHILD = """
import json, sys, time
from bench.adversarial import INPUTS
source = INPUTS[sys.argv[1]]()
from posts.markup import render_markdown
render_markdown("warm up")
start, cpu = time.perf_counter(), time.thread_time()
rendered = render_markdown(source)
print(json.dumps({"seconds": time.perf_counter() - start, "cpu": time.thread_time() - cpu,
                  "chars": len(source),
                  "refused": bool(getattr(rendered, "problem", "")),  # older pipelines: none
                  "warnings": len(rendered.warnings)}))
"""


def measure(name: str, timeout: float) -> str:
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, name],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"{name:34} > {timeout:.0f} s (stopped)"
    if done.returncode != 0:
        error = (done.stderr.strip().splitlines() or ["?"])[-1]
        return f"{name:34} raised: {error[:80]}"
    result = json.loads(done.stdout.strip().splitlines()[-1])
    verdict = "refused (too slow)" if result["refused"] else "rendered"
    return (
        f"{name:34} {result['cpu']:6.2f} s CPU {result['seconds']:6.2f} s wall "
        f"{result['chars']:>10,} chars  {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    for name in args.only or INPUTS:
        print(measure(name, args.timeout), flush=True)


if __name__ == "__main__":
    main()
