"""`migrate scan`: a static model of a Flask code base (nothing is imported or run).

Pipeline: discover files -> read + byte pre-filter + LibCST parse + extract facts (in parallel,
one file at a time, a bad file becomes a `FileError`) -> link facts across modules into the
model (`migrator.model`).
"""

from __future__ import annotations

import ast
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import libcst as cst

from migrator.discover import (
    DecodeError,
    SourceFile,
    decode_source,
    might_define_routes,
    project_files,
    with_folders_put_on_path,
    with_namespace_parents,
)
from migrator.model import FileError, ScanResult
from migrator.report import stderr_progress
from migrator.scan.extract import extract_facts
from migrator.scan.facts import ModuleFacts

# Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 48


@dataclass
class FileOutcome:
    file: SourceFile
    lines: int
    facts: ModuleFacts | None = None
    error: FileError | None = None
    parsed: bool = False


def parse_file(source_file: SourceFile, *, force: bool = False) -> FileOutcome:
    """Read, pre-filter and parse one file. Never raises for bad input: errors are data."""
    try:
        data = source_file.path.read_bytes()
    except OSError as error:
        return FileOutcome(source_file, 0, error=FileError(source_file.relative, None,
                                                           f"cannot read: {error.strerror}"))
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    if not force and not might_define_routes(data):
        return FileOutcome(source_file, lines)
    try:
        text = decode_source(data)
        tree = cst.parse_module(text)
    except DecodeError as error:
        return FileOutcome(source_file, lines, error=FileError(source_file.relative, error.line,
                                                               str(error)))
    except cst.ParserSyntaxError as error:
        return FileOutcome(source_file, lines, error=_syntax_error(source_file, text, error))
    except (RecursionError, MemoryError, ValueError) as error:
        return FileOutcome(source_file, lines,
                           error=FileError(source_file.relative, None, f"cannot parse: {error}"))
    try:
        facts = extract_facts(tree, text, source_file.module, source_file.relative,
                              source_file.is_package)
    except RecursionError:
        return FileOutcome(source_file, lines, parsed=True, error=FileError(
            source_file.relative, None, "too deeply nested to analyse"))
    return FileOutcome(source_file, lines, facts=facts, parsed=True)


def _syntax_error(source_file: SourceFile, text: str, error: cst.ParserSyntaxError) -> FileError:
    """CPython's parser names the line and reason more precisely than LibCST's (which often
    points at the token after the mistake), so ask it, on this error path only."""
    try:
        ast.parse(text)
    except SyntaxError as precise:
        return FileError(source_file.relative, precise.lineno, f"syntax error: {precise.msg}")
    except (ValueError, RecursionError, MemoryError):
        pass
    else:
        return FileError(source_file.relative, error.raw_line,
                         f"valid Python that LibCST cannot parse: {error.message}")
    return FileError(source_file.relative, error.raw_line, f"syntax error: {error.message}")


def _parse_chunk(files: list[SourceFile]) -> list[FileOutcome]:
    return [parse_file(f) for f in files]


def _default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def green_threads() -> bool:
    """Whether gevent or eventlet has patched this process's threads (`migrate verify` loads a
    legacy app that may: scan.monkey_patching). A process pool's shutdown then waits on a
    green lock that nothing releases, forever."""
    gevent_monkey = sys.modules.get("gevent.monkey")
    if gevent_monkey is not None and gevent_monkey.is_module_patched("threading"):
        return True
    eventlet_patcher = sys.modules.get("eventlet.patcher")
    return eventlet_patcher is not None and bool(eventlet_patcher.is_monkey_patched("thread"))


def parse_files(files: list[SourceFile], jobs: int | None, progress: bool) -> list[FileOutcome]:
    jobs = jobs or _default_jobs()
    if jobs <= 1 or len(files) < PARALLEL_THRESHOLD or green_threads():
        return [parse_file(f) for f in files]
    # Chunks keep inter-process traffic low; many chunks per worker balance uneven file sizes.
    size = max(4, min(64, len(files) // (jobs * 8) or 1))
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    outcomes: list[FileOutcome] = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        results = pool.map(_parse_chunk, chunks)
        with stderr_progress("scanning", len(files), progress) as advance:
            for chunk in results:
                outcomes.extend(chunk)
                advance(len(chunk))
    return outcomes


def scan_path(
    root: Path,
    *,
    excludes: Sequence[str] = (),
    jobs: int | None = None,
    progress: bool = False,
) -> ScanResult:
    """Scan `root` (a folder or one file). Raises FileNotFoundError if it does not exist."""
    from migrator.scan.link import Linker
    from migrator.scan.paste import read_paste_configs
    from migrator.scan.stated import load_stated_values

    root = Path(root)
    if not root.exists():
        raise FileNotFoundError(str(root))
    sources, configs = project_files(root, excludes)
    files = with_folders_put_on_path(with_namespace_parents(sources, root))
    outcomes = parse_files(files, jobs, progress and sys.stderr.isatty() and len(files) > 200)
    result = ScanResult(root=str(root.resolve()))
    result.files_scanned = len(files)
    result.lines_scanned = sum(o.lines for o in outcomes)
    result.files_parsed = sum(1 for o in outcomes if o.parsed)
    result.errors = [o.error for o in outcomes if o.error is not None]
    stated, stated_errors = load_stated_values(root)
    result.errors += stated_errors
    paste, paste_errors = read_paste_configs(root.resolve(), configs)
    result.errors += paste_errors
    Linker(outcomes, result, stated, paste).link()
    result.errors.sort(key=lambda e: (e.file, e.line or 0))
    return result
