"""Each benchmark script writes its table into docs/benchmarks.md between markers of its own,
`<!-- name: start -->` and `<!-- name: end -->`, so a new run replaces only its own numbers."""

from __future__ import annotations

from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def write_section(name: str, text: str) -> None:
    """Put `text` between the markers called `name` (added at the end of the file if missing)."""
    start, end = f"<!-- {name}: start -->", f"<!-- {name}: end -->"
    doc = DOC.read_text()
    block = f"{start}\n{text}\n{end}"
    if start in doc:
        before, rest = doc.split(start, 1)
        doc = before + block + rest.split(end, 1)[1]
    else:
        doc += f"\n{block}\n"
    DOC.write_text(doc)
