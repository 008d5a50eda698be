"""Which files a scan reads, and how each is read, decoded and pre-filtered.

- Directories that never hold an application's own code are skipped: VCS folders, virtualenvs
  (any folder with a `pyvenv.cfg`), `node_modules`, `build`, `dist`, `site-packages`, caches.
- Symlinks never lead outside the root, and a file reached twice is read once.
- A cheap byte-level test (`might_define_routes`) decides whether a file is worth a parse.
"""

from __future__ import annotations

import ast
import dataclasses
import fnmatch
import functools
import io
import os
import re
import tokenize
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

DEFAULT_EXCLUDED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".eggs",
        "node_modules",
        "build",
        "dist",
        "site-packages",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
    }
)

# A file can only matter to the route model if it names Flask, blueprints, rules, views, the
# URL map (its converters), or applies a route-shaped decorator to an object imported from
# elsewhere (`@bp.get(`); or to the scan's warnings if it opens a sqlite3 connection
# (scan.thread_bound_connection).
_ROUTE_MARKERS = re.compile(
    rb"flask|Flask|Blueprint|add_url_rule|register_blueprint|add_resource|add_namespace|"
    rb"MethodView|Resource|view_functions|wsgi_app|url_map|"
    rb"sqlite3\.connect|from[ \t]+sqlite3[ \t]+import|"
    rb"@[ \t]*[A-Za-z_][\w.]*\.(?:route|get|post|put|patch|delete)[ \t]*\("
)


def looks_like_test(relative: str) -> bool:
    """A file pytest or unittest would collect, or one in a `tests`/`test` folder: code that
    changes the app there (`app.view_functions[...] = ...` in a test) does not run in production."""
    parts = relative.split("/")
    name = parts[-1]
    return (any(part in ("tests", "test") for part in parts[:-1]) or name == "conftest.py"
            or name.startswith("test_") or name.endswith("_test.py"))


def might_define_routes(data: bytes) -> bool:
    return _ROUTE_MARKERS.search(data) is not None


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute
    relative: str  # POSIX, relative to the scan root
    module: str  # dotted module name, as Python would import it
    is_package: bool


class DecodeError(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


def decode_source(data: bytes) -> str:
    """Decode as Python does (PEP 263 cookie or BOM, else UTF-8); errors carry the line."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        raise DecodeError(f"invalid encoding declaration: {error.msg}", error.lineno) from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise DecodeError(
            f"not valid {encoding} (byte 0x{data[error.start]:02x}) and no other encoding "
            "is declared",
            line,
        ) from None
    except LookupError:
        raise DecodeError(f"unknown encoding {encoding!r}", 1) from None
    return text.removeprefix("\ufeff")


def module_name_for(path: Path) -> tuple[str, bool]:
    """The module name Python would give `path`: walk up while folders are packages. A folder
    without `__init__.py` inside a regular package is a namespace package (PEP 420):
    `puppetboard/views/catalogs.py` beside no `views/__init__.py` is
    `puppetboard.views.catalogs`, as `import puppetboard.views.catalogs` finds it."""
    is_package = path.name == "__init__.py"
    parts = [] if is_package else [path.stem]
    folder = path.parent
    while (folder / "__init__.py").is_file() or _inside_a_package(folder):
        parts.append(folder.name)
        if folder.parent == folder:
            break
        folder = folder.parent
    return ".".join(reversed(parts)) or path.stem, is_package


@functools.lru_cache(maxsize=4096)
def _inside_a_package(folder: Path) -> bool:
    """Whether a folder above `folder` is a regular package (holds `__init__.py`), each folder
    between them being a namespace package then."""
    parent = folder.parent
    while parent != folder:
        if (parent / "__init__.py").is_file():
            return True
        folder, parent = parent, parent.parent
    return False


def _names_imported(files: list[SourceFile], names: set[str], before: bytes) -> set[str]:
    """Which of the dotted `names` some file names right after the pattern `before` (`from `,
    `import `, a quote), as a whole name or the start of a longer one (`from cps.main import`
    names `cps`)."""
    longest_first = sorted(names, key=len, reverse=True)
    pattern = b"|".join(re.escape(name.encode()) for name in longest_first)
    imported = re.compile(before + rb"(" + pattern + rb")(?![\w])", re.MULTILINE)
    needles = [name.encode() for name in longest_first]
    found: set[str] = set()
    for source in files:
        try:
            data = source.path.read_bytes()
        except OSError:
            continue  # parse_file reports it
        if any(needle in data for needle in needles):  # (a substring test is 40 times faster)
            found.update(match.group(1).decode() for match in imported.finditer(data))
    return found


#: How many folders without `__init__.py` above a top-level package are taken for namespace
#: packages it is in, at most (cryptoadvance-specter: 1).
MAX_NAMESPACE_DEPTH = 8


def with_namespace_parents(files: list[SourceFile], root: Path) -> list[SourceFile]:
    """The files, their modules named as the project imports them when a top-level package sits
    in folders without `__init__.py` (namespace packages, PEP 420). `module_name_for` stops at
    the first folder that is no package: `cryptoadvance/specter/api/__init__.py` beside no
    `cryptoadvance/__init__.py` is `specter.api` to it, while cryptoadvance-specter imports
    `cryptoadvance.specter.api`, and so would the generated package. Which folders above are
    namespace packages and which are on `sys.path` (the scan root, `src/`) no folder tells: the
    project's own imports do. The longest parent chain some file imports the package by
    (`from cryptoadvance.specter...`, `import_module("cryptoadvance.specter...")`) is taken,
    also above the scan root where that is the package itself."""
    root = root.resolve()
    if root.is_file():
        return files
    # each file's top package: (its name, the folder holding it)
    tops = [(source.module.split(".")[0],
             source.path.parents[source.module.count(".") + (1 if source.is_package else 0)])
            for source in files]
    candidates: dict[tuple[str, Path], list[str]] = {}  # top package -> prefixes
    for key in tops:
        container = key[1]
        # a package scanned on its own (`migrate scan site-packages/cryptoadvance/specter`):
        # the folders above the root may be namespace packages too
        above = container == root.parent
        if key in candidates or not (container.is_relative_to(root) or above):
            continue
        prefixes, names = [], []
        folder = container
        while folder.name.isidentifier() and len(names) < MAX_NAMESPACE_DEPTH:
            names.insert(0, folder.name)
            prefixes.append(".".join(names))
            if folder == root:
                break
            folder = folder.parent
        candidates[key] = prefixes
    # A name that is already a module's (`sqlite_web.sqlite_web`: the module sqlite_web.py in
    # the package sqlite_web, scanned from a folder named sqlite_web) is no evidence either way.
    known = {source.module for source in files}
    known |= {name.rsplit(".", i)[0] for name in known for i in range(1, name.count(".") + 1)}
    wanted = {f"{prefix}.{top}" for (top, _), prefixes in candidates.items()
              for prefix in prefixes} - known
    if not wanted:
        return files
    found = _names_imported(files, wanted, rb"(?:\b(?:from|import)[ \t]+|[\"'])")
    renamed: dict[tuple[str, Path], str] = {}
    for (top, container), prefixes in candidates.items():
        chosen = [prefix for prefix in prefixes if f"{prefix}.{top}" in found]
        if chosen:
            renamed[(top, container)] = chosen[-1]
    # A folder is a namespace package for all it holds or for none: beets imports its
    # `beetsplug._utils` so, never its `beetsplug.web` (a plugin it loads by a computed name)
    by_container = {container: prefix for (_, container), prefix in renamed.items()}
    for key in candidates:
        if key not in renamed and key[1] in by_container:
            renamed[key] = by_container[key[1]]
    if not renamed:
        return files
    return [source if (prefix := renamed.get(top)) is None else
            dataclasses.replace(source, module=f"{prefix}.{source.module}")
            for source, top in zip(files, tops, strict=True)]


# `os.path.dirname(os.path.abspath(__file__))`, `str(Path(__file__).resolve().parent)`: the
# folder of the file that reads it (whitespace removed)
_OWN_FOLDER = re.compile(
    r"(?:str\()?(?:os\.path\.dirname\((?:os\.path\.(?:abspath|realpath)\()?__file__\)?\)"
    r"|(?:pathlib\.)?Path\(__file__\)(?:\.resolve\(\)|\.absolute\(\))?\.parent)\)?")


def _puts_own_folder_on_path(path: Path) -> bool:
    """Whether the module at `path` puts its own folder on `sys.path` at module level
    (`sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))`, directly or through a
    name bound to that folder)."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if b"sys.path" not in data or b"__file__" not in data:
        return False
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError):
        return False  # parse_file reports it
    folders: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and \
                _OWN_FOLDER.fullmatch("".join(ast.unparse(statement.value).split())):
            folders.update(t.id for t in statement.targets if isinstance(t, ast.Name))
        call = statement.value if isinstance(statement, ast.Expr) else None
        if not isinstance(call, ast.Call) or not call.args or \
                ast.unparse(call.func) not in ("sys.path.insert", "sys.path.append"):
            continue
        entry = call.args[-1]
        if isinstance(entry, ast.Name) and entry.id in folders or \
                _OWN_FOLDER.fullmatch("".join(ast.unparse(entry).split())):
            return True
    return False


def with_folders_put_on_path(files: list[SourceFile]) -> list[SourceFile]:
    """The files, their modules named as the project imports them when a package puts its own
    folder on `sys.path` and imports what it holds as top-level modules. calibre-web's
    `calibreweb/__init__.py` (and `__main__.py`) runs `sys.path.insert(0, path)` with its own
    folder, then `from cps.main import main`, and its modules import `from cps import ...`:
    the app runs as `cps`, never as `calibreweb.cps`. Named `calibreweb.cps`, the scan did not
    find the project's own `cps` imports, and the generated routers imported a second copy of
    every module (`calibreweb.cps.config`, a config nothing had loaded). A package `S` in such
    a folder `P` is named `S` when some file imports it so (`from S...`, `import S`) and none
    imports `P.S`."""
    known = {source.module for source in files}
    entries = {source.module.removesuffix(".__main__") for source in files
               if (source.is_package or source.module.endswith(".__main__"))
               and "." not in source.module.removesuffix(".__main__")
               and _puts_own_folder_on_path(source.path)}
    # P -> the names of its direct children that may be imported top-level
    children = {(top, module.split(".")[1]) for module in known
                if (top := module.split(".")[0]) in entries and module.count(".") >= 1
                and module.split(".")[1] != "__main__"}
    children = {(top, child) for top, child in children
                if f"{top}.{child}" in known and child not in known}
    if not children:
        return files
    found = _names_imported(
        files, {child for _, child in children} | {f"{top}.{child}" for top, child in children},
        rb"^[ \t]*(?:from|import)[ \t]+")
    moved = {f"{top}.{child}" for top, child in children
             if child in found and f"{top}.{child}" not in found}
    if not moved:
        return files
    return [dataclasses.replace(source, module=source.module.split(".", 1)[1])
            if any(source.module == name or source.module.startswith(name + ".")
                   for name in moved) else source
            for source in files]


def _excluded(relative: str, name: str, patterns: Sequence[str]) -> bool:
    return any(
        fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(name, pattern)
        for pattern in patterns
    )


#: Files the scan reads besides Python source: Paste Deploy configs (scan/paste.py)
CONFIG_SUFFIXES = (".ini",)


def iter_project_files(root: Path, suffixes: tuple[str, ...], excludes: Sequence[str] = ()
                       ) -> Iterator[tuple[Path, str]]:
    """The files under the folder `root` whose names end in one of `suffixes`, with their paths
    relative to it, in a stable order: what the scan reads, outside virtualenvs, caches, version
    control folders, linked folders and what `excludes` names."""
    root = root.resolve()
    seen: set[Path] = set()
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(folder)
        kept = []
        for dirname in sorted(dirnames):
            path = here / dirname
            relative = path.relative_to(root).as_posix()
            if dirname in DEFAULT_EXCLUDED_DIRS or dirname.endswith(".egg-info"):
                continue
            if path.is_symlink() or (path / "pyvenv.cfg").exists():
                continue  # a linked folder is either outside the root or read elsewhere
            if _excluded(relative, dirname, excludes):
                continue
            kept.append(dirname)
        dirnames[:] = kept
        for filename in sorted(filenames):
            if not filename.endswith(suffixes):
                continue
            path = here / filename
            relative = path.relative_to(root).as_posix()
            if _excluded(relative, filename, excludes):
                continue
            real = path.resolve()
            if not real.is_relative_to(root) or real in seen or not real.is_file():
                continue
            seen.add(real)
            yield path, relative


def project_files(root: Path, excludes: Sequence[str] = ()
                  ) -> tuple[list[SourceFile], list[tuple[Path, str]]]:
    """In one walk of `root` (a folder, or one file): its Python files, and its config files
    (CONFIG_SUFFIXES) with their paths relative to it."""
    root = root.resolve()
    if root.is_file():
        module, is_package = module_name_for(root)
        return [SourceFile(root, root.name, module, is_package)], []
    sources: list[SourceFile] = []
    configs: list[tuple[Path, str]] = []
    for path, relative in iter_project_files(root, (".py", *CONFIG_SUFFIXES), excludes):
        if path.name.endswith(".py"):
            module, is_package = module_name_for(path)
            sources.append(SourceFile(path, relative, module, is_package))
        else:
            configs.append((path, relative))
    return sources, configs
