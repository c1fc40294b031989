"""What a body must be to be landed, checked before it goes to the database: a JSON
object that PostgreSQL can store as JSONB (no NUL character, nested no deeper than a
limit) and no larger than a limit.

Most bodies are cleared at a glance, without building the document in Python: simdjson
validates the text and the nesting is read off its brackets (`storable_at_a_glance`).
What that cannot clear goes to a parse and a walk of the document (`parse_json`,
`json_depth_problem`), which say what is wrong. The fetcher (`pipeline.http`) turns a
problem into a retry, then a dead letter."""

from __future__ import annotations

import json
from dataclasses import dataclass

import orjson
import simdjson


@dataclass(frozen=True)
class BodyLimits:
    """What a body may be and still be landed (PIPELINE_<SOURCE>_MAX_BODY_MB, _MAX_DEPTH)."""

    max_bytes: int = 20 * 1024 * 1024
    max_depth: int = 100


def json_depth_problem(document: object, max_depth: int, *, look_for_nul: bool = True) -> str | None:
    """Why PostgreSQL would refuse `document` as JSONB, or None: nesting deeper than
    `max_depth`, or (when `look_for_nul`) a NUL character in a string or key (jsonb has no
    \\u0000). Level by level over the containers only, so no depth can blow the Python
    stack and a 160 KB box score costs ~3 ms; the NUL walk runs only when the body holds
    the escape at all."""
    level, depth = [document], 1
    while level:
        if depth > max_depth:
            return f"nested deeper than {max_depth} levels"
        deeper = []
        for node in level:
            for value in node.values() if isinstance(node, dict) else node if isinstance(node, list) else ():
                if isinstance(value, (dict, list)):
                    deeper.append(value)
        level, depth = deeper, depth + 1
    return _nul_problem(document) if look_for_nul else None


# to read a body's nesting off its text: every byte but the brackets and the quote is
# deleted, and square brackets count as curly ones (in valid JSON they nest alike)
_NOT_STRUCTURE = bytes(sorted(set(range(256)) - set(b'{}[]"')))
_ONE_KIND = bytes.maketrans(b"[]", b"{}")


def bracket_depth(body: bytes, limit: int) -> int | None:
    """The nesting depth of the valid JSON text `body` read off its brackets (a number
    over `limit` once it is known to be over), or None when a string holds a bracket or
    a quote and only a walk of the document can tell. Escaped backslashes and quotes go
    first, so every quote left opens or closes a string; with the other bytes deleted, a
    string without brackets is two quotes side by side, and the brackets left nest as
    the document does: each pass strips the innermost level (the pairs `{}` of the text
    as it was before the pass). A box score: ~0.2 ms."""
    if b"\\" in body:
        body = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    brackets = body.translate(_ONE_KIND, _NOT_STRUCTURE).replace(b'""', b"")
    if b'"' in brackets:
        return None
    depth = 0
    while brackets and depth <= limit:
        inner = brackets.replace(b"{}", b"")
        if len(inner) == len(brackets):
            return None
        brackets, depth = inner, depth + 1
    return depth


def storable_at_a_glance(body: bytes, max_depth: int) -> bool:
    """True when `body` is a JSON object with no NUL escape, nested no deeper than
    `max_depth`, found without building it in Python: simdjson validates it (~0.1 ms a box
    score, orjson ~0.5) and the depth is read off its brackets. False means "look closer",
    not "bad": what simdjson refuses or cannot say (a number past a double, a byte order
    mark, a NUL escape, a bracket inside a string) goes to the parse and walk (`pipeline.http`'s `_check`)."""
    if (b"\\" in body and b"\\u0000" in body) or body.startswith(b"\xef\xbb\xbf"):  # a backslash: memchr
        return False
    try:
        document = simdjson.Parser().parse(body)
    except (ValueError, RuntimeError):  # not JSON, or JSON simdjson does not hold (a huge integer)
        return False
    if not isinstance(document, simdjson.Object):
        return False
    depth = bracket_depth(body, max_depth)
    return depth is not None and depth <= max_depth


def parse_json(body: bytes) -> object:
    """The document in `body` (ValueError when it is not JSON). orjson first (a box score
    in ~0.7 ms, the standard parser ~2 ms); what orjson refuses and JSON allows (a number
    past a double, as 1e400, which jsonb stores as numeric) is left to the standard parser."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return json.loads(body)


def _nul_problem(document: object) -> str | None:
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if any("\x00" in key for key in node):
                return "a NUL character (\\u0000) in a key"
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str) and "\x00" in node:
            return "a NUL character (\\u0000) in a string"
    return None
