#!/usr/bin/env python
"""Throughput of ``migrate scan`` against a bare LibCST parse of the same tree.

The tree: the installed sources of flask, werkzeug, jinja2, click, sqlalchemy and
django (missing ones are ``pip install --no-deps --target``-ed into a dir under
/tmp; the project environment is never changed), copied -- ``.py`` files only --
into one directory.  Or any directory given with ``--tree PATH``.

Measured in the same run, one pass each (``--repeat N`` keeps the best of N):

* ``scan``: ``migrator.scan.scan_path(tree)`` through the public API, default
  ``jobs`` (all cores);
* ``bare parse``: single process, read every ``.py`` file as text and
  ``libcst.parse_module`` it (files that fail to parse are skipped and counted).

Both rates use the same line count: the lines of every ``.py`` file in the tree,
counted once.  ``ratio = scan_time / bare_parse_time``; the target is <= 1.0.

    python benchmarks/scan_bench.py [--tree PATH] [--repeat N] [--jobs N]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

PACKAGES = ("flask", "werkzeug", "jinja2", "click", "sqlalchemy", "django")
# Distribution names on PyPI, for the ones that differ from the import name.
DISTRIBUTIONS = {"jinja2": "Jinja2", "sqlalchemy": "SQLAlchemy", "django": "Django"}
WORK = Path(os.environ.get("SCAN_BENCH_DIR", "/tmp/migrate-scan-bench"))
SITE = WORK / "site"  # pip --target dir for packages missing from the environment
TARGET = 1.0


@dataclass
class Package:
    name: str
    path: Path
    origin: str  # "environment" or the --target dir


def locate_packages(names: tuple[str, ...]) -> list[Package]:
    """Find each package's source dir without importing it; pip-install the missing
    ones (no deps: only their source is needed) into SITE."""
    found: dict[str, Package] = {}
    missing: list[str] = []
    for name in names:
        spec = importlib.util.find_spec(name)
        locations = list(spec.submodule_search_locations or []) if spec else []
        if locations:
            found[name] = Package(name, Path(locations[0]), "environment")
        elif (SITE / name / "__init__.py").is_file():
            found[name] = Package(name, SITE / name, str(SITE))
        else:
            missing.append(name)
    if missing:
        reqs = [DISTRIBUTIONS.get(n, n) for n in missing]
        print(f"installing {', '.join(reqs)} into {SITE} (pip --target, --no-deps) ...", flush=True)
        SITE.mkdir(parents=True, exist_ok=True)
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-compile",
            "--disable-pip-version-check",
            "--upgrade",
            "--target",
            str(SITE),
            *reqs,
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            sys.exit(f"pip failed ({' '.join(cmd)}):\n{proc.stderr}")
        for name in missing:
            if not (SITE / name / "__init__.py").is_file():
                sys.exit(f"{name} is still missing after pip install into {SITE}")
            found[name] = Package(name, SITE / name, str(SITE))
    return [found[n] for n in names]


def package_version(pkg: Package) -> str:
    from importlib import metadata

    dist = DISTRIBUTIONS.get(pkg.name, pkg.name).lower()
    for d in metadata.distributions(path=[str(pkg.path.parent)]):
        if (d.metadata["Name"] or "").lower() == dist:
            return d.version
    return "?"


def build_tree(packages: list[Package], tree: Path) -> None:
    """Copy the ``.py`` files of every package into ``tree/<package>/...``."""
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir(parents=True)
    for pkg in packages:
        for src in pkg.path.rglob("*.py"):
            if "__pycache__" in src.parts:
                continue
            dst = tree / pkg.name / src.relative_to(pkg.path)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)


def build_flask_dense_tree(copies: int, tree: Path) -> None:
    """`copies` renamed copies of examples/legacy_flask_app: every file is Flask code, so the
    byte-level pre-filter skips nothing and the scan pays its full per-line cost."""
    example = Path(__file__).resolve().parent.parent / "examples" / "legacy_flask_app"
    if tree.exists():
        shutil.rmtree(tree)
    for copy in range(copies):
        name = f"legacy_flask_app_{copy}"
        for src in example.rglob("*.py"):
            if "__pycache__" in src.parts or "tests" in src.relative_to(example).parts:
                continue
            dst = tree / name / src.relative_to(example)
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_text(src.read_text(encoding="utf-8").replace("legacy_flask_app", name),
                           encoding="utf-8")


def py_files(tree: Path) -> list[Path]:
    return sorted(p for p in tree.rglob("*.py") if p.is_file() and "__pycache__" not in p.parts)


def count_lines(files: list[Path]) -> int:
    total = 0
    for f in files:
        data = f.read_bytes()
        total += data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    return total


def bare_parse(files: list[Path]) -> tuple[float, int]:
    """Seconds for read + ``libcst.parse_module`` of every file; number that failed."""
    import libcst

    failed = 0
    start = time.perf_counter()
    for f in files:
        try:
            text = f.read_text(encoding="utf-8")
            libcst.parse_module(text)
        except Exception:  # noqa: BLE001 - unparsable / undecodable files are skipped
            failed += 1
    return time.perf_counter() - start, failed


def run_scan(tree: Path, jobs: int | None):
    from migrator.scan import scan_path

    start = time.perf_counter()
    result = scan_path(tree, jobs=jobs)
    elapsed = time.perf_counter() - start
    data = result.to_json()
    return elapsed, data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--tree", type=Path, help="scan this directory instead of building the package tree"
    )
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="passes of each measurement; the best is reported (default 1)",
    )
    ap.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="jobs for scan_path (default: scan_path's default, all cores)",
    )
    ap.add_argument(
        "--packages",
        default=",".join(PACKAGES),
        help=f"comma-separated packages for the tree (default {','.join(PACKAGES)})",
    )
    ap.add_argument(
        "--flask-dense",
        type=int,
        metavar="N",
        help="instead of library packages, scan N renamed copies of the example Flask app "
        "(every file is Flask code: the pre-filter skips nothing)",
    )
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be >= 1")

    if args.flask_dense:
        tree = WORK / "flask-dense"
        build_flask_dense_tree(args.flask_dense, tree)
        print(f"tree: {tree}  ({args.flask_dense} renamed copies of examples/legacy_flask_app)")
    elif args.tree:
        tree = args.tree.resolve()
        if not tree.is_dir():
            ap.error(f"--tree {tree} is not a directory")
        print(f"tree: {tree}")
    else:
        names = tuple(n.strip() for n in args.packages.split(",") if n.strip())
        packages = locate_packages(names)
        tree = WORK / "tree"
        build_tree(packages, tree)
        print(f"tree: {tree}  (copied .py files of:)")
        for pkg in packages:
            n = len(py_files(tree / pkg.name))
            ver = package_version(pkg)
            print(f"  {pkg.name:12} {ver:10} {n:5} files  from {pkg.path}  [{pkg.origin}]")

    files = py_files(tree)
    lines = count_lines(files)  # also warms the page cache for both measurements
    import libcst

    try:
        from importlib.metadata import version

        libcst_version = version("libcst")
    except Exception:  # noqa: BLE001
        libcst_version = "?"
    print(
        f"python {platform.python_version()}, libcst {libcst_version}, "
        f"{os.cpu_count()} cores, parser={os.environ.get('LIBCST_PARSER_TYPE', 'native')}"
    )
    print(f"{len(files)} .py files, {lines:,} lines")
    del libcst

    scan_times, parse_times = [], []
    data: dict = {}
    failed = 0
    for i in range(args.repeat):
        t, data = run_scan(tree, args.jobs)
        scan_times.append(t)
        print(f"  pass {i + 1}: scan        {t:8.2f} s", flush=True)
        t, failed = bare_parse(files)
        parse_times.append(t)
        print(f"  pass {i + 1}: bare parse  {t:8.2f} s", flush=True)
    scan_t, parse_t = min(scan_times), min(parse_times)
    ratio = scan_t / parse_t if parse_t else float("inf")

    jobs = args.jobs if args.jobs is not None else f"default ({os.cpu_count()} cores)"
    rows = [
        (f"scan_path (jobs={jobs})", scan_t, lines / scan_t if scan_t else float("inf")),
        (
            "bare libcst.parse_module (1 proc)",
            parse_t,
            lines / parse_t if parse_t else float("inf"),
        ),
    ]
    width = max(len(r[0]) for r in rows)
    print()
    print(f"{'measurement':{width}}  {'seconds':>9}  {'lines/s':>12}")
    print(f"{'-' * width}  {'-' * 9}  {'-' * 12}")
    for name, secs, rate in rows:
        print(f"{name:{width}}  {secs:9.2f}  {rate:12,.0f}")
    print(
        f"{'ratio scan / bare parse':{width}}  {ratio:9.3f}  "
        f"(target <= {TARGET:.1f}: {'OK' if ratio <= TARGET else 'MISSED'})"
    )
    print()
    print(
        f"bare parse: {failed} of {len(files)} files failed to parse (skipped, lines still counted)"
    )
    print(
        f"scan: {len(data.get('routes', []))} routes, {len(data.get('apps', []))} apps, "
        f"{len(data.get('blueprints', []))} blueprints, {len(data.get('errors', []))} errors, "
        f"{len(data.get('diagnostics', []) or [])} diagnostics"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
