"""Front matter: the YAML (`---`) or TOML (`+++`) header of a Hugo or Jekyll post, and its values.

Pure functions; problems raise `BadSource` with a reason fit to show next to the file's name.

Writing: `markdown_file()` writes a Markdown file with YAML front matter for every use (the `.md`
view of a post, `export_markdown`); `front_matter()` is what the public `.md` view tells a
reader: title, date, tags, url, summary.
"""

from __future__ import annotations

import email.utils
import re
import tomllib
from datetime import date, datetime, time, tzinfo

import yaml

from posts.absolute_urls import absolute_url


class BadSource(ValueError):
    """A file that cannot be imported; the message says why."""


_DELIMITERS = {"---": "yaml", "+++": "toml"}


def split_front_matter(text: str) -> tuple[dict, str]:
    """`(metadata, body)`; a file without front matter has empty metadata."""
    text = text.lstrip("\ufeff")
    first_line, _newline, rest = text.partition("\n")
    opener = first_line.rstrip()
    if opener not in _DELIMITERS:
        return {}, text
    kind = _DELIMITERS[opener]
    closers = {"---", "..."} if kind == "yaml" else {"+++"}
    lines = rest.split("\n")
    for index, line in enumerate(lines):
        if line.rstrip() in closers:
            header = "\n".join(lines[:index])
            body = "\n".join(lines[index + 1 :])
            return _parse(header, kind), body.lstrip("\n")
    raise BadSource(f"the {kind.upper()} front matter is not closed with {opener}")


def _parse(header: str, kind: str) -> dict:
    try:
        data = yaml.safe_load(header) if kind == "yaml" else tomllib.loads(header)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise BadSource(f"broken YAML front matter: {problem}{where}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise BadSource(f"broken TOML front matter: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BadSource("the front matter is not a set of key: value pairs")
    return data


_TRAILING_ZONE = re.compile(
    r"\s*(?:(?P<utc>Z|UTC|GMT)|(?P<sign>[+-])(?P<hh>\d{2}):?(?P<mm>\d{2}))$"
)
_FORMATS = (
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
)


def parse_date(value, default_zone: tzinfo) -> datetime:
    """A timezone-aware datetime from a front-matter date in any common form.

    Accepts what YAML and TOML already parsed (datetime, date), ISO 8601 with or without time and
    zone ("2019-09-05", "2019-09-05 10:20:30 +0800", "2019-09-05T10:20:30Z"), RFC 2822, and
    "5 September 2019" / "Sep 5, 2019". A date without a zone is in `default_zone`; a date
    without a time is midnight.
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    elif isinstance(value, str) and value.strip():
        parsed = _parse_date_text(value.strip())
    else:
        raise BadSource(f"bad date {value!r}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=default_zone)
    return parsed


def _parse_date_text(text: str) -> datetime:
    zone = _TRAILING_ZONE.search(text)
    iso = text
    if zone and re.match(r"\d{4}-\d{2}-\d{2}", text):
        offset = "+00:00" if zone.group("utc") else f"{zone['sign']}{zone['hh']}:{zone['mm']}"
        iso = text[: zone.start()] + offset
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        pass
    for fmt in _FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    raise BadSource(f"bad date {text!r}")


def as_list(value) -> list[str]:
    """Tags or aliases: a list, or one string of names separated by commas or else by spaces."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        parts = value.split(",") if "," in value else value.split()
    elif isinstance(value, list | tuple):
        parts = [str(item) for item in value if item is not None]
    else:
        parts = [str(value)]
    seen: dict[str, str] = {}
    for part in parts:
        name = part.strip()
        if name and name.lower() not in seen:
            seen[name.lower()] = name
    return list(seen.values())


def as_bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"true", "yes", "on", "1"}
    return bool(value)


def first_text(meta: dict, *keys: str) -> str:
    """The first of `keys` that holds a non-empty value, as text."""
    for key in keys:
        value = meta.get(key)
        if value is not None and not isinstance(value, dict | list) and str(value).strip():
            return str(value).strip()
    return ""


class _FrontMatterDumper(yaml.SafeDumper):
    """Multi-line strings as literal blocks, which read like the Markdown they hold."""


def _represent_text(dumper: yaml.SafeDumper, text: str):
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_FrontMatterDumper.add_representer(str, _represent_text)


def markdown_file(meta: dict, body: str, *, exact: bool = False) -> str:
    """`meta` as YAML front matter, a blank line, then `body` with Unix line ends and one final
    newline. With `exact` (an export) the body's own final newlines are kept and one is added,
    so a reader that drops one final newline gets the body back as it was."""
    header = yaml.dump(
        meta, Dumper=_FrontMatterDumper, sort_keys=False, allow_unicode=True, width=100
    )
    body = body.replace("\r\n", "\n").lstrip("\n")
    return f"---\n{header}---\n\n{body if exact else body.rstrip(chr(10))}\n"


def front_matter(post) -> dict:
    data = {
        "title": post.title,
        "date": post.published_at.isoformat(),
        "tags": sorted(post.tags.names(), key=str.lower),
        "url": absolute_url(post.get_absolute_url()),
    }
    if post.summary:
        data["summary"] = post.summary
    return data


def markdown_with_front_matter(post) -> str:
    return markdown_file(front_matter(post), post.body)
