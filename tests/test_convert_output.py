"""`migrator.convert.output`: what `migrate convert` writes, and that it writes it safely."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from migrator.convert import output
from migrator.convert.output import (
    MANIFEST_NAME,
    FileChange,
    GeneratedFile,
    OutputError,
    WritePlan,
    apply_plan,
    plan_write,
    render_diff,
    validate_out_dir,
)

MAIN = GeneratedFile("main.py", "from fastapi import FastAPI\n\napp = FastAPI()\n")
ITEMS = GeneratedFile("routers/items.py", "from fastapi import APIRouter\n\nrouter = APIRouter()\n")
USERS = GeneratedFile("routers/users.py", "from fastapi import APIRouter\n\nusers = APIRouter()\n")
META = {"routes": ["items.list", "items.get"], "tool_version": "0.1.0"}


def convert(out: Path, files: list[GeneratedFile], **kwargs) -> WritePlan:
    """What the CLI does without --diff/--check: plan, then apply."""
    plan = plan_write(out, files, **kwargs)
    apply_plan(plan, files)
    return plan


def actions(plan: WritePlan) -> dict[str, str]:
    return {change.path: change.action for change in plan.changes}


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder`: its bytes and mtime in nanoseconds."""
    return {
        path.relative_to(folder).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def freeze(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Set every file's mtime far in the past (so that any rewrite shows, however coarse the file
    system's clock), then take a snapshot."""
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            os.utime(path, ns=(946_684_800 * 10**9, 946_684_800 * 10**9))
    return snapshot(folder)


def leftovers(folder: Path) -> list[str]:
    return [path.name for path in folder.rglob("*.tmp")]


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "fastapi_app"


# --- create, re-run, update -----------------------------------------------------------------------


def test_create_writes_files_and_manifest(out: Path) -> None:
    plan = plan_write(out, [MAIN, ITEMS], metadata=META)
    assert actions(plan) == {"main.py": "create", "routers/items.py": "create"}
    assert plan.changed and not plan.blocked
    assert not out.exists()  # planning writes nothing
    apply_plan(plan, [MAIN, ITEMS])

    assert (out / "main.py").read_text() == MAIN.content
    assert (out / "routers" / "items.py").read_text() == ITEMS.content
    raw = (out / MANIFEST_NAME).read_text()
    manifest = json.loads(raw)
    assert raw.endswith("}\n") and raw == json.dumps(manifest, sort_keys=True, indent=2) + "\n"
    assert set(manifest["files"]) == {"main.py", "routers/items.py"}
    assert manifest["metadata"] == META
    assert sorted(os.listdir(out)) == [MANIFEST_NAME, "main.py", "routers"]


def test_rerun_with_same_inputs_is_a_no_op(out: Path) -> None:
    convert(out, [MAIN, ITEMS], metadata=META)
    before = freeze(out)

    plan = plan_write(out, [ITEMS, MAIN], metadata=dict(reversed(META.items())))  # order-blind
    assert actions(plan) == {"main.py": "unchanged", "routers/items.py": "unchanged"}
    assert not plan.changed and not plan.manifest_changed
    assert render_diff(plan, color=False) == ""
    apply_plan(plan, [MAIN, ITEMS])

    assert snapshot(out) == before  # same bytes and mtimes, the manifest included


def test_metadata_none_keeps_the_stored_metadata(out: Path) -> None:
    convert(out, [MAIN], metadata=META)
    plan = plan_write(out, [MAIN])
    assert plan.metadata == META and not plan.changed


def test_metadata_change_alone_rewrites_only_the_manifest(out: Path) -> None:
    convert(out, [MAIN], metadata=META)
    main_before = freeze(out)["main.py"]

    plan = plan_write(out, [MAIN], metadata={**META, "routes": ["items.list"]})
    assert actions(plan) == {"main.py": "unchanged"}
    assert plan.manifest_changed and plan.changed  # --check reports it
    apply_plan(plan, [MAIN])

    assert snapshot(out)["main.py"] == main_before
    assert json.loads((out / MANIFEST_NAME).read_text())["metadata"]["routes"] == ["items.list"]


def test_changed_generated_file_is_updated(out: Path) -> None:
    convert(out, [MAIN, ITEMS])
    items_before = freeze(out)["routers/items.py"]
    new_main = GeneratedFile("main.py", MAIN.content + "app.include_router(items.router)\n")

    plan = plan_write(out, [new_main, ITEMS])
    assert actions(plan) == {"main.py": "update", "routers/items.py": "unchanged"}
    (change,) = [c for c in plan.changes if c.action == "update"]
    assert not change.hand_edited
    assert "+app.include_router(items.router)\n" in change.diff
    apply_plan(plan, [new_main, ITEMS])

    assert (out / "main.py").read_text() == new_main.content
    assert snapshot(out)["routers/items.py"] == items_before
    assert not plan_write(out, [new_main, ITEMS]).changed  # and that is stable


def test_update_keeps_the_file_mode(out: Path) -> None:
    convert(out, [MAIN])
    (out / "main.py").chmod(0o640)
    convert(out, [GeneratedFile("main.py", "# v2\n")])
    assert (out / "main.py").stat().st_mode & 0o777 == 0o640


def test_a_generated_file_deleted_by_hand_is_created_again(out: Path) -> None:
    convert(out, [MAIN, ITEMS])
    (out / "main.py").unlink()
    plan = convert(out, [MAIN, ITEMS])
    assert actions(plan)["main.py"] == "create"
    assert (out / "main.py").read_text() == MAIN.content


# --- hand-edited files -----------------------------------------------------------------------------


def test_hand_edited_file_is_blocked_and_named(out: Path) -> None:
    convert(out, [MAIN, ITEMS, USERS])
    edited_items = ITEMS.content + "# my own route\n"
    (out / "routers" / "items.py").write_text(edited_items)
    (out / "main.py").write_text("# rewritten by hand\n")
    new_files = [
        GeneratedFile("main.py", MAIN.content + "# v2\n"),
        GeneratedFile("routers/items.py", ITEMS.content + "# v2\n"),
        GeneratedFile("routers/users.py", USERS.content + "# v2\n"),
    ]

    plan = plan_write(out, new_files)
    assert actions(plan) == {
        "main.py": "blocked",
        "routers/items.py": "blocked",
        "routers/users.py": "update",
    }
    assert [c.path for c in plan.blocked] == ["main.py", "routers/items.py"]
    assert all(c.hand_edited for c in plan.blocked) and plan.changed
    assert "-# my own route\n" in render_diff(plan, color=False)  # --diff shows what --force does
    before = freeze(out)

    with pytest.raises(OutputError) as raised:
        apply_plan(plan, new_files)
    message = str(raised.value)
    assert "main.py" in message and "routers/items.py" in message and "--force" in message
    assert "routers/users.py" not in message and "\n" not in message
    assert snapshot(out) == before  # nothing written, not even the non-blocked file


def test_force_overwrites_hand_edited_file(out: Path) -> None:
    convert(out, [MAIN])
    (out / "main.py").write_text("# rewritten by hand\n")
    new_main = GeneratedFile("main.py", MAIN.content + "# v2\n")

    plan = convert(out, [new_main], force=True)
    assert plan.changes == [FileChange("main.py", "update", plan.changes[0].diff, True)]
    assert (out / "main.py").read_text() == new_main.content
    # The manifest now records what we wrote: the next run is neither blocked nor changed.
    assert not plan_write(out, [new_main]).changed


def test_hand_edit_that_matches_new_output_is_not_blocked(out: Path) -> None:
    convert(out, [MAIN])
    new_main = GeneratedFile("main.py", MAIN.content + "# v2\n")
    (out / "main.py").write_text(new_main.content)
    plan = plan_write(out, [new_main])
    assert actions(plan) == {"main.py": "unchanged"}
    assert plan.manifest_changed  # it records the new hash
    apply_plan(plan, [new_main])
    (out / "main.py").write_text(MAIN.content)  # now an edit relative to what the manifest says
    assert actions(plan_write(out, [new_main])) == {"main.py": "blocked"}


def test_unedited_file_stays_updatable_when_another_is_edited(out: Path) -> None:
    convert(out, [MAIN, ITEMS])
    (out / "main.py").write_text("# mine\n")
    plan = plan_write(out, [MAIN, GeneratedFile(ITEMS.path, "# v2\n")])
    assert actions(plan) == {"main.py": "blocked", "routers/items.py": "update"}


def test_file_we_did_not_write_at_a_generated_path_is_blocked(out: Path) -> None:
    convert(out, [MAIN])
    (out / "routers").mkdir()
    (out / "routers" / "items.py").write_text("# a person's module\n")
    plan = plan_write(out, [MAIN, ITEMS])
    assert actions(plan)["routers/items.py"] == "blocked"
    with pytest.raises(OutputError, match="routers/items.py"):
        apply_plan(plan, [MAIN, ITEMS])


def test_file_edited_after_planning_is_not_overwritten(out: Path) -> None:
    convert(out, [MAIN])
    new_main = GeneratedFile("main.py", "# v2\n")
    plan = plan_write(out, [new_main])
    (out / "main.py").write_text("# edited meanwhile\n")
    with pytest.raises(OutputError, match="main.py changed on disk"):
        apply_plan(plan, [new_main])
    assert (out / "main.py").read_text() == "# edited meanwhile\n"


def test_apply_refuses_files_other_than_planned(out: Path) -> None:
    plan = plan_write(out, [MAIN])
    with pytest.raises(ValueError):
        apply_plan(plan, [GeneratedFile("main.py", "# something else\n")])
    assert not out.exists()


# --- files no longer generated --------------------------------------------------------------------


def test_file_removed_from_the_set_is_kept(out: Path) -> None:
    convert(out, [MAIN, ITEMS, USERS])
    users_hash = json.loads((out / MANIFEST_NAME).read_text())["files"]["routers/users.py"]

    plan = convert(out, [MAIN, ITEMS])
    assert actions(plan)["routers/users.py"] == "kept"
    assert not plan.changed  # keeping is not a change
    assert (out / "routers" / "users.py").read_text() == USERS.content
    assert json.loads((out / MANIFEST_NAME).read_text())["files"]["routers/users.py"] == users_hash

    # Still tracked: an edit to it is protected when it is generated again.
    (out / "routers" / "users.py").write_text("# mine now\n")
    assert actions(plan_write(out, [MAIN, ITEMS, USERS]))["routers/users.py"] == "blocked"


def test_kept_file_deleted_by_hand_leaves_the_manifest(out: Path) -> None:
    convert(out, [MAIN, USERS])
    (out / "routers" / "users.py").unlink()
    plan = convert(out, [MAIN])
    assert actions(plan) == {"main.py": "unchanged"}
    assert list(json.loads((out / MANIFEST_NAME).read_text())["files"]) == ["main.py"]


# --- the output folder ----------------------------------------------------------------------------


@pytest.fixture
def source(tmp_path: Path) -> Path:
    root = tmp_path / "flask_app"
    (root / "pkg").mkdir(parents=True)
    (root / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    return root


def test_out_dir_inside_source_root_is_refused(source: Path) -> None:
    with pytest.raises(OutputError, match="inside the scanned source folder") as raised:
        validate_out_dir(source / "pkg" / "fastapi_app", source)
    assert "\n" not in str(raised.value)


def test_out_dir_inside_source_root_through_a_symlink_is_refused(
    source: Path, tmp_path: Path
) -> None:
    (tmp_path / "link").symlink_to(source / "pkg")
    with pytest.raises(OutputError, match="inside the scanned source folder"):
        validate_out_dir(tmp_path / "link" / "out", source)


def test_out_dir_equal_to_source_root_is_refused(source: Path) -> None:
    with pytest.raises(OutputError, match="is the scanned source folder"):
        validate_out_dir(source / "pkg" / "..", source)


def test_out_dir_containing_source_root_is_refused(source: Path) -> None:
    with pytest.raises(OutputError, match="contains the scanned source"):
        validate_out_dir(source.parent, source)


def test_existing_non_empty_foreign_folder_is_refused(source: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "someones_project"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine\n")
    with pytest.raises(OutputError, match="not empty and was not generated") as raised:
        validate_out_dir(foreign, source)
    assert MANIFEST_NAME in str(raised.value) and "\n" not in str(raised.value)


def test_existing_empty_folder_is_accepted(source: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert validate_out_dir(empty, source) == empty.resolve()
    convert(empty, [MAIN])
    assert (empty / "main.py").is_file()


def test_new_folder_is_accepted_and_resolved(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "a" / ".." / "new"
    assert validate_out_dir(target, source) == (tmp_path / "new").resolve()


def test_our_own_earlier_output_is_accepted(source: Path, out: Path) -> None:
    convert(out, [MAIN])
    assert validate_out_dir(out, source) == out.resolve()


def test_out_dir_that_is_a_file_is_refused(source: Path, tmp_path: Path) -> None:
    file = tmp_path / "out.py"
    file.write_text("")
    with pytest.raises(OutputError, match="exists and is not a folder"):
        validate_out_dir(file, source)
    with pytest.raises(OutputError, match="exists and is not a folder"):
        plan_write(file, [MAIN])
    with pytest.raises(OutputError, match="is not a folder"):
        validate_out_dir(file / "sub", source)


def test_single_file_source_allows_a_sibling_out_dir(source: Path) -> None:
    sibling = source / "fastapi_app"
    assert validate_out_dir(sibling, source / "app.py") == sibling.resolve()
    with pytest.raises(OutputError):
        validate_out_dir(source / "app.py", source / "app.py")


def test_corrupt_manifest_is_refused(source: Path, out: Path) -> None:
    out.mkdir()
    (out / MANIFEST_NAME).write_text("{not json")
    with pytest.raises(OutputError, match="not valid JSON"):
        validate_out_dir(out, source)
    (out / MANIFEST_NAME).write_text('{"generator": "someone else"}\n')
    with pytest.raises(OutputError, match="not a manifest written by migrate convert"):
        plan_write(out, [MAIN])


def test_manifest_with_an_unsafe_entry_is_refused(out: Path) -> None:
    convert(out, [MAIN])
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    manifest["files"]["../escape.py"] = "0" * 64
    (out / MANIFEST_NAME).write_text(json.dumps(manifest))
    with pytest.raises(OutputError, match="bad entry"):
        plan_write(out, [MAIN])


# --- paths ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "../x.py",
        "/abs.py",
        "a/../../b",
        "a/../b.py",
        "..",
        "a\\b.py",
        "..\\x.py",
        "a\x00b.py",
        "C:/x.py",
        "",
        "./a.py",
        "a//b.py",
        "a/",
        "a\nb.py",
        MANIFEST_NAME,
    ],
)
def test_unsafe_paths_are_refused(out: Path, path: str) -> None:
    with pytest.raises(OutputError, match="refusing to write generated file") as raised:
        plan_write(out, [MAIN, GeneratedFile(path, "x = 1\n")])
    assert "\n" not in str(raised.value)
    assert not out.exists()


def test_dotted_names_that_are_not_parent_references_are_fine(out: Path) -> None:
    convert(out, [GeneratedFile("a..b/c...py", "x = 1\n"), GeneratedFile(".env.example", "")])
    assert (out / "a..b" / "c...py").is_file() and (out / ".env.example").is_file()


def test_symlink_inside_out_dir_pointing_outside_is_refused(out: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    convert(out, [MAIN])
    (out / "routers").symlink_to(outside)
    (out / "evil.py").symlink_to(outside / "evil.py")

    for path in ("routers/items.py", "evil.py"):
        with pytest.raises(OutputError, match="outside the output folder"):
            plan_write(out, [MAIN, GeneratedFile(path, "x = 1\n")])
    assert list(outside.iterdir()) == []


def test_symlinks_inside_out_dir_that_stay_inside_are_followed(out: Path) -> None:
    convert(out, [MAIN, ITEMS])
    (out / "api").symlink_to(out / "routers")
    plan = plan_write(out, [MAIN, ITEMS, GeneratedFile("api/users.py", USERS.content)])
    apply_plan(plan, [MAIN, ITEMS, GeneratedFile("api/users.py", USERS.content)])
    assert (out / "routers" / "users.py").read_text() == USERS.content
    with pytest.raises(OutputError, match="are the same file"):
        plan_write(out, [GeneratedFile("api/items.py", "x\n"), GeneratedFile(ITEMS.path, "x\n")])


def test_generated_path_through_a_file_or_onto_a_folder_is_refused(out: Path) -> None:
    convert(out, [MAIN])
    with pytest.raises(OutputError, match="is not a folder"):
        plan_write(out, [GeneratedFile("main.py/x.py", "")])
    (out / "routers").mkdir()
    with pytest.raises(OutputError, match="is not a regular file"):
        plan_write(out, [GeneratedFile("routers", "")])


def test_duplicate_paths_are_a_caller_bug(out: Path) -> None:
    with pytest.raises(ValueError, match="main.py"):
        plan_write(out, [MAIN, GeneratedFile("main.py", "other\n")])


# --- atomicity ------------------------------------------------------------------------------------


def test_crash_during_replace_leaves_old_file_and_no_temp_files(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    convert(out, [MAIN, ITEMS])
    before = freeze(out)
    new_files = [GeneratedFile("main.py", "# v2\n" * 1000), ITEMS, USERS]
    plan = plan_write(out, new_files)

    def crash(src, dst, **kwargs):
        raise OSError(28, "No space left on device", str(dst))

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OutputError, match="No space left on device") as raised:
        apply_plan(plan, new_files)
    assert "\n" not in str(raised.value)
    assert snapshot(out) == before  # old main.py and manifest intact; users.py never appeared
    assert leftovers(out) == []

    monkeypatch.undo()
    apply_plan(plan_write(out, new_files), new_files)  # recovers on the next run
    assert (out / "main.py").read_text() == new_files[0].content
    assert leftovers(out) == []


def test_crash_while_writing_the_temp_file_cleans_up(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    convert(out, [MAIN])
    before = freeze(out)
    plan = plan_write(out, [GeneratedFile("main.py", "# v2\n")])

    def interrupted(descriptor):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        apply_plan(plan, [GeneratedFile("main.py", "# v2\n")])
    assert snapshot(out) == before and leftovers(out) == []


def test_crash_between_files_and_manifest_recovers_without_false_blocks(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    convert(out, [MAIN])
    new_files = [GeneratedFile("main.py", "# v2\n")]
    plan = plan_write(out, new_files)
    real_replace = os.replace

    def crash_on_manifest(src, dst, **kwargs):
        if Path(dst).name == MANIFEST_NAME:
            raise OSError(5, "Input/output error", str(dst))
        real_replace(src, dst, **kwargs)

    monkeypatch.setattr(os, "replace", crash_on_manifest)
    with pytest.raises(OutputError):
        apply_plan(plan, new_files)
    monkeypatch.undo()
    assert leftovers(out) == []

    retry = plan_write(out, new_files)  # main.py already holds the new content: not "blocked"
    assert actions(retry) == {"main.py": "unchanged"} and retry.manifest_changed
    apply_plan(retry, new_files)
    assert not plan_write(out, new_files).changed


# --- content round trip ---------------------------------------------------------------------------


def test_crlf_and_unicode_round_trip_byte_exact(out: Path) -> None:
    files = [
        GeneratedFile("crlf.py", 'x = "é"\r\ny = "漢字 🐍"\r\n'),
        GeneratedFile("mixed.py", "a = 1\r\nb = 2\nc = '\u2028'\rd = 4"),  # no final newline
        GeneratedFile("empty.py", ""),
        GeneratedFile("ünïcode/naïve.py", "# café\n"),
    ]
    convert(out, files)
    for generated in files:
        assert (out / generated.path).read_bytes() == generated.content.encode("utf-8")
    before = freeze(out)
    assert not plan_write(out, files).changed
    convert(out, files)
    assert snapshot(out) == before


def test_diff_of_crlf_and_missing_final_newline(out: Path) -> None:
    convert(out, [GeneratedFile("a.py", "one\r\ntwo\r\n")])
    plan = plan_write(out, [GeneratedFile("a.py", "one\r\nTWO")])
    assert plan.changes[0].diff == (
        "--- a/a.py\n+++ b/a.py\n@@ -1,2 +1,2 @@\n one\r\n-two\r\n+TWO\n"
        "\\ No newline at end of file\n"
    )


# --- render_diff ----------------------------------------------------------------------------------


def test_render_diff_plain(out: Path) -> None:
    convert(out, [MAIN])
    new_main = GeneratedFile("main.py", MAIN.content.replace("app = ", "application = "))
    plan = plan_write(out, [new_main, ITEMS])
    text = render_diff(plan, color=False)
    assert text == (
        "--- a/main.py\n"
        "+++ b/main.py\n"
        "@@ -1,3 +1,3 @@\n"
        " from fastapi import FastAPI\n"
        " \n"
        "-app = FastAPI()\n"
        "+application = FastAPI()\n"
        "--- /dev/null\n"
        "+++ b/routers/items.py\n"
        "@@ -0,0 +1,3 @@\n"
        "+from fastapi import APIRouter\n"
        "+\n"
        "+router = APIRouter()\n"
    )
    assert "\x1b" not in text
    assert render_diff(plan_write(out, [MAIN]), color=False) == ""


def test_render_diff_colour(out: Path) -> None:
    convert(out, [GeneratedFile("a.py", "keep\nold\n--flag\n")])
    plan = plan_write(out, [GeneratedFile("a.py", "keep\nnew\n++flag\n")])
    lines = render_diff(plan, color=True).splitlines()
    red, green, cyan, bold, reset = "\x1b[31m", "\x1b[32m", "\x1b[36m", "\x1b[1m", "\x1b[0m"
    assert lines == [
        f"{bold}--- a/a.py{reset}",
        f"{bold}+++ b/a.py{reset}",
        f"{cyan}@@ -1,3 +1,3 @@{reset}",
        " keep",
        f"{red}-old{reset}",
        f"{red}---flag{reset}",  # a removed line, not a header
        f"{green}+new{reset}",
        f"{green}+++flag{reset}",
    ]
    # Colour only decorates: stripping the codes gives the plain diff.
    plain = render_diff(plan, color=False)
    coloured = render_diff(plan, color=True)
    for code in (red, green, cyan, bold, reset):
        coloured = coloured.replace(code, "")
    assert coloured == plain


def test_render_diff_colour_keeps_crlf_after_the_reset(out: Path) -> None:
    convert(out, [GeneratedFile("a.py", "x\r\n")])
    plan = plan_write(out, [GeneratedFile("a.py", "y\r\n")])
    assert "\x1b[31m-x\x1b[0m\r\n" in render_diff(plan, color=True)


def test_new_empty_file_still_shows_in_the_diff(out: Path) -> None:
    plan = plan_write(out, [GeneratedFile("routers/__init__.py", "")])
    assert render_diff(plan, color=False) == "--- /dev/null\n+++ b/routers/__init__.py\n"


def test_module_exports() -> None:
    assert output.ACTIONS == ("create", "update", "unchanged", "blocked", "kept")
