"""What a site holds besides its posts, written by `export_markdown` and read back by
`import_markdown`: the bibliography, tag and series descriptions, image metadata.

    references.bib   the bibliography, one BibTeX entry a reference (written and read with
                     bibtexparser, so any BibTeX tool reads it too)
    tags.yml         [{name, slug, description}]
    series.yml       [{title, slug, description}]
    images.yml       [{file, alt, caption, source}] for each library image in media/

BibTeX fields: `author` (people joined by " and ", each "Surname, Given"; an organisation in
braces), `title`, `journal` (the venue; `booktitle`, `howpublished` or `publisher` are read too),
`year`, `eprint` with `archiveprefix = {arXiv}`, `doi`, `url`. The entry type is `article` when
there is a venue, else `misc`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import bibtexparser
import yaml
from bibtexparser.library import Library
from bibtexparser.middlewares import LatexDecodingMiddleware
from bibtexparser.model import Entry, Field
from django.db import DatabaseError, transaction

from posts.models import Image, Reference, Series, Tag
from posts.transfer.front_matter import BadSource
from posts.xml_text import forbidden_in, without_forbidden

REFERENCES, TAGS, SERIES, IMAGES = "references.bib", "tags.yml", "series.yml", "images.yml"


# Writing --------------------------------------------------------------------------------------


def _bibtex_author(name: str) -> str:
    name = name.strip()
    return name if "," in name else "{" + name + "}"


def references_bibtex(references) -> str:
    library = Library()
    for ref in references:
        fields = [
            (
                "author",
                " and ".join(_bibtex_author(n) for n in ref.authors.split(";") if n.strip()),
            ),
            ("title", ref.title),
            ("journal", ref.venue),
            ("year", str(ref.year) if ref.year else ""),
            ("eprint", ref.arxiv_id),
            ("archiveprefix", "arXiv" if ref.arxiv_id else ""),
            ("doi", ref.doi),
            ("url", ref.url),
        ]
        entry_type = "article" if ref.venue else "misc"
        library.add(Entry(entry_type, ref.key, [Field(k, v) for k, v in fields if v]))
    return bibtexparser.write_string(library)


def _dump(items: list[dict]) -> str:
    return yaml.safe_dump(items, sort_keys=False, allow_unicode=True, width=100)


def write_site_data(outdir: Path, images: list[Image]) -> dict[str, int]:
    """Write the four files into `outdir`; return how many entries each holds."""
    references = list(Reference.objects.order_by("key"))
    (outdir / REFERENCES).write_text(references_bibtex(references), "utf-8")
    tags = [
        {"name": tag.name, "slug": tag.slug, "description": tag.description}
        for tag in Tag.objects.order_by("pk")  # created in this order again: pages list tags so
    ]
    (outdir / TAGS).write_text(_dump(tags), "utf-8")
    series = [
        {"title": s.title, "slug": s.slug, "description": s.description}
        for s in Series.objects.order_by("pk")
    ]
    (outdir / SERIES).write_text(_dump(series), "utf-8")
    metadata = [
        {"file": i.file.name, "alt": i.alt, "caption": i.caption, "source": i.source}
        for i in sorted(images, key=lambda image: image.file.name)
    ]
    (outdir / IMAGES).write_text(_dump(metadata), "utf-8")
    return {"references": len(references), "tags": len(tags), "series": len(series)}


# Reading --------------------------------------------------------------------------------------


@dataclass
class SiteData:
    summary: list[str] = field(default_factory=list)  # "3 references", one line a kind
    images: dict[str, dict] = field(default_factory=dict)  # storage path -> alt, caption, source


def _split_authors(value: str) -> list[str]:
    """BibTeX's " and " between names, but not inside braces."""
    names, depth, current = [], 0, []
    tokens = re.split(r"(\s+and\s+|[{}])", value)
    for token in tokens:
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        if depth == 0 and re.fullmatch(r"\s+and\s+", token or ""):
            names.append("".join(current))
            current = []
        else:
            current.append(token)
    names.append("".join(current))
    return [_unbrace(" ".join(n.split())) for n in names if n.strip()]


def _unbrace(text: str) -> str:
    while text.startswith("{") and text.endswith("}") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def read_references(text: str, *, latex: bool = False) -> tuple[list[dict], list[str]]:
    """Reference fields from BibTeX text, and a line for each entry that could not be read.

    With `latex` (a bibliography written by hand, e.g. jekyll-scholar's) LaTeX is decoded to
    Unicode (`L{\\'e}on` → Léon, `{GAN}` → GAN); this site's own export is Unicode already and is
    read as written, so a title's braces come back too."""
    middleware = [LatexDecodingMiddleware()] if latex else []
    library = bibtexparser.parse_string(text, append_middleware=middleware)
    problems = [f"a BibTeX entry could not be parsed (line {b.start_line + 1})" for b in
                library.failed_blocks]  # fmt: skip
    found = []
    for entry in library.entries:
        fields = {f.key.lower(): str(f.value).strip() for f in entry.fields}
        year = fields.get("year", "")
        if year and not (year.isdigit() and 0 < int(year) < 10000):
            problems.append(f"{entry.key}: year {year!r} is not a year, left out")
            year = ""
        arxiv = (
            fields.get("eprint", "")
            if fields.get("archiveprefix", "arXiv").lower() == "arxiv"
            else ""
        )
        venue = next(
            (
                fields[k]
                for k in ("journal", "booktitle", "howpublished", "publisher")
                if fields.get(k)
            ),
            "",
        )
        found.append(
            {
                "key": entry.key,
                "authors": "; ".join(_split_authors(fields.get("author", ""))),
                "title": _unbrace(fields.get("title", "")) or entry.key,
                "venue": venue,
                "year": int(year) if year else None,
                "arxiv_id": arxiv,
                "doi": fields.get("doi", ""),
                "url": fields.get("url", ""),
            }
        )
    return found, problems


def _load_list(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise BadSource(f"{path.name} is not readable YAML") from exc
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise BadSource(f"{path.name} is not a list of entries")
    return data


def _saved(save, what: str, data: SiteData, texts: dict[str, str]) -> bool:
    """Run `save` in a savepoint; a row the database refuses (a slug taken, a value too long), or
    whose `texts` hold a character XML 1.0 forbids (as the admin and the post importer refuse it),
    is reported and the import goes on."""
    what = without_forbidden(what)  # the report is printed: a lone surrogate cannot be
    problem = forbidden_in(texts.items())
    if problem:
        data.summary.append(f"not saved: {what} ({problem})")
        return False
    try:
        with transaction.atomic():
            save()
    except (DatabaseError, ValueError) as error:
        data.summary.append(f"not saved: {what} ({' '.join(str(error).split())[:120]})")
        return False
    return True


def _save_tag(slug: str, name: str, description: str) -> None:
    tag = Tag.objects.filter(name__iexact=name).first() or Tag(name=name)
    tag.slug = slug or tag.slug or ""
    tag.description = description
    tag.save()


def import_site_data(root: Path) -> SiteData:
    """Create or update the bibliography, tags and series found in an export folder."""
    data = SiteData()
    try:
        _import(root, data)
    except BadSource as exc:
        data.summary.append(f"not read: {exc}")
    return data


def import_bibtex(bib: Path, name: str, data: SiteData, *, latex: bool = False) -> None:
    """Create or update a Reference for each entry of a BibTeX file (matched by key)."""
    references, problems = read_references(bib.read_text("utf-8", errors="replace"), latex=latex)
    saved = 0
    for values in references:
        key = values.pop("key")
        if _saved(
            lambda key=key, values=values: Reference.objects.update_or_create(
                key__iexact=key, defaults={"key": key, **values}
            ),
            f"{name}: {key}",
            data,
            {"key": key, **{k: v for k, v in values.items() if isinstance(v, str)}},
        ):
            saved += 1
    data.summary.append(f"{saved} references from {name}")
    data.summary += [f"{name}: {problem}" for problem in problems]


def import_jekyll_bibliography(root: Path, config: dict) -> SiteData:
    """jekyll-scholar's bibliography (`scholar: source`, default `_bibliography/`): every `.bib`
    file there, so that `{% cite key %}` (imported as `[@key]`) renders its reference."""
    data = SiteData()
    scholar = config.get("scholar") if isinstance(config.get("scholar"), dict) else {}
    folder = (root / str(scholar.get("source") or "_bibliography")).resolve()
    if not folder.is_relative_to(root.resolve()) or not folder.is_dir():
        return data
    for bib in sorted(folder.glob("*.bib")):
        import_bibtex(bib, bib.relative_to(root.resolve()).as_posix(), data, latex=True)
    return data


def _import(root: Path, data: SiteData) -> None:
    bib = root / REFERENCES
    if bib.is_file():
        import_bibtex(bib, REFERENCES, data)
    tags = _load_list(root / TAGS)
    for item in tags:
        name = str(item.get("name", "")).strip()
        if not name:
            continue
        texts = {"name": name, "description": str(item.get("description") or "")}
        save = partial(_save_tag, str(item.get("slug") or ""), **texts)
        _saved(save, f"{TAGS}: {name}", data, texts)
    if tags:
        data.summary.append(f"{len(tags)} tags from {TAGS}")
    series = _load_list(root / SERIES)
    for item in series:
        title, slug = str(item.get("title", "")).strip(), str(item.get("slug", "")).strip()
        values = {"title": title, "description": str(item.get("description") or "")}
        if title and slug:
            _saved(
                lambda slug=slug, values=values: Series.objects.update_or_create(
                    slug=slug, defaults=values
                ),
                f"{SERIES}: {title}",
                data,
                values,
            )
    if series:
        data.summary.append(f"{len(series)} series from {SERIES}")
    for item in _load_list(root / IMAGES):
        if item.get("file"):
            file = str(item["file"])
            values = {k: str(item.get(k) or "") for k in ("alt", "caption", "source")}
            problem = forbidden_in(values.items())
            if problem:
                data.summary.append(f"not used: {IMAGES}: {without_forbidden(file)} ({problem})")
            else:
                data.images[file] = values
