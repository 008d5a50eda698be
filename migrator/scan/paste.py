"""Read the Paste Deploy configs of a project: which app factories production serves behind
filters, mounted by a composite, or wrapped by a filter-app.

OpenStack services build their WSGI app with `paste.deploy.loadapp("config:api_paste.ini")`;
the ini file, not Python, puts keystone's `authtoken` (an auth check) around the app:

    [pipeline:main]
    pipeline = cors request_id authtoken api

    [app:api]
    paste.app_factory = service.api.app:app_factory

A Flask app that `app_factory` makes is served only through those filters. A converted route
would answer without them, and so would the app the generated package loads: the linker keeps
such an app's routes on Flask and the package asks for the app (`App.served_inside`).

What is read: the sections Paste Deploy reads (`app:`, `application:`, `filter:`, `pipeline:`,
`composite:`, `filter-app:`), an app's factory named by `paste.app_factory = module:name`, by
`use = call:module:name`, or by `use = egg:Dist#name` where the project's own `setup.cfg` or
`pyproject.toml` lists that entry point in `paste.app_factory`. An app is served wrapped when a
pipeline with filters ends in it, a filter-app's `next` names it, it has `filter-with`, or a
composite mounts it (or a pipeline or filter-app ending in it). Files in test folders are left out,
as `.py` files there are; a file that is not valid ini is reported and skipped.
"""

from __future__ import annotations

import ast
import configparser
import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import tomlkit
from tomlkit.exceptions import ParseError

from migrator.discover import looks_like_test
from migrator.model import FileError

#: Section types Paste Deploy reads, with the type each stands for
SECTION_TYPES = {"app": "app", "application": "app", "filter": "filter",
                 "pipeline": "pipeline", "composite": "composite", "filter-app": "filter-app"}
#: What marks an ini file as a Paste Deploy config (other ini files, alembic's or tox's, are
#: not read)
PASTE_MARKERS = re.compile(rb"^\s*\[\s*(?:app|application|pipeline|composite|filter-app)\s*:",
                           re.MULTILINE)
ENTRY_POINT_GROUP = "paste.app_factory"


@dataclass(frozen=True)
class PasteServedApp:
    """An app section of a Paste Deploy config whose factory is `factory` (`module:name`),
    served by production wrapped as `wrapped_by` says."""

    file: str  # the config, relative to the scanned folder
    line: int  # the app section's line
    section: str  # "app:api"
    factory: str  # "service.api.app:app_factory"
    wrapped_by: tuple[str, ...]  # "pipeline `main` (filters cors, authtoken)", ...


@dataclass(frozen=True)
class PasteUnread:
    """An app section served wrapped whose factory the scan cannot name (an entry point of
    another distribution, a `config:` reference)."""

    file: str
    line: int
    section: str
    use: str
    wrapped_by: tuple[str, ...]


@dataclass
class PasteConfigs:
    """What the project's Paste Deploy configs say, for the linker."""

    served: list[PasteServedApp] = field(default_factory=list)
    unread: list[PasteUnread] = field(default_factory=list)
    # every app factory they name (`module:name`), served wrapped or not
    factories: set[str] = field(default_factory=set)


def read_paste_configs(root: Path, files: Sequence[tuple[Path, str]]
                       ) -> tuple[PasteConfigs, list[FileError]]:
    """The Paste Deploy configs among `files` (`.ini` files under the scanned folder `root`, with
    their relative paths), and the ones that cannot be read (reported, never fatal)."""
    configs = PasteConfigs()
    errors: list[FileError] = []
    entry_points: dict[str, str] | None = None  # read where there is a config to read them for
    for path, relative in files:
        if looks_like_test(relative):
            continue
        try:
            data = path.read_bytes()
        except OSError as error:
            errors.append(FileError(relative, None, f"cannot read it: {error}"))
            continue
        if PASTE_MARKERS.search(data) is None:
            continue
        parser = configparser.RawConfigParser(strict=False, interpolation=None,
                                              delimiters=("=", ":"))
        parser.optionxform = str  # type: ignore[assignment,method-assign]  # Paste keeps case
        try:
            text = data.decode("utf-8")
            parser.read_string(text, source=relative)
        except (UnicodeDecodeError, configparser.Error) as error:
            line, message = ini_problem(error)
            errors.append(FileError(relative, line, f"not a Paste Deploy config the scan can "
                                                    f"read ({message}); it is skipped"))
            continue
        if entry_points is None:
            entry_points = project_entry_points(root, errors)
        read_config(parser, text, relative, entry_points, configs)
    return configs, errors


def read_config(parser: configparser.RawConfigParser, text: str, relative: str,
                entry_points: dict[str, str], configs: PasteConfigs) -> None:
    sections: dict[str, tuple[str, str]] = {}  # name -> (type, section as written)
    for section in parser.sections():
        kind, _, name = section.partition(":")
        kind = SECTION_TYPES.get(kind.strip(), "")
        if kind:
            sections.setdefault(name.strip() or "main", (kind, section))
    lines = section_lines(text)
    for name, (kind, section) in sections.items():
        if kind != "app":
            continue
        options = dict(parser.items(section))
        factory = app_factory(options, entry_points)
        if factory is not None:
            configs.factories.add(factory.replace(" ", ""))
        wrapped_by = wrappers(parser, sections, name)
        if not wrapped_by:
            continue
        line = lines.get(section, 1)
        if factory is not None:
            configs.served.append(PasteServedApp(relative, line, section, factory, wrapped_by))
        else:
            configs.unread.append(PasteUnread(
                relative, line, section, options.get("use") or "(no factory)", wrapped_by))


def ini_problem(error: Exception) -> tuple[int | None, str]:
    """The line and a one-line account of why an ini file does not parse."""
    if isinstance(error, configparser.ParsingError) and error.errors:
        line, text = error.errors[0]
        with contextlib.suppress(ValueError, SyntaxError):
            text = str(ast.literal_eval(text))  # configparser gives the line's repr
        return line, f"cannot read `{text.strip()}`"
    return getattr(error, "lineno", None), (str(error).splitlines() or [type(error).__name__])[0]


def section_lines(text: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"\s*\[([^\]]+)\]", line)
        if match:
            found.setdefault(match.group(1), number)
    return found


def app_factory(options: dict[str, str], entry_points: dict[str, str]) -> str | None:
    """The `module:name` an app section's factory is, where the config or the project names it."""
    named = options.get("paste.app_factory", "").strip()
    if named:
        return named if ":" in named else None
    use = options.get("use", "").strip()
    if use.startswith("call:"):
        return use.removeprefix("call:").strip() or None
    if use.startswith("egg:"):
        distribution, _, entry = use.removeprefix("egg:").partition("#")
        return entry_points.get(f"{normal_name(distribution)}#{entry.strip() or 'main'}")
    return None


def wrappers(parser: configparser.RawConfigParser, sections: dict[str, tuple[str, str]],
             name: str, seen: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """How the section `name` is served wrapped: each pipeline with filters that ends in it,
    filter-app whose `next` it is, filter it names with `filter-with`, and composite that mounts
    it, directly or through a pipeline or filter-app ending in it. Empty where it is served
    plain (or not referred to)."""
    if name in seen:
        return ()
    seen = seen | {name}
    found: list[str] = []
    section = sections[name][1]
    if parser.has_option(section, "filter-with"):
        found.append(f"filter `{parser.get(section, 'filter-with').strip()}` (filter-with)")
    for other, (other_kind, other_section) in sections.items():
        if other == name:
            continue
        if other_kind == "pipeline":
            items = parser.get(other_section, "pipeline", fallback="").split()
            if items and plain_name(items[-1]) == name:
                if len(items) > 1:
                    found.append(f"pipeline `{other}` (filters {', '.join(items[:-1])})")
                found.extend(wrappers(parser, sections, other, seen))
        elif other_kind == "filter-app":
            if plain_name(parser.get(other_section, "next", fallback="")) == name:
                found.append(f"filter-app `{other}` "
                             f"({parser.get(other_section, 'use', fallback='').strip()})")
                found.extend(wrappers(parser, sections, other, seen))
        elif other_kind == "composite":
            defaults = parser.defaults()
            for key, value in parser.items(other_section):
                if key not in ("use", "paste.composite_factory") and key not in defaults \
                        and name in (plain_name(word) for word in value.split()):
                    found.append(f"composite `{other}` (`{key} = {value.strip()}`)")
    return tuple(dict.fromkeys(found))


def plain_name(reference: str) -> str:
    """A section named in a pipeline, `next` or composite (`api`, `app:api`): its name."""
    reference = reference.strip()
    kind, colon, name = reference.partition(":")
    return name.strip() if colon and kind in SECTION_TYPES else reference


def normal_name(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution.strip()).lower()


def project_entry_points(root: Path, errors: list[FileError]) -> dict[str, str]:
    """`{"dist#name": "module:attr"}` of the `paste.app_factory` entry points the project in
    `root` declares in its `setup.cfg` or `pyproject.toml`."""
    found: dict[str, str] = {}
    setup_cfg = root / "setup.cfg"
    if setup_cfg.is_file():
        parser = configparser.RawConfigParser(strict=False, interpolation=None)
        try:
            parser.read_string(setup_cfg.read_text(encoding="utf-8"), source="setup.cfg")
        except (OSError, UnicodeDecodeError, configparser.Error) as error:
            line, message = ini_problem(error)
            errors.append(FileError("setup.cfg", line, f"cannot read it: {message}"))
        else:
            distribution = normal_name(parser.get("metadata", "name", fallback=""))
            listed = parser.get("options.entry_points", ENTRY_POINT_GROUP, fallback="")
            for line in listed.splitlines():
                name, equals, target = line.partition("=")
                if equals and distribution:
                    found[f"{distribution}#{name.strip()}"] = target.strip()
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            document = tomlkit.parse(pyproject.read_text(encoding="utf-8")).unwrap()
        except (OSError, UnicodeDecodeError, ParseError):
            return found  # load_stated_values reports it
        project = document.get("project", {})
        if isinstance(project, dict):
            distribution = normal_name(str(project.get("name", "")))
            groups = project.get("entry-points", {})
            listed = groups.get(ENTRY_POINT_GROUP, {}) if isinstance(groups, dict) else {}
            if isinstance(listed, dict) and distribution:
                for name, target in listed.items():
                    found[f"{distribution}#{name}"] = str(target).strip()
    return found
