"""The example app converted into an importable package, shared by the tests that run it."""

from __future__ import annotations

import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from migrator.convert.run import ConvertResult, convert_project

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "legacy_flask_app"


def returns_within(seconds: float, work: Callable[[], object]) -> object:
    """`work()`'s result, run in a daemon thread: a test of something that used to hang (an
    endless stream read to its end) fails after `seconds` instead of hanging the suite."""
    outcome: list[object] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as error:  # noqa: BLE001 -- handed to the test's thread
            errors.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if errors:
        raise errors[0]
    return outcome[0]


def forget_package(package: str) -> None:
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]


def write_files(root: Path, files: dict[str, str]) -> None:
    """Write each source (dedented) at its name under `root`; a name may hold folders
    ("views/pages.py")."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")


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


@contextmanager
def converted_snippet(folder: Path, legacy_package: str, source: str | dict[str, str],
                      package: str, **options) -> Iterator[tuple[ConvertResult, Path, Path]]:
    """Write `source` as the legacy package `legacy_package` under `folder/legacy` (a string is
    its `__init__.py`; a dict maps file names to sources) and convert it into
    `folder/generated/package`; both are importable while the context lasts. Yields the result,
    the generated package and the legacy package."""
    legacy = folder / "legacy" / legacy_package
    legacy.mkdir(parents=True)
    write_files(legacy, {"__init__.py": source} if isinstance(source, str) else source)
    out = folder / "generated" / package
    result = convert_project(legacy, out, **options)
    roots = [str(folder / "legacy"), str(folder / "generated")]
    sys.path[:0] = roots
    try:
        yield result, out, legacy
    finally:
        for root in roots:
            sys.path.remove(root)
        forget_package(legacy_package)
        forget_package(package)


def assert_answered_alike(flask_client, client, requests) -> None:
    """Each `(method, path)` of `requests` gets the same status, body and Content-Type from the
    generated app (`client`, Starlette's test client) as from the legacy app (`flask_client`)."""
    for method, path in requests:
        old = flask_client.open(path, method=method)
        new = client.request(method, path)
        assert (new.status_code, new.content, new.headers.get("content-type")) == (
            old.status_code, old.get_data(), old.headers.get("content-type")), (method, path)


def paths_the_legacy_mount_serves(monkeypatch, package: str) -> list[str]:
    """The list every request the generated package `package` hands its legacy mount appends
    its path to (while `monkeypatch` lasts): what a converted route did not answer itself."""
    mounted: list[str] = []
    legacy_mount = sys.modules[f"{package}.flask_compat"].LegacyMount
    original = legacy_mount.__call__

    async def counted(self, scope, receive, send):
        mounted.append(scope["path"])
        await original(self, scope, receive, send)

    monkeypatch.setattr(legacy_mount, "__call__", counted)
    return mounted
