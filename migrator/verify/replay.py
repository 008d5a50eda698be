"""Requests replayed from access logs: Nginx's `combined` format and gunicorn's default.

Both write `host ident user [time] "METHOD TARGET PROTOCOL" status size "referer" "agent"`
(gunicorn's default `access_log_format` is `%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s"
"%(a)s"`). Only the method, path and query are replayed, deduplicated. Methods that change
state are skipped unless `replay_writes`. A line that does not parse is counted, with its file
and line number, and skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from migrator.verify.cases import Case, RequestSpec

READ_METHODS = ("GET", "HEAD", "OPTIONS")
KNOWN_METHODS = READ_METHODS + ("POST", "PUT", "PATCH", "DELETE")

ACCESS_LINE = re.compile(
    r'^(?P<host>\S+) (?P<ident>\S+) (?P<user>\S+) \[(?P<time>[^\]]+)\] '
    r'"(?P<request>[^"\\]*(?:\\.[^"\\]*)*)" (?P<status>\d{3}) (?P<size>\d+|-)'
    r'(?: "(?P<referer>[^"\\]*(?:\\.[^"\\]*)*)" "(?P<agent>[^"\\]*(?:\\.[^"\\]*)*)")?.*$'
)


@dataclass(frozen=True)
class LogProblem:
    file: str
    line: int
    reason: str

    def to_json(self) -> dict:
        return {"file": self.file, "line": self.line, "reason": self.reason}


@dataclass
class Replay:
    cases: list[Case] = field(default_factory=list)
    lines: int = 0
    malformed: list[LogProblem] = field(default_factory=list)
    duplicates: int = 0
    writes_skipped: int = 0

    def to_json(self) -> dict:
        return {"lines": self.lines, "requests": len(self.cases), "duplicates": self.duplicates,
                "writes_skipped": self.writes_skipped,
                "malformed": [p.to_json() for p in self.malformed]}


def parse_request_line(text: str) -> tuple[str, str] | str:
    """(method, target) of a request line, or why it is not one."""
    parts = text.split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        return f"not a request line: {text[:80]!r}"
    method, target = parts[0], parts[1]
    if method not in KNOWN_METHODS:
        return f"unknown method {method[:20]!r}"
    if not target.startswith("/"):
        return f"not an origin-form target: {target[:80]!r}"
    return method, target


def read_access_logs(paths: list[Path], replay_writes: bool = False) -> Replay:
    replay = Replay()
    seen: set[tuple[str, str]] = set()
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as log:
            for number, line in enumerate(log, start=1):
                if not line.strip():
                    continue
                replay.lines += 1
                match = ACCESS_LINE.match(line.rstrip("\n"))
                if match is None:
                    replay.malformed.append(LogProblem(str(path), number,
                                                       "not in combined/gunicorn format"))
                    continue
                parsed = parse_request_line(match.group("request"))
                if isinstance(parsed, str):
                    replay.malformed.append(LogProblem(str(path), number, parsed))
                    continue
                method, target = parsed
                if method not in READ_METHODS and not replay_writes:
                    replay.writes_skipped += 1
                    continue
                if (method, target) in seen:
                    replay.duplicates += 1
                    continue
                seen.add((method, target))
                parts = urlsplit(target)
                # the query as logged: decoding it would turn an escape that is not UTF-8
                # (`%FF`) into U+FFFD, which no client sent
                request = RequestSpec(method, parts.path, raw_query=parts.query or None)
                replay.cases.append(Case(request, f"replayed {method} {target[:60]}",
                                         source="replay", origin=f"{path}:{number}"))
    return replay
