import re

import pytest

from posts.search.query import MAX_QUERY_LENGTH, SearchQueryError, Term, parse_query


def test_words_must_all_match():
    query = parse_query("attention transformer")
    assert query.clauses == ((Term(("attention",)),), (Term(("transformer",)),))
    assert query.fts5() == '"attention" AND "transformer"'
    assert query.websearch() == '"attention" "transformer"'


def test_phrases_exclusions_and_or():
    query = parse_query('"neural network" -gan diffusion OR flow -"style transfer"')
    assert query.clauses == (
        (Term(("neural", "network")),),
        (Term(("diffusion",)), Term(("flow",))),
    )
    assert query.excluded == (Term(("gan",)), Term(("style", "transfer")))
    assert query.fts5() == (
        '("neural network" AND ("diffusion" OR "flow")) NOT "gan" NOT "style transfer"'
    )
    assert query.websearch() == '"neural network" "diffusion" OR "flow" -"gan" -"style transfer"'


def test_unbalanced_quote_runs_to_the_end():
    assert parse_query('deep "reinforcement learning').clauses == (
        (Term(("deep",)),),
        (Term(("reinforcement", "learning")),),
    )


def test_leading_and_trailing_or_and_lowercase_or_are_words():
    assert parse_query("OR policy OR").clauses == ((Term(("policy",)),),)
    assert parse_query("this or that").words() == ["this", "or", "that"]


@pytest.mark.parametrize(
    "text",
    [
        "'; DROP TABLE posts_post; --",
        "title:attention NEAR(a b) ^start *",
        "a* OR (b AND c)",
        "col:value",
    ],
)
def test_syntax_characters_never_reach_the_backend(text):
    query = parse_query(text)
    for backend in (query.fts5(), query.websearch()):
        # Every reader's word is inside double quotes and is letters or digits only; outside
        # the quotes there are only our own operators and parentheses.
        rest = re.sub(r'"[^\W_]+(?: [^\W_]+)*"', "T", backend)
        rest = re.sub(r"\b(OR|AND|NOT)\b", "", rest)
        assert set(rest) <= set("T ()-"), backend


def test_words_split_on_punctuation_become_a_phrase():
    assert parse_query("C++ state-of-the-art").clauses == (
        (Term(("C",)),),
        (Term(("state", "of", "the", "art")),),
    )


@pytest.mark.parametrize("text", ["", "   ", "!!! ??? ...", "OR OR", '" "', '"""', "- + * ^"])
def test_nothing_to_search_is_an_error(text):
    with pytest.raises(SearchQueryError, match="Type a word"):
        parse_query(text)


def test_only_exclusions_is_an_error():
    with pytest.raises(SearchQueryError, match="cannot only exclude"):
        parse_query("-gan -vae")


def test_too_long_is_an_error():
    parse_query("a" * MAX_QUERY_LENGTH)
    with pytest.raises(SearchQueryError, match="too long"):
        parse_query("a" * (MAX_QUERY_LENGTH + 1))
