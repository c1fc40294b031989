"""The body checks' fast path (pipeline.bodies.storable_at_a_glance): simdjson validates a
body and its depth is read off its brackets, without building it in Python. It may only
ever accept what the parse and walk accept; whatever it cannot tell goes to them."""

from __future__ import annotations

import json

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.bodies import bracket_depth, json_depth_problem, storable_at_a_glance

# strings full of what the bracket reading must see through: brackets, quotes, backslashes
TRICKY = st.text(alphabet=st.sampled_from(list('{}[]"\\ab/é\n\t ,:')) | st.characters(exclude_categories=("Cs",)), max_size=12)
SCALARS = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, allow_infinity=False) \
    | TRICKY
DOCUMENTS = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TRICKY, inner, max_size=4),
                         max_leaves=40)


def depth(document: object) -> int:
    """Levels of containers, the document itself the first (what json_depth_problem counts)."""
    if isinstance(document, dict):
        return 1 + max(map(depth, document.values()), default=0)
    if isinstance(document, list):
        return 1 + max(map(depth, document), default=0)
    return 0


def encodings(document: object) -> list[bytes]:
    """The same document as compact orjson, spaced json, and json with ASCII escapes."""
    return [orjson.dumps(document), json.dumps(document, indent=1).encode(), json.dumps(document).encode()]


@settings(max_examples=400, deadline=None)
@given(DOCUMENTS)
def test_the_depth_read_off_the_brackets_is_the_documents(document):
    for body in encodings(document):
        read = bracket_depth(body, 10_000)
        if read is not None:
            assert read == depth(document), body
        elif not isinstance(document, (dict, list)):
            continue
        else:
            assert any(ch in text for text in _strings(document) for ch in '{}[]"'), \
                "only a string holding a bracket or a quote leaves the reading undecided"


def _strings(document: object):
    if isinstance(document, dict):
        for key, value in document.items():
            yield key
            yield from _strings(value)
    elif isinstance(document, list):
        for value in document:
            yield from _strings(value)
    elif isinstance(document, str):
        yield document


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(TRICKY, DOCUMENTS, max_size=4), st.integers(1, 6))
def test_the_fast_path_accepts_only_what_the_walk_accepts(document, max_depth):
    for body in encodings(document):
        if storable_at_a_glance(body, max_depth):
            assert json_depth_problem(orjson.loads(body), max_depth) is None


def test_what_the_fast_path_leaves_to_the_parse_and_walk():
    assert storable_at_a_glance(b'{"teams": {"home": {"players": [1, {"id": 2}]}}}', 5)
    assert not storable_at_a_glance(b'{"teams": {"home": {"players": [1, {"id": 2}]}}}', 4), "5 levels > 4"
    assert not storable_at_a_glance(b'{"a": [1, 2}', 10), "not JSON"
    assert not storable_at_a_glance(b'[{"a": 1}]', 10), "JSON, not an object"
    assert not storable_at_a_glance(b'{"a": 1e400}', 10), "a number past a double: orjson, then json"
    assert not storable_at_a_glance(b'{"a": 123456789012345678901234567890}', 10), "simdjson holds no such integer"
    assert not storable_at_a_glance(b'{"name": "Bad\\u0000Sox"}', 10), "a NUL escape: the walk names it"
    assert not storable_at_a_glance(b'\xef\xbb\xbf{"a": 1}', 10), "a byte order mark: the parse decides"
    assert storable_at_a_glance(b'{"note": "no brackets \\" here \\\\"}', 1)
    assert not storable_at_a_glance(b'{"note": "[x]"}', 1), "a bracket in a string: the walk counts"
