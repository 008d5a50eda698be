"""Module walks: a loop over the modules of a package, each imported by name to register what it
defines. The "Flask for fun and profit" pattern:

    for name in find_modules("app.blueprints", include_packages=True):
        module = import_string(name)
        if hasattr(module, "bp"):
            app.register_blueprint(module.bp)

or `for _, name, _ in pkgutil.iter_modules(views.__path__)` with `importlib.import_module`. The
scan lists what such a walk finds among the project's own files, in the order Python lists them;
the linker evaluates the package or folder walked (`link.py`).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from migrator.discover import SourceFile

#: The walks read, by qualified name, with their parameters in order.
PKGUTIL_WALKS = {"pkgutil.iter_modules": ("path", "prefix"),
                 "pkgutil.walk_packages": ("path", "prefix", "onerror")}
WERKZEUG_WALKS = {"werkzeug.utils.find_modules": ("import_path", "include_packages", "recursive"),
                  "werkzeug.find_modules": ("import_path", "include_packages", "recursive")}
#: pkgutil's ModuleInfo, the items of its walks.
MODULE_INFO_FIELDS = ("module_finder", "name", "ispkg")


@dataclass(frozen=True)
class Entry:
    """A module of a folder, as pkgutil lists it: `users.py`, or `admin/` with an `__init__.py`."""

    filename: str  # what pkgutil sorts by
    name: str  # the module's own name (`users`)
    is_package: bool


class ModuleTree:
    """The project's modules by folder (POSIX, relative to the scan root), as a walk sees them."""

    def __init__(self, files: Iterable[SourceFile]) -> None:
        self.entries: dict[str, list[Entry]] = {}
        self.package_folders: dict[str, str] = {}  # package module -> its folder
        for source in files:
            folder, filename = posixpath.split(source.relative)
            if source.is_package:
                self.package_folders[source.module] = folder or "."
                folder, filename = posixpath.split(folder)
                name = filename
            else:
                name = filename.removesuffix(".py")
            if not name or "." in name or name == "__init__":
                continue  # not importable by a walk's name (`a.b.py`), or a package's own file
            self.entries.setdefault(folder or ".", []).append(
                Entry(filename, name, source.is_package))
        for entries in self.entries.values():
            entries.sort(key=lambda entry: entry.filename)  # pkgutil sorts os.listdir's names

    def has_folder(self, folder: str) -> bool:
        return folder in self.entries or folder in self.package_folders.values()

    def iter_modules(self, folders: list[str], prefix: str) -> Iterator[tuple[str, bool]]:
        """`pkgutil.iter_modules(folders, prefix)`: (prefixed name, is a package), each name once."""
        seen: set[str] = set()
        for folder in folders:
            for entry in self.entries.get(folder, ()):
                if entry.name not in seen:
                    seen.add(entry.name)
                    yield prefix + entry.name, entry.is_package

    def walk_packages(self, folders: list[str], prefix: str,
                      depth: int = 0) -> Iterator[tuple[str, bool]]:
        """`pkgutil.walk_packages(folders, prefix)`: every module below, packages before what
        they hold."""
        for name, is_package in self.iter_modules(folders, prefix):
            yield name, is_package
            if is_package and depth < 20:
                inner = [posixpath.join(folder, name.removeprefix(prefix)) for folder in folders]
                yield from self.walk_packages([f for f in inner if f in self.entries],
                                              f"{name}.", depth + 1)

    def find_modules(self, package: str, include_packages: bool, recursive: bool,
                     depth: int = 0) -> Iterator[str]:
        """Werkzeug's `find_modules(package, include_packages, recursive)`: dotted names."""
        folder = self.package_folders.get(package)
        if folder is None or depth > 20:
            return
        for name, is_package in self.iter_modules([folder], f"{package}."):
            if is_package:
                if include_packages:
                    yield name
                if recursive:
                    yield from self.find_modules(name, include_packages, True, depth + 1)
            else:
                yield name
