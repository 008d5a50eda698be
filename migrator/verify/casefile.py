"""The user's cases file (YAML, or JSON, which YAML reads too): own cases, credential profiles,
parameter values, example bodies and declared differences. Format in docs/verify.md.

A file that does not parse is an error with its line; an entry that is wrong is reported with
the file and line and skipped, and the rest of the file is used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from migrator.verify.cases import (
    Case,
    CaseHints,
    CredentialProfile,
    Credentials,
    RequestSpec,
    encode_body,
)
from migrator.verify.compare import ignore_problem

METHODS = ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")
SECTIONS = ("cases", "credentials", "values", "examples", "ignore")


class CaseFileError(Exception):
    """The file cannot be read at all: a one-line message with file and line."""


@dataclass(frozen=True)
class CaseFileProblem:
    file: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"

    def to_json(self) -> dict:
        return {"file": self.file, "line": self.line, "reason": self.reason}


@dataclass
class CaseFile:
    cases: list[tuple[Case, str | None]] = field(default_factory=list)  # (case, profile name)
    profiles: list[CredentialProfile] = field(default_factory=list)
    hints: CaseHints = field(default_factory=CaseHints)
    ignore: dict[str, list[str]] = field(default_factory=dict)  # route glob -> JSON pointers
    problems: list[CaseFileProblem] = field(default_factory=list)


class _Invalid(ValueError):
    pass


def _mapping(value: Any, what: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _Invalid(f"{what} must be a mapping")
    return {str(k): v for k, v in value.items()}


def _pairs(value: Any, what: str) -> tuple[tuple[str, str], ...]:
    items = []
    for key, item in _mapping(value, what).items():
        for one in item if isinstance(item, list) else [item]:
            items.append((key, "" if one is None else str(one)))
    return tuple(items)


def request_from(entry: Any, what: str) -> RequestSpec:
    entry = _mapping(entry, what)
    unknown = set(entry) - {"method", "path", "query", "headers", "json", "form", "body",
                            "content_type", "credentials", "expect_status", "label"}
    if unknown:
        raise _Invalid(f"{what}: unknown key(s) {', '.join(sorted(unknown))}")
    method = str(entry.get("method", "GET")).upper()
    if method not in METHODS:
        raise _Invalid(f"{what}: unknown method {method!r}")
    path = entry.get("path")
    if not isinstance(path, str) or not path.startswith("/"):
        raise _Invalid(f"{what}: 'path' must be a string starting with '/'")
    path, mark, raw_query = path.partition("?")
    if mark and "query" in entry:
        raise _Invalid(f"{what}: give the query in 'path' (as written, `?a=1`) or in 'query', "
                       "not both")
    bodies = [k for k in ("json", "form", "body") if k in entry]
    if len(bodies) > 1:
        raise _Invalid(f"{what}: give one of json, form, body, not {' and '.join(bodies)}")
    spec = {}
    if "json" in entry:
        spec = {"json": entry["json"]}
    elif "form" in entry:
        spec = {"form": _mapping(entry["form"], f"{what}: form")}
    elif "body" in entry:
        spec = {"raw": str(entry["body"]),
                "type": entry.get("content_type", "application/octet-stream")}
    body, body_headers = encode_body(spec)
    return RequestSpec(method, path, _pairs(entry.get("query"), f"{what}: query"),
                       body_headers + _pairs(entry.get("headers"), f"{what}: headers"), body,
                       raw_query if mark else None)


def _credentials(entry: Any, what: str) -> Credentials:
    entry = _mapping(entry, what)
    unknown = set(entry) - {"headers", "cookies", "login"}
    if unknown:
        raise _Invalid(f"{what}: unknown key(s) {', '.join(sorted(unknown))}")
    login = request_from(entry["login"], f"{what}: login") if "login" in entry else None
    return Credentials(_pairs(entry.get("headers"), what), _pairs(entry.get("cookies"), what),
                       login)


def _strings(value: Any, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, int, float)):
        return [str(value)]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise _Invalid(f"{what} must be a string or a list of strings")
    return [str(v) for v in value]


def load_case_file(path: Path) -> CaseFile:
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CaseFileError(f"{name}: cannot read: {error}") from None
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise CaseFileError(f"{name}{line}: not YAML or JSON: "
                            f"{getattr(error, 'problem', None) or error}") from None
    finally:
        loader.dispose()
    result = CaseFile()
    if root is None:
        return result
    if not isinstance(root, yaml.MappingNode):
        raise CaseFileError(f"{name}:{root.start_mark.line + 1}: the file must be a mapping "
                            f"with sections {', '.join(SECTIONS)}")
    constructor = yaml.SafeLoader("")

    def value(node):
        return constructor.construct_object(node, deep=True)

    def problem(node, reason):
        result.problems.append(CaseFileProblem(name, node.start_mark.line + 1, reason))

    for key_node, section in root.value:
        key = key_node.value
        if key not in SECTIONS:
            problem(key_node, f"unknown section {key!r} (expected {', '.join(SECTIONS)})")
            continue
        if key == "cases":
            if not isinstance(section, yaml.SequenceNode):
                problem(section, "'cases' must be a list")
                continue
            for index, node in enumerate(section.value):
                what = f"cases[{index}]"
                try:
                    entry = _mapping(value(node), what)
                    request = request_from(entry, what)
                    expect = entry.get("expect_status")
                    if expect is not None and not (isinstance(expect, int) and
                                                   100 <= expect <= 599):
                        raise _Invalid(f"{what}: expect_status must be an HTTP status code")
                    profile = entry.get("credentials")
                    case = Case(request, str(entry.get("label") or f"{request.method} "
                                             f"{request.target}"), source="cases-file",
                                expect_status=expect, origin=f"{name}:{node.start_mark.line + 1}")
                    result.cases.append((case, None if profile is None else str(profile)))
                except _Invalid as error:
                    problem(node, str(error))
            continue
        if not isinstance(section, yaml.MappingNode):
            problem(section, f"{key!r} must be a mapping")
            continue
        for item_key, node in section.value:
            label = f"{key}.{item_key.value}"
            try:
                item = value(node)
                if key == "credentials":
                    item = _mapping(item, label)
                    unknown = set(item) - {"correct", "wrong", "decorators", "routes"}
                    if unknown or "correct" not in item:
                        raise _Invalid(f"{label}: needs 'correct' (and may have 'wrong', "
                                       f"'decorators', 'routes'); unknown: {sorted(unknown)}")
                    wrong = item.get("wrong")
                    result.profiles.append(CredentialProfile(
                        item_key.value, _credentials(item["correct"], f"{label}.correct"),
                        None if wrong is None else _credentials(wrong, f"{label}.wrong"),
                        tuple(_strings(item.get("decorators"), f"{label}.decorators")),
                        tuple(_strings(item.get("routes"), f"{label}.routes"))))
                elif key == "values":
                    result.hints.values[item_key.value] = _strings(item, label)
                elif key == "ignore":
                    pointers = _strings(item, label)
                    wrong = [why for p in pointers if (why := ignore_problem(p)) is not None]
                    if wrong:
                        raise _Invalid(f"{label}: {'; '.join(wrong)}")
                    result.ignore[item_key.value] = pointers
                else:  # examples
                    examples = item if isinstance(item, list) else [item]
                    for example in examples:
                        example = _mapping(example, label)
                        if len(set(example) & {"json", "form"}) != 1 or set(example) - {
                                "json", "form"}:
                            raise _Invalid(f"{label}: each example is {{json: ...}} or "
                                           "{form: {...}}")
                    result.hints.examples[item_key.value] = examples
            except _Invalid as error:
                problem(node, str(error))
    known = {p.name for p in result.profiles}
    kept = []
    for case, profile in result.cases:
        if profile not in (None, "none") and profile not in known:
            file, _, line = (case.origin or ":").rpartition(":")
            result.problems.append(CaseFileProblem(file, int(line) if line.isdigit() else None,
                                                   f"unknown credentials profile {profile!r}"))
            continue
        kept.append((case, profile))
    result.cases = kept
    return result
