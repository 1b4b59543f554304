"""How a post is cited: its BibTeX key, a plain-text citation and a BibTeX entry.

Small pure functions over a `PostCitation` (the metadata a citation needs), plus two helpers
that read a `Post`: `citation_for()` and `assign_key()`. The format is documented in
docs/citation.md; it is the same for every post.

The entry type is `@article` with `journal` = the site name: every standard BibTeX style
(plain, natbib, ACL, NeurIPS, IEEE) prints an `@article`'s journal in the venue position, so the
site shows up in the reference list, while `@misc` puts it in `howpublished`, which many styles
drop, and `@online` exists only in biblatex. Readers of research blogs already cite them this way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import count, product
from string import ascii_lowercase

from django.conf import settings
from django.utils import timezone

from posts.routes import path_for

# Words skipped when picking the title word of a key ("On the Evolution of ..." -> evolution).
_STOP_WORDS = """
    a an the and or but nor for of on in at to by with from into onto over under about as
    is are was were be been being do does did how what why when where which who whom whose
    can could should would will shall may might must not no yes vs versus via per toward towards
    this that these those it its our your their my we you they i"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

# Letters NFKD does not split into a base letter and an accent.
_FOLD = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "OE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "þ": "th",
        "\u0131": "i",  # dotless i,
    }
)

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# Characters with a meaning in BibTeX/LaTeX and how to write them literally.
_LATEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_SPECIAL = re.compile("[" + re.escape("".join(_LATEX_ESCAPES)) + "]")


@dataclass(frozen=True)
class PostCitation:
    """What a citation of a post says."""

    key: str
    title: str
    surname: str  # empty when the author has no surname: `given` is then the whole name
    given: str
    site_name: str
    published: date
    url: str
    version: date | None = None  # the update-note date of the version cited, if any

    @property
    def author_name(self) -> str:
        """ "Weng, Lilian", as citation meta tags and reference managers expect."""
        if self.surname and self.given:
            return f"{self.surname}, {self.given}"
        return self.surname or self.given


def ascii_fold(text: str) -> str:
    """ "Schölkopf" -> "Scholkopf", "Łukasz" -> "Lukasz"; characters without an ASCII form go."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return decomposed.encode("ascii", "ignore").decode("ascii")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", ascii_fold(text).lower().replace("'", ""))


def base_key(surname: str, year: int, title: str) -> str:
    """`("Weng", 2019, "The Evolution of ...")` -> "weng2019evolution".

    The surname and the first title word that is not a stop word, folded to lowercase ASCII
    letters and digits. Fallbacks keep the key non-empty: "anon" for no usable surname, the first
    word (or nothing) when every title word is a stop word.
    """
    name = "".join(_words(surname)) or "anon"
    title_words = _words(title)
    word = next((w for w in title_words if w not in STOP_WORDS and not w.isdigit()), None)
    if word is None:
        word = title_words[0] if title_words else ""
    return f"{name}{year}{word}"[:90]


def key_suffixes() -> Iterator[str]:
    """ "", "b", "c", ..., "z", "aa", "ab", ... -- the suffixes tried when a key is taken."""
    yield ""
    yield from ascii_lowercase[1:]
    for length in count(2):
        for letters in product(ascii_lowercase, repeat=length):
            yield "".join(letters)


def unique_key(base: str, is_taken: Callable[[str], bool] | Iterable[str]) -> str:
    """The first of `base`, `base + "b"`, `base + "c"`, ... that is not taken."""
    if not callable(is_taken):
        taken = set(is_taken)
        is_taken = taken.__contains__
    return next(base + suffix for suffix in key_suffixes() if not is_taken(base + suffix))


def escape_bibtex(text: str) -> str:
    """Write `text` so that BibTeX and LaTeX print it literally; non-ASCII stays UTF-8."""
    text = " ".join(text.split())
    return _LATEX_SPECIAL.sub(lambda m: _LATEX_ESCAPES[m.group(0)], text)


def _bibtex_url(url: str) -> str:
    # A URL is set verbatim by the url/hyperref packages; only braces could break the entry.
    return url.replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C")


def _bibtex_author(citation: PostCitation) -> str:
    if citation.surname and citation.given:
        return f"{escape_bibtex(citation.surname)}, {escape_bibtex(citation.given)}"
    # One name only (a username or an organisation): braced so BibTeX does not split it.
    return "{" + escape_bibtex(citation.author_name) + "}"


def version_note(citation: PostCitation) -> str:
    return f"Version of {citation.version.isoformat()}" if citation.version else ""


def bibtex(citation: PostCitation) -> str:
    """The BibTeX entry, one field per line, values in braces (the month as its BibTeX macro)."""
    fields = [
        ("title", "{" + escape_bibtex(citation.title) + "}"),
        ("author", "{" + _bibtex_author(citation) + "}"),
        ("journal", "{" + escape_bibtex(citation.site_name) + "}"),
        ("year", "{" + str(citation.published.year) + "}"),
        ("month", _MONTHS[citation.published.month - 1]),
        ("url", "{" + _bibtex_url(citation.url) + "}"),
    ]
    if citation.version:
        fields.append(("note", "{" + version_note(citation) + "}"))
    width = max(len(name) for name, _ in fields)
    lines = [f"  {name.ljust(width)} = {value}" for name, value in fields]
    return f"@article{{{citation.key},\n" + ",\n".join(lines) + "\n}\n"


def plain_text(citation: PostCitation) -> str:
    """ "Weng, Lilian. (Sep 2019). Evolution Strategies. Lil'Log. https://.../" """
    month = citation.published.strftime("%b")  # English month names: Django activates no locale
    parts = [
        f"{citation.author_name}. ({month} {citation.published.year}).",
        f"{_sentence(citation.title)}",
        f"{_sentence(citation.site_name)}",
    ]
    if citation.version:
        parts.append(f"{version_note(citation)}.")
    parts.append(citation.url)
    return " ".join(parts)


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "?", "!")) else text + "."


# --- Reading a Post -------------------------------------------------------------------------


def author_names(user) -> tuple[str, str]:
    """(surname, given names) of a post's author; a user without a surname gives their full or
    user name as `given`."""
    surname = (user.last_name or "").strip()
    given = (user.first_name or "").strip()
    if not surname:
        return "", given or user.get_username()
    return surname, given


def key_for(post) -> str:
    """The key `post` would get now, before checking for clashes."""
    surname, given = author_names(post.author)
    return base_key(surname or given, publication_date(post).year, post.title)


def assign_key(post) -> str:
    """A site-unique key for `post` (which has none yet): the base key, or the base key with the
    first free suffix among b, c, ..."""
    base = key_for(post)
    taken = set(
        type(post)
        .objects.filter(citation_key__startswith=base)
        .exclude(pk=post.pk)
        .values_list("citation_key", flat=True)
    )
    return unique_key(base, taken)


def publication_date(post) -> date:
    return timezone.localdate(post.published_at) if post.published_at else timezone.localdate()


def versions(post, notes) -> list[date]:
    """The dates a reader can name as the version read: publication, then every update note."""
    return sorted({publication_date(post), *(note.date for note in notes)})


def citation_for(post, notes=(), version: date | None = None) -> PostCitation:
    """The citation of `post`. With update notes, it names a version: `version` when given (it
    must be one of `versions()`), otherwise the newest one. A draft is cited as if published
    today (a preview for staff)."""
    notes = list(notes)
    if version is None and notes:
        version = max(note.date for note in notes)
    surname, given = author_names(post.author)
    return PostCitation(
        key=post.citation_key or key_for(post),
        title=post.title,
        surname=surname,
        given=given,
        site_name=settings.SITE_NAME,
        published=publication_date(post),
        url=settings.SITE_URL + post.get_absolute_url(),
        version=version,
    )


@dataclass(frozen=True)
class CitationBlock:
    """What the "Cite as" block and the citation meta tags show."""

    citation: PostCitation
    text: str
    bibtex: str
    bib_url: str  # empty for a post the public cannot see (its cite.bib is a 404)
    versions: list[tuple[date, str]]  # (date, cite.bib URL of that version) when there are notes


def citation_block(post, notes) -> CitationBlock:
    notes = list(notes)
    cite = citation_for(post, notes)
    bib_url = path_for("posts:cite-bib", **post.url_kwargs()) if post.is_public else ""
    dated = versions(post, notes) if notes and bib_url else []
    return CitationBlock(
        citation=cite,
        text=plain_text(cite),
        bibtex=bibtex(cite),
        bib_url=bib_url,
        versions=[(day, f"{bib_url}?version={day.isoformat()}") for day in dated],
    )
