"""The example app converted into an importable package, shared by the tests that run it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from migrator.convert.run import ConvertResult, convert_project

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "legacy_flask_app"


def forget_package(package: str) -> None:
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]


@contextmanager
def converted_example(folder: Path, package: str, **options) -> Iterator[
        tuple[ConvertResult, Path]]:
    """Convert the example app into `folder/package`, importable while the context lasts."""
    out = folder / package
    result = convert_project(EXAMPLE, out, **options)
    sys.path.insert(0, str(folder))
    try:
        yield result, out
    finally:
        sys.path.remove(str(folder))
        forget_package(package)
