"""Comparing two answers to the same request: what counts as "answers like the Flask original".

Compared, in this order: status code, Content-Type, `Location` (resolved to path and query),
the names of the cookies set, Content-Encoding, and the body as a client reads it (a gzip,
deflate or brotli body decompressed: gzip stamps the time into its bytes, and one test client
decompresses where the other does not): JSON byte for byte first, then by parsed value
(equal values with different bytes are a wire-format difference); text and HTML after
whitespace normalisation; anything else byte for byte. JSON pointers declared as ignored are
removed from both documents before their values are compared; `*` matches any key or index.
The matches of `re:` entries (a regular expression each) are left out of both text answers.
A stream verify stopped reading at its bounds (`Answer.cut`) is compared on the bytes both apps
sent, byte for byte.
"""

from __future__ import annotations

import functools
import gzip
import importlib
import json
import re
import zlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

EXCERPT = 400  # characters of a body shown in a mismatch


@dataclass
class Answer:
    """One app's answer to a case (or the error that prevented one)."""

    status: int
    headers: list[tuple[str, str]]  # names lower case, in the order sent
    body: bytes
    error: str | None = None  # an exception raised while sending the request
    cut: bool = False  # the body is what came before verify stopped reading a stream that went on
    # `error` is what the legacy app let out of its WSGI callable for this very request (Flask's
    # test client raises it), where a WSGI server answers 500 with a body of its own
    raised: bool = False

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key == name:
                return value
        return None

    @property
    def content_type(self) -> str:
        return self.header("content-type") or ""

    @property
    def cookie_names(self) -> list[str]:
        return sorted({value.split("=", 1)[0].strip()
                       for key, value in self.headers if key == "set-cookie"})

    @property
    def location_path(self) -> str | None:
        location = self.header("location")
        if location is None:
            return None
        parts = urlsplit(location)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    @property
    def content_encoding(self) -> str | None:
        return self.header("content-encoding")

    def excerpt(self) -> str:
        text = self.body.decode("utf-8", "replace")
        return text if len(text) <= EXCERPT else text[:EXCERPT] + f"... ({len(text)} chars)"

    def to_json(self) -> dict:
        return {"status": self.status, "content_type": self.content_type,
                "location": self.header("location"), "set_cookie": self.cookie_names,
                "body": self.excerpt(), "error": self.error, "raised": self.raised}


@dataclass(frozen=True)
class Mismatch:
    aspect: str  # status, content-type, location, set-cookie, json, json-wire-format, body,
    #              expected-status, error
    legacy: str
    new: str
    detail: str = ""  # e.g. the JSON pointer of the first differing value

    def __str__(self) -> str:
        where = f" at {self.detail}" if self.detail else ""
        return f"{self.aspect}{where}: flask={self.legacy} fastapi={self.new}"

    def to_json(self) -> dict:
        return {"aspect": self.aspect, "detail": self.detail, "legacy": self.legacy,
                "new": self.new}


#: How an ignore entry for text answers (HTML, XML, plain text) starts: `re:` and a regular
#: expression, whose matches are left out of both bodies (a CSRF token in a form).
TEXT_IGNORE = "re:"


#: A JSON pointer (RFC 6901): '' or '/'-separated tokens, `~` only as `~0` or `~1`
JSON_POINTER = re.compile(r"^(?:/(?:[^~]|~[01])*)*$")


def ignore_problem(entry: str) -> str | None:
    """Why `entry` is no ignore entry: neither a JSON pointer (`/created_at`, `/items/*/id`;
    `''` for the whole answer) nor `re:` and a regular expression for text answers. None when
    it is one."""
    if entry.startswith(TEXT_IGNORE):
        expression = entry[len(TEXT_IGNORE):]
        if not expression:
            return f"{entry!r}: no regular expression after 're:'"
        try:
            _text_pattern(expression)
        except re.error as error:
            return f"{entry!r}: not a regular expression ({error})"
        return None
    if not JSON_POINTER.match(entry):
        return (f"{entry!r}: not a JSON pointer (RFC 6901: '' or '/a/0/b', with ~0 for '~' and "
                "~1 for '/'), nor 're:' and a regular expression")
    return None


@functools.lru_cache(maxsize=256)
def _text_pattern(expression: str) -> re.Pattern[bytes]:
    return re.compile(expression.encode("utf-8"))


def _without_ignored_text(body: bytes, ignore: tuple[str, ...]) -> bytes:
    """`body` with every match of the `re:` entries of `ignore` replaced by one marker."""
    for entry in ignore:
        if entry.startswith(TEXT_IGNORE):
            body = _text_pattern(entry[len(TEXT_IGNORE):]).sub(b"<ignored>", body)
    return body


@dataclass
class CompareOptions:
    ignore: tuple[str, ...] = ()  # JSON pointers, and `re:` expressions for text answers
    native_json: bool = False  # the new app opted into FastAPI's JSON encoding
    expect_status: int | None = None


def decoded_body(headers: list[tuple[str, str]], raw: bytes) -> bytes:
    """The body as a client reads it: the `Content-Encoding` the answer names undone (gzip,
    deflate; br where a brotli module is installed). A body that does not decode as named, or
    another encoding, is kept as sent."""
    encoding = next((value.strip().lower() for key, value in headers
                     if key == "content-encoding"), "")
    try:
        if encoding in ("gzip", "x-gzip"):
            return gzip.decompress(raw)
        if encoding == "deflate":
            try:
                return zlib.decompress(raw)
            except zlib.error:  # a raw deflate stream, without the zlib header
                return zlib.decompress(raw, -zlib.MAX_WBITS)
        if encoding == "br":
            for name in ("brotli", "brotlicffi"):
                try:
                    brotli: Any = importlib.import_module(name)
                except ImportError:
                    continue
                return brotli.decompress(raw)
    except Exception:  # noqa: BLE001 -- gzip, zlib and brotli each raise their own errors
        return raw
    return raw


def compare_answers(legacy: Answer, new: Answer, options: CompareOptions) -> list[Mismatch]:
    if legacy.raised and not new.error:
        # any WSGI server answers 500, its body its own: the status is all there is to compare
        return [] if new.status == 500 else [
            Mismatch("status", f"500 (a WSGI server's, for {legacy.error})", str(new.status))]
    if legacy.error or new.error:
        return [Mismatch("error", legacy.error or "-", new.error or "-")]
    found: list[Mismatch] = []
    if options.expect_status is not None:
        for side, answer in (("flask", legacy), ("fastapi", new)):
            if answer.status != options.expect_status:
                found.append(Mismatch("expected-status", str(legacy.status), str(new.status),
                                      f"{side} (expected {options.expect_status})"))
    checks = [("status", legacy.status, new.status),
              ("content-type", legacy.content_type, new.content_type),
              ("location", legacy.location_path, new.location_path),
              ("set-cookie", legacy.cookie_names, new.cookie_names),
              ("content-encoding", legacy.content_encoding, new.content_encoding)]
    for aspect, want, got in checks:
        if want != got:
            found.append(Mismatch(aspect, repr(want), repr(got)))
    found.extend(compare_bodies(legacy, new, options))
    return found


def compare_bodies(legacy: Answer, new: Answer, options: CompareOptions) -> list[Mismatch]:
    if legacy.cut or new.cut:
        return _compare_cut_streams(legacy, new)
    legacy_type = legacy.content_type.split(";")[0].strip().lower()
    if _is_json(legacy_type) and _is_json(new.content_type.split(";")[0].strip().lower()):
        return _compare_json(legacy, new, options)
    if legacy_type.startswith("text/") or legacy_type.endswith("+xml"):
        legacy_body = _without_ignored_text(legacy.body, options.ignore)
        new_body = _without_ignored_text(new.body, options.ignore)
        if b" ".join(legacy_body.split()) != b" ".join(new_body.split()):
            want, got = _first_word_difference(legacy_body, new_body)
            return [Mismatch("body", want, got, "text, whitespace normalised")]
        return []
    if legacy.body != new.body:
        return [Mismatch("body", f"{len(legacy.body)} bytes", f"{len(new.body)} bytes",
                         "bytes differ")]
    return []


def _compare_cut_streams(legacy: Answer, new: Answer) -> list[Mismatch]:
    """A stream still sending when verify stopped reading it (an event stream may never end):
    the bytes both apps sent must agree, and an answer that ended may not be shorter than what
    the other sent."""
    shared = min(len(legacy.body), len(new.body))
    ended_short = ((not legacy.cut and len(new.body) > shared)
                   or (not new.cut and len(legacy.body) > shared))
    if legacy.body[:shared] == new.body[:shared] and not ended_short:
        return []

    def read(answer: Answer) -> str:
        return f"{len(answer.body)} bytes" + (" (cut)" if answer.cut else "")

    return [Mismatch("body", read(legacy), read(new),
                     f"a stream read up to verify's bounds: the first {shared} bytes both sent "
                     f"{'differ' if legacy.body[:shared] != new.body[:shared] else 'agree'}"
                     f"{', and one answer ended there' if ended_short else ''}")]


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def _first_word_difference(a: bytes, b: bytes) -> tuple[str, str]:
    """A few words around the first word where two texts differ."""
    words_a, words_b = a.split(), b.split()
    for index, (x, y) in enumerate(zip(words_a, words_b)):
        if x != y:
            start = max(0, index - 3)
            return (b" ".join(words_a[start:index + 5]).decode("utf-8", "replace"),
                    b" ".join(words_b[start:index + 5]).decode("utf-8", "replace"))
    return (f"{len(words_a)} words", f"{len(words_b)} words")


class _Pairs(list):
    """A JSON object as its (key, value) pairs, so key order survives parsing."""


def _parse(body: bytes):
    """One JSON document, or JSON lines (one document per line, as streamed answers are)."""
    try:
        return json.loads(body, object_pairs_hook=_Pairs)
    except ValueError:
        lines = [line for line in body.splitlines() if line.strip()]
        if len(lines) < 2:
            raise
        return [json.loads(line, object_pairs_hook=_Pairs) for line in lines]


def _compare_json(legacy: Answer, new: Answer, options: CompareOptions) -> list[Mismatch]:
    if legacy.body == new.body:
        return []
    try:
        want, got = _parse(legacy.body), _parse(new.body)
    except ValueError:
        return [Mismatch("body", legacy.excerpt(), new.excerpt(), "not both valid JSON")]
    removed = False
    for pointer in options.ignore:
        if pointer.startswith(TEXT_IGNORE):
            continue  # (for text answers)
        removed |= _drop(want, _split_pointer(pointer))
        removed |= _drop(got, _split_pointer(pointer))
    difference = first_difference(_plain(want), _plain(got))
    if difference is not None:
        pointer, a, b = difference
        return [Mismatch("json", _short(a), _short(b), pointer or "/")]
    if options.native_json:
        return []
    # Same values. Without ignored fields the bytes themselves differ; with ignored fields we
    # can only compare what survives: key order and the trailing newline.
    if not removed or _ordered(want) != _ordered(got) or \
            legacy.body.endswith(b"\n") != new.body.endswith(b"\n"):
        return [Mismatch("json-wire-format", _short_bytes(legacy.body), _short_bytes(new.body),
                         "same JSON value, different bytes")]
    return []


def _short(value) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 120 else text[:120] + "..."


def _short_bytes(body: bytes) -> str:
    return repr(body[:120]) + ("..." if len(body) > 120 else "")


def _plain(value):
    if isinstance(value, _Pairs):
        return {key: _plain(item) for key, item in value}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _ordered(value) -> str:
    def convert(item):
        if isinstance(item, _Pairs):
            return [[key, convert(v)] for key, v in item]
        if isinstance(item, list):
            return [convert(v) for v in item]
        return item
    return json.dumps(convert(value))


def _split_pointer(pointer: str) -> list[str]:
    if pointer in ("", "/"):
        return []
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer.lstrip("/").split("/")]


def _drop(document, parts: list[str]) -> bool:
    """Remove what `parts` points at (a `*` part matches every key or index); True if found."""
    if not parts:
        return False
    head, rest = parts[0], parts[1:]
    found = False
    if isinstance(document, _Pairs):
        for index in reversed(range(len(document))):
            key, value = document[index]
            if head in ("*", key):
                if rest:
                    found |= _drop(value, rest)
                else:
                    del document[index]
                    found = True
    elif isinstance(document, list):
        indexes = range(len(document)) if head == "*" else \
            [int(head)] if head.isdigit() and int(head) < len(document) else []
        for index in reversed(list(indexes)):
            if rest:
                found |= _drop(document[index], rest)
            else:
                del document[index]
                found = True
    return found


def first_difference(a, b, pointer: str = ""):
    """(pointer, a's value, b's value) of the first place two JSON values differ, or None."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            escaped = f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}"
            if key not in a or key not in b:
                return (escaped, a.get(key, "<absent>"), b.get(key, "<absent>"))
            found = first_difference(a[key], b[key], escaped)
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        for index, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{pointer}/{index}")
            if found:
                return found
        if len(a) != len(b):
            return (pointer, f"{len(a)} items", f"{len(b)} items")
        return None
    if a != b or type(a) is not type(b):
        return (pointer, a, b)
    return None
