"""Finding the ClaimReviews in a file, whatever shape it comes in.

Shapes recognised (detected from the content, never from the file name):

- one ClaimReview object; an array of them; a JSON-LD document with an ``@graph``;
- JSON Lines (one of the above per line);
- a Data Commons feed: a ``DataFeed`` with ``dataFeedElement`` (ClaimReviews, or ``DataFeedItem``s
  with their ``item``), or a ``DataFeedItem`` on its own;
- a Google Fact Check Tools API result: the full ``claims:search`` response (``claims`` array,
  with or without ``nextPageToken``), or one claim object (``text`` + ``claimReview`` array). Each
  ``claimReview`` entry is read as a ClaimReview of that claim (``textualRating`` its label,
  ``publisher.name`` its publisher, ``reviewDate`` its date, ``languageCode`` its language);
- an HTML page: every ``<script type="application/ld+json">`` block is read as JSON-LD in the
  shapes above; everything else on the page is ignored.

``read_nodes`` yields ``(where, node)`` for every candidate ClaimReview (``node`` a dict in
schema.org terms, or a ``ValueError`` naming what was wrong with that record) and counts the nodes
of other types it passed over. A file that is none of these is refused whole, with one message.
"""

from __future__ import annotations

import json

import orjson
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator, TextIO

from ledger.errors import InvalidInput
from ledger.services.importing.jsonstream import TOO_DEEP, max_line, size

_PREFIXES = ("https://schema.org/", "http://schema.org/", "schema:")
CONTAINER_KEYS = ("@graph", "dataFeedElement", "claims")
EXPECTED = ("a ClaimReview, an array of them, an @graph, JSON Lines, a DataFeed, a Fact Check Tools API result, "
            "or an HTML page with application/ld+json blocks")


@lru_cache(maxsize=4096)
def key(k: str) -> str:
    for p in _PREFIXES:
        if k.startswith(p):
            k = k[len(p):]
            break
    return k.casefold()


_MISSING = object()


_KEY_MAPS: dict[tuple[Any, ...], dict[str, str]] = {}  # a node's keys -> {normalised key: first key so written}


def get(node: dict[str, Any], name: str) -> Any:
    """``node[name]``, or the value of the first key that is ``name`` with a schema.org prefix or
    in other casing; None when there is none. Nodes of a feed share a few sets of keys: each set's
    normalised keys are worked out once."""
    value = node.get(name, _MISSING)
    if value is not _MISSING:
        return value
    keys = tuple(node)
    found = _KEY_MAPS.get(keys)
    if found is None:
        found = {}
        for k in keys:
            if k.__class__ is str:
                found.setdefault(key(k), k)
        if len(_KEY_MAPS) >= 4096:
            _KEY_MAPS.clear()
        _KEY_MAPS[keys] = found
    k = found.get(key(name))
    return None if k is None else node[k]


def types(node: dict[str, Any]) -> list[str]:
    t = get(node, "@type")
    values = t if isinstance(t, list) else [t]
    return [key(v.strip()) for v in values if isinstance(v, str)]


def _api_claim_nodes(claim: dict[str, Any]) -> list[dict[str, Any]]:
    """A Fact Check Tools API claim, as one ClaimReview node per ``claimReview`` entry."""
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.get("claimant"):
        item["author"] = {"name": claim["claimant"]}
    if claim.get("claimDate"):
        item["datePublished"] = claim["claimDate"]
    out = []
    for review in claim.get("claimReview") or []:
        if not isinstance(review, dict):
            continue
        node: dict[str, Any] = {"@type": "ClaimReview", "claimReviewed": claim.get("text"), "itemReviewed": item,
                                "reviewRating": {"@type": "Rating", "alternateName": review.get("textualRating")}}
        for src, dst in (("url", "url"), ("title", "headline"), ("reviewDate", "datePublished"),
                         ("languageCode", "inLanguage")):
            if review.get(src):
                node[dst] = review[src]
        publisher = review.get("publisher")
        if isinstance(publisher, dict) and publisher.get("name"):
            node["publisher"] = {"@type": "Organization", "name": publisher["name"]}
        out.append(node)
    return out


def _is_api_claim(value: dict[str, Any]) -> bool:
    return isinstance(value.get("claimReview"), list) and "@type" not in value


@dataclass
class Counter:
    other: int = 0  # nodes of other types passed over inside containers


def nodes_of(value: Any, where: str, seen: Counter, *, top: bool = False) -> Iterator[tuple[str, Any]]:
    """Candidate ClaimReview nodes of one parsed JSON value."""
    if isinstance(value, list):
        for i, v in enumerate(value):
            yield from nodes_of(v, f"{where}[{i}]", seen)
        return
    if not isinstance(value, dict):
        yield where, ValueError("not a JSON object")
        return
    t = types(value)
    graph = get(value, "@graph")
    if isinstance(graph, list):
        for i, v in enumerate(graph):
            yield from _contained(v, f"{where} @graph[{i}]", seen)
        return
    if "datafeed" in t or isinstance(get(value, "dataFeedElement"), list):
        for i, v in enumerate(get(value, "dataFeedElement") or []):
            yield from _contained(v, f"{where} dataFeedElement[{i}]", seen)
        return
    if "datafeeditem" in t:
        item = get(value, "item")
        items = item if isinstance(item, list) else [item]
        for i, v in enumerate(items):
            yield from _contained(v, f"{where} item" + (f"[{i}]" if len(items) > 1 else ""), seen)
        return
    if isinstance(value.get("claims"), list) and not t:
        for i, claim in enumerate(value["claims"]):
            if isinstance(claim, dict):
                for j, node in enumerate(_api_claim_nodes(claim)):
                    yield f"{where} claims[{i}].claimReview[{j}]", node
        return
    if _is_api_claim(value):
        for j, node in enumerate(_api_claim_nodes(value)):
            yield f"{where} claimReview[{j}]", node
        return
    if top and not t and get(value, "claimReviewed") is None:
        raise InvalidInput(f"not ClaimReview: a JSON object with keys {', '.join(sorted(map(str, value))[:8])}; "
                           f"expected {EXPECTED}")
    yield where, value


def _contained(value: Any, where: str, seen: Counter) -> Iterator[tuple[str, Any]]:
    """A node inside a container: other types are passed over (a page's WebPage, Organization…)."""
    if isinstance(value, dict):
        t = types(value)
        if t and "claimreview" not in t and not ({"datafeed", "datafeeditem"} & set(t)) \
                and not isinstance(get(value, "@graph"), list):
            seen.other += 1
            return
    yield from nodes_of(value, where, seen)


def _looks_like_html(head: str) -> bool:
    start = head.lstrip()[:200].lower()
    return start.startswith("<")


def html_blocks(text: str) -> Iterator[tuple[int, str]]:
    """(index, text) of every ``<script type="application/ld+json">`` block of a page."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(text)
    except Exception as exc:  # lxml raises several types on unparseable pages
        raise InvalidInput(f"the page could not be read as HTML: {exc}") from None
    n = 0
    for script in root.iter("script"):
        kind = (script.get("type") or "").split(";")[0].strip().lower()
        if kind != "application/ld+json":
            continue
        yield n, script.text or ""
        n += 1


def _strip_wrappers(block: str) -> str:
    text = block.strip()
    for start, end in (("<!--", "-->"), ("//<![CDATA[", "//]]>"), ("<![CDATA[", "]]>")):
        if text.startswith(start) and text.endswith(end):
            text = text[len(start): -len(end)].strip()
    return text


class _LineTooLong(str):
    """A line longer than the cap, skipped in bounded steps (it stands as an empty string)."""


def _bounded_lines(fp: TextIO, cap: int) -> Iterator[str]:
    """The file's lines, each read with at most ``cap`` characters held: a longer line is skipped
    in bounded steps and stands as a ``_LineTooLong``."""
    while line := fp.readline(cap + 1):
        if len(line) <= cap or line.endswith("\n"):
            yield line
            continue
        yield _LineTooLong()  # a reader that refuses the file stops here, without reading the rest
        while (rest := fp.readline(cap + 1)) and not rest.endswith("\n"):
            pass


def _next_filled(lines: Iterator[str]) -> str:
    line = next(lines, "")
    while line and not isinstance(line, _LineTooLong) and not line.strip():
        line = next(lines, "")
    return line


def _whole(fp: TextIO, name: str, head: str, cap: int) -> str:
    """The rest of the file after ``head``, read whole up to four times the line cap."""
    limit = 4 * cap
    text = head + fp.read(limit + 1 - len(head))
    if len(text) > limit:
        raise InvalidInput(f"{name} is a JSON document larger than {size(limit)}, the most read whole: "
                           "give one ClaimReview per line (JSON Lines); nothing was imported")
    return text


def read_nodes(fp: TextIO, name: str, seen: Counter) -> Iterator[tuple[str, Any]]:
    """Candidate ClaimReview nodes with where they are in the file. JSON Lines are read a line at
    a time, each line at most ``max_line()`` characters (``LEDGER_MAX_JSON_LINE``); a single
    document or a page is read whole, up to four times that."""
    cap = max_line()
    lines = _bounded_lines(fp, cap)
    first = _next_filled(lines)
    second = _next_filled(lines) if not isinstance(first, _LineTooLong) else ""
    too_long = isinstance(first, _LineTooLong) or isinstance(second, _LineTooLong)
    if not too_long and not first.strip():
        raise InvalidInput(f"{name} is empty")
    if not too_long and _looks_like_html(first):
        text = _whole(fp, name, first + second, cap)
        found = False
        for i, block in html_blocks(text):
            found = True
            value = _decoded(_strip_wrappers(block), "not valid JSON-LD")
            if isinstance(value, ValueError):
                yield f"script block {i + 1}", value
                continue
            yield from _contained(value, f"script block {i + 1}", seen)
        if not found:
            raise InvalidInput(f"{name} is an HTML page without any <script type=\"application/ld+json\"> block; "
                               "nothing was imported")
        return
    if not too_long and first.lstrip()[:1] not in "{[":
        raise InvalidInput(f"{name} is not ClaimReview: expected {EXPECTED}")
    lines_mode = isinstance(second, _LineTooLong) or (
        not isinstance(first, _LineTooLong) and bool(second.strip()) and _parses(first))
    if lines_mode:  # JSON Lines: streamed a line at a time
        def rest() -> Iterator[str]:
            yield second
            yield from lines

        yield from _parse_line(first, 1, seen, cap)
        for n, line in enumerate(rest(), 2):
            if isinstance(line, _LineTooLong) or line.strip():
                yield from _parse_line(line, n, seen, cap)
        return
    if too_long:
        raise InvalidInput(f"{name}: a line is longer than {size(cap)}, the limit of one JSON Lines line "
                           "(LEDGER_MAX_JSON_LINE); nothing was imported")
    text = _whole(fp, name, first + second, cap)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{name} line {exc.lineno}: not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise InvalidInput(f"{name}: not valid JSON: {TOO_DEEP}; nothing was imported") from None
    yield from nodes_of(doc, "record", seen, top=True)


def _parse_line(line: str, n: int, seen: Counter, cap: int) -> Iterator[tuple[str, Any]]:
    if isinstance(line, _LineTooLong):
        yield f"line {n}", ValueError(f"longer than {size(cap)}, the limit of one JSON Lines line")
        return
    value = _decoded(line, "not valid JSON")
    if isinstance(value, ValueError):
        yield f"line {n}", value
        return
    yield from nodes_of(value, f"line {n}", seen)


_FEW_BRACKETS = 200  # nesting no deeper than this is read by json as well, whatever the stack holds


def _decoded(text: str, what: str) -> Any:
    """The JSON value of ``text``, or the ``ValueError`` saying why it is ``what`` (too deep included).
    orjson reads what it accepts several times faster, to the same value; anything it refuses
    (NaN, lone surrogates, numbers beyond 64 bits, bad JSON), and any text with enough brackets
    to nest deeper than ``json`` reads (orjson reads deeper), is read by ``json`` as before."""
    if text.count("[") + text.count("{") < _FEW_BRACKETS:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    try:
        return json.loads(text)
    except RecursionError:
        return ValueError(f"{what}: {TOO_DEEP}")
    except ValueError as exc:
        return ValueError(f"{what}: {exc}")


def _parses(line: str) -> bool:
    try:
        return isinstance(json.loads(line), (dict, list))
    except (ValueError, RecursionError):
        return False
