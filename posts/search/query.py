"""A reader's search text → a parsed query, and the parsed query → each backend's query syntax.

The syntax is what people know from web search: words (all must match), "quoted phrases",
`-excluded` words or phrases, and `OR` between two alternatives. Only runs of letters and digits
ever reach a database: the backend strings are rebuilt from those words, so no quote, `*`, `^`,
`:`, `NEAR(`, parenthesis or SQL fragment typed by a reader can change the meaning of a query.
An unclosed quote runs to the end of the text, as in web search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_QUERY_LENGTH = 200

WORD = re.compile(r"[^\W_]+")
TOKEN = re.compile(r'-?"[^"]*"?|[^\s"]+')


class SearchQueryError(ValueError):
    """The text cannot be searched; the message says why, in words for the reader."""


@dataclass(frozen=True)
class Term:
    """One word, or a phrase of words that must appear in this order."""

    words: tuple[str, ...]

    def fts5(self) -> str:
        return '"' + " ".join(self.words) + '"'

    def websearch(self) -> str:
        return '"' + " ".join(self.words) + '"'


@dataclass(frozen=True)
class ParsedQuery:
    """All `clauses` must match (each clause: any one of its terms); no `excluded` term may."""

    clauses: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    def fts5(self) -> str:
        """An SQLite FTS5 MATCH expression; every word is a quoted string."""
        parts = []
        for clause in self.clauses:
            alternatives = " OR ".join(term.fts5() for term in clause)
            parts.append(f"({alternatives})" if len(clause) > 1 else alternatives)
        expression = " AND ".join(parts)
        if self.excluded:
            expression = f"({expression})" + "".join(f" NOT {t.fts5()}" for t in self.excluded)
        return expression

    def websearch(self) -> str:
        """Input for PostgreSQL's `websearch_to_tsquery`, rebuilt from the parsed words."""
        parts = [" OR ".join(term.websearch() for term in clause) for clause in self.clauses]
        parts += [f"-{term.websearch()}" for term in self.excluded]
        return " ".join(parts)

    def words(self) -> list[str]:
        return [word for clause in self.clauses for term in clause for word in term.words]


def parse_query(text: str) -> ParsedQuery:
    """Parse a reader's search text; raises `SearchQueryError` when nothing can be searched."""
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchQueryError(
            f"That search is too long: keep it under {MAX_QUERY_LENGTH} characters."
        )
    clauses: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or = False
    for token in TOKEN.findall(text):
        if token == "OR":
            pending_or = bool(clauses)
            continue
        negated = token.startswith("-") and len(token) > 1
        words = tuple(WORD.findall(token))
        if not words:
            continue
        term = Term(words)
        if negated:
            excluded.append(term)
        elif pending_or:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        pending_or = False
    if not clauses:
        if excluded:
            raise SearchQueryError("Add a word to search for: a search cannot only exclude words.")
        raise SearchQueryError("Type a word or a phrase to search for.")
    return ParsedQuery(tuple(tuple(c) for c in clauses), tuple(excluded))
