"""Deciding what `migrate convert` writes, and writing it safely.

Rules (each has a test in tests/test_convert_output.py):

- Paths are relative POSIX paths; nothing is ever written outside the output folder, symlinks
  included.
- Every file, and then the manifest, is written atomically: a temporary file in the same folder,
  fsynced, then `os.replace`. A crash leaves the old file, never a half-written one.
- The manifest (`.migrate-manifest.json`) records the sha256 of every file as we last wrote it. A
  file whose bytes on disk differ from that hash was edited by a person and is never overwritten
  without `force`; neither is a file we did not write (no manifest entry) at a path we generate.
- A file we generated before and no longer generate is left on disk and kept in the manifest.
- Re-running with the same inputs writes nothing at all, not even the manifest: it holds no
  timestamps, and its JSON is rendered with sorted keys.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_NAME = ".migrate-manifest.json"
MANIFEST_GENERATOR = "flask-fastapi-migrator"
MANIFEST_VERSION = 1

# Actions of a FileChange. Only CREATE and UPDATE are written; BLOCKED (a hand-edited file, or a
# file we did not write, that the new content would overwrite) stops `apply_plan` unless the plan
# was made with force=True, in which case such files are planned as UPDATE with hand_edited=True.
# KEPT is a file we generated before and no longer generate: left on disk, kept in the manifest.
CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"
BLOCKED = "blocked"
KEPT = "kept"
ACTIONS = (CREATE, UPDATE, UNCHANGED, BLOCKED, KEPT)

_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class GeneratedFile:
    path: str  # relative POSIX path inside the output folder, e.g. "routers/items.py"
    content: str  # full text; written UTF-8, line endings exactly as given


class OutputError(Exception):
    """A one-line, user-facing message; the CLI prints it and exits 2."""


@dataclass
class FileChange:
    path: str
    action: str  # one of ACTIONS
    diff: str  # unified diff from the file on disk to the new content; "" if nothing to show
    hand_edited: bool = False  # on disk differs from what we last wrote (or we never wrote it)


@dataclass
class WritePlan:
    out_dir: Path  # resolved
    changes: list[FileChange]  # sorted by path
    metadata: dict = field(default_factory=dict)
    # The manifest after applying: path -> sha256 of the content we will have written.
    manifest_files: dict[str, str] = field(default_factory=dict)
    # Bytes of the manifest on disk when planned (None: absent).
    manifest_before: bytes | None = field(default=None, repr=False)
    # sha256 of each planned path's bytes on disk when planned (None: absent); apply_plan refuses
    # to overwrite a file that changed after the plan was made.
    observed: dict[str, str | None] = field(default_factory=dict, repr=False)

    @property
    def manifest_text(self) -> str:
        return render_manifest(self.manifest_files, self.metadata)

    @property
    def manifest_changed(self) -> bool:
        return self.manifest_text.encode("utf-8") != self.manifest_before

    @property
    def changed(self) -> bool:
        """Would applying (with --force for blocked files) write anything? `--check` exits 1 on
        this. A blocked file counts (it is out of date); so does a manifest-only change (new
        metadata, a file a person reverted to our content)."""
        return self.manifest_changed or any(
            change.action in (CREATE, UPDATE, BLOCKED) for change in self.changes
        )

    @property
    def blocked(self) -> list[FileChange]:
        return [change for change in self.changes if change.action == BLOCKED]


# --- the output folder --------------------------------------------------------------------------


def validate_out_dir(out_dir: Path, source_root: Path) -> Path:
    """Resolve `out_dir`; refuse it (OutputError) if it is the source root, lies inside it or
    contains it, exists and is not a folder, or is a non-empty folder without our manifest."""
    out = Path(out_dir).expanduser().resolve()
    source = Path(source_root).expanduser().resolve()
    if out == source:
        raise OutputError(
            f"output folder {out} is the scanned source folder; choose a folder outside it"
        )
    if out.is_relative_to(source):
        raise OutputError(
            f"output folder {out} is inside the scanned source folder {source}; "
            "choose a folder outside it"
        )
    if source.is_relative_to(out):
        raise OutputError(
            f"output folder {out} contains the scanned source {source}; "
            "choose a folder that does not"
        )
    if not out.exists():
        ancestor = out.parent
        while not ancestor.exists():
            ancestor = ancestor.parent
        if not ancestor.is_dir():
            raise OutputError(f"output folder {out} cannot be created: {ancestor} is not a folder")
        return out
    if not out.is_dir():
        raise OutputError(f"output folder {out} exists and is not a folder")
    manifest = out / MANIFEST_NAME
    if not manifest.exists() and not manifest.is_symlink():
        if any(out.iterdir()):
            raise OutputError(
                f"output folder {out} is not empty and was not generated by migrate convert "
                f"(no {MANIFEST_NAME}); choose a new or empty folder"
            )
        return out
    _read_manifest(out)  # a manifest we cannot read is refused here, with its reason
    return out


def render_manifest(files: dict[str, str], metadata: dict) -> str:
    document = {
        "files": dict(sorted(files.items())),
        "generator": MANIFEST_GENERATOR,
        "metadata": metadata,
        "version": MANIFEST_VERSION,
    }
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _read_manifest(out: Path) -> tuple[dict[str, str], dict, bytes | None]:
    """(files, metadata, raw bytes) of the manifest in `out`; empty when there is none."""
    path = out / MANIFEST_NAME
    if not path.exists() and not path.is_symlink():
        return {}, {}, None
    if path.is_symlink() or not path.is_file():
        raise OutputError(f"{path} is not a regular file; remove it or choose another folder")
    raw = path.read_bytes()
    problem = f"{path} is not a manifest written by migrate convert"
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise OutputError(f"{problem} (not valid JSON)") from None
    if not isinstance(document, dict) or document.get("generator") != MANIFEST_GENERATOR:
        raise OutputError(problem)
    if document.get("version") != MANIFEST_VERSION:
        raise OutputError(
            f"{path} has version {document.get('version')!r}, this migrate reads version "
            f"{MANIFEST_VERSION}"
        )
    files = document.get("files")
    metadata = document.get("metadata", {})
    if not isinstance(files, dict) or not isinstance(metadata, dict):
        raise OutputError(f"{problem} (bad 'files' or 'metadata')")
    for name, digest in files.items():
        if _path_problem(name) or not isinstance(digest, str) or not _SHA256.match(digest):
            raise OutputError(f"{problem} (bad entry {name!r})")
    return files, metadata, raw


def read_manifest_metadata(out_dir: Path) -> dict:
    """The metadata the last run stored in `out_dir`'s manifest ({} when there is none)."""
    out = Path(out_dir)
    if not out.is_dir():
        return {}
    return _read_manifest(out)[1]


# --- paths ----------------------------------------------------------------------------------------


def _path_problem(path: object) -> str | None:
    if not isinstance(path, str) or not path:
        return "is not a non-empty string"
    if "\x00" in path:
        return "contains a NUL"
    if "\\" in path:
        return "contains a backslash"
    if _CONTROL.search(path):
        return "contains a control character"
    if path.startswith("/") or _DRIVE.match(path):
        return "is absolute"
    parts = path.split("/")
    if ".." in parts:
        return "contains '..'"
    if any(part in ("", ".") for part in parts):
        return "is not a normalized relative path"
    if path == MANIFEST_NAME:
        return "is the manifest's name"
    return None


def _target(out: Path, path: str) -> Path:
    """The resolved file `path` names inside `out` (resolved); OutputError if it is unsafe."""
    problem = _path_problem(path)
    if problem:
        raise OutputError(f"refusing to write generated file {path!r}: the path {problem}")
    target = (out / path).resolve()
    if target == out or not target.is_relative_to(out):
        raise OutputError(
            f"refusing to write generated file {path!r}: it resolves to {target}, outside the "
            f"output folder {out}"
        )
    for ancestor in target.relative_to(out).parents:
        folder = out / ancestor
        if folder.exists() and not folder.is_dir():
            raise OutputError(f"cannot write {path}: {folder} exists and is not a folder")
    if target.exists() and not target.is_file():
        raise OutputError(f"cannot write {path}: {target} exists and is not a regular file")
    return target


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_bytes(target: Path) -> bytes | None:
    try:
        return target.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise OutputError(f"cannot read {target}: {error.strerror or error}") from None


# --- planning -------------------------------------------------------------------------------------


def _normalized_metadata(metadata: dict) -> dict:
    """A JSON round trip: tuples become lists, keys strings; NaN and non-JSON values raise."""
    if not isinstance(metadata, dict):
        raise TypeError(f"metadata must be a dict, not {type(metadata).__name__}")
    return json.loads(json.dumps(metadata, sort_keys=True, allow_nan=False))


def plan_write(
    out_dir: Path,
    files: list[GeneratedFile],
    *,
    force: bool = False,
    metadata: dict | None = None,
) -> WritePlan:
    """Compare `files` with the disk and the manifest; nothing is written.

    metadata=None keeps the metadata already in the manifest; a dict replaces it (so the same
    inputs give the same manifest bytes, and a change of metadata alone is a manifest change).
    """
    out = Path(out_dir).expanduser().resolve()
    if out.exists() and not out.is_dir():
        raise OutputError(f"output folder {out} exists and is not a folder")
    old_files, old_metadata, manifest_before = _read_manifest(out)
    new_metadata = old_metadata if metadata is None else _normalized_metadata(metadata)

    by_path: dict[str, GeneratedFile] = {}
    for generated in files:
        if not isinstance(generated.content, str):
            raise TypeError(f"content of {generated.path!r} is not a str")
        if generated.path in by_path:
            raise ValueError(f"two generated files have the path {generated.path!r}")
        by_path[generated.path] = generated

    changes: list[FileChange] = []
    manifest_files: dict[str, str] = {}
    observed: dict[str, str | None] = {}
    targets: dict[Path, str] = {}
    for path in sorted(by_path):
        target = _target(out, path)
        if target in targets:
            raise OutputError(f"generated files {targets[target]} and {path} are the same file")
        targets[target] = path
        new = by_path[path].content.encode("utf-8")
        new_sha = _sha256(new)
        manifest_files[path] = new_sha
        current = _read_bytes(target)
        current_sha = None if current is None else _sha256(current)
        observed[path] = current_sha
        if current is None:
            changes.append(FileChange(path, CREATE, _unified_diff(path, None, new)))
        elif current == new:
            changes.append(FileChange(path, UNCHANGED, ""))
        else:
            hand_edited = old_files.get(path) != current_sha
            action = BLOCKED if hand_edited and not force else UPDATE
            changes.append(FileChange(path, action, _unified_diff(path, current, new), hand_edited))

    for path in sorted(set(old_files) - set(by_path)):
        # Generated before, not now: never deleted. A file a person already deleted is dropped.
        if os.path.lexists(out / path):
            manifest_files[path] = old_files[path]
            changes.append(FileChange(path, KEPT, ""))

    changes.sort(key=lambda change: change.path)
    return WritePlan(
        out_dir=out,
        changes=changes,
        metadata=new_metadata,
        manifest_files=dict(sorted(manifest_files.items())),
        manifest_before=manifest_before,
        observed=observed,
    )


# --- writing --------------------------------------------------------------------------------------


def blocked_message(blocked: list[FileChange]) -> str:
    names = ", ".join(change.path for change in blocked)
    count = len(blocked)
    noun = "file" if count == 1 else "files"
    return f"refusing to overwrite {count} hand-edited {noun}: {names} (use --force to overwrite)"


def apply_plan(
    plan: WritePlan, files: list[GeneratedFile], *, metadata: dict | None = None
) -> None:
    """Write every create/update atomically, then the manifest if its bytes changed.

    `files` must be the files the plan was made from. metadata=None writes the plan's metadata;
    a dict replaces it. Raises OutputError if the plan has blocked files, or if a file changed on
    disk after the plan was made.
    """
    if plan.blocked:
        raise OutputError(blocked_message(plan.blocked))
    out = plan.out_dir
    new_metadata = plan.metadata if metadata is None else _normalized_metadata(metadata)
    by_path = {generated.path: generated for generated in files}

    writes: list[tuple[Path, bytes]] = []
    for change in plan.changes:
        if change.action not in (CREATE, UPDATE):
            continue
        generated = by_path.get(change.path)
        data = None if generated is None else generated.content.encode("utf-8")
        if data is None or _sha256(data) != plan.manifest_files.get(change.path):
            raise ValueError(f"{change.path!r}: the files passed differ from the planned ones")
        target = _target(out, change.path)
        current = _read_bytes(target)
        if (None if current is None else _sha256(current)) != plan.observed.get(change.path):
            raise OutputError(f"{change.path} changed on disk while converting; run again")
        writes.append((target, data))

    manifest = out / MANIFEST_NAME
    text = render_manifest(plan.manifest_files, new_metadata).encode("utf-8")
    try:
        out.mkdir(parents=True, exist_ok=True)
        for target, data in writes:
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, data)
        if text != _read_bytes(manifest):
            atomic_write(manifest, text)
    except OSError as error:
        where = error.filename or out
        raise OutputError(f"cannot write {where}: {error.strerror or error}") from error


def atomic_write(target: Path, data: bytes) -> None:
    """Write `data` to `target` through a fsynced temporary file in the same folder and
    `os.replace`. On any failure the old file is intact and the temporary file is removed. A new
    file gets the umask's permissions; a replaced file keeps its mode."""
    folder = target.parent
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None
    temporary = folder / f".{target.name}.{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    descriptor = os.open(temporary, flags, 0o666)
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(descriptor, view)
                view = view[written:]
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX); folders cannot be opened for fsync on Windows."""
    if os.name == "nt":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems refuse fsync on folders; the rename is still atomic
    finally:
        os.close(descriptor)


# --- diffs ----------------------------------------------------------------------------------------

_LINE = re.compile(r"[^\n]*\n|[^\n]+")  # split on "\n" only: "\r", "\f", U+2028 stay in the line
_NO_NEWLINE = "\\ No newline at end of file\n"


def _lines(text: str) -> list[str]:
    return _LINE.findall(text)


def _unified_diff(path: str, old: bytes | None, new: bytes) -> str:
    old_lines = [] if old is None else _lines(old.decode("utf-8", errors="replace"))
    new_lines = _lines(new.decode("utf-8"))
    fromfile = "/dev/null" if old is None else f"a/{path}"
    out: list[str] = []
    for line in difflib.unified_diff(old_lines, new_lines, fromfile, f"b/{path}", lineterm="\n"):
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n" + _NO_NEWLINE)
    if not out and old is None:  # a new empty file: headers only
        out = [f"--- {fromfile}\n", f"+++ b/{path}\n"]
    return "".join(out)


BOLD, RED, GREEN, CYAN, RESET = "\x1b[1m", "\x1b[31m", "\x1b[32m", "\x1b[36m", "\x1b[0m"


def _styled(line: str, style: str) -> str:
    body = line.rstrip("\r\n")  # the escape codes go before the line ending
    return f"{style}{body}{RESET}{line[len(body) :]}"


def _colour_diff(diff: str) -> str:
    out: list[str] = []
    in_hunk = False  # "---"/"+++" are headers before the first "@@", removed/added lines after
    for line in _lines(diff):
        if line.startswith("@@"):
            in_hunk = True
            out.append(_styled(line, CYAN))
        elif not in_hunk:
            out.append(_styled(line, BOLD))
        elif line.startswith("+"):
            out.append(_styled(line, GREEN))
        elif line.startswith("-"):
            out.append(_styled(line, RED))
        else:
            out.append(line)
    return "".join(out)


def render_diff(plan: WritePlan, *, color: bool) -> str:
    """Every create/update/blocked diff, in path order; with `color`, bold headers and ANSI
    red/green/cyan for -/+/@@ lines (the caller passes color=sys.stdout.isatty())."""
    diffs = [change.diff for change in plan.changes if change.diff]
    return "".join(_colour_diff(diff) if color else diff for diff in diffs)
