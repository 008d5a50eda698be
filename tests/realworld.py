"""Real-world Flask apps from PyPI, fetched *inside the test run*, plus the helpers
that compare a static scan of an app with its runtime ``url_map``.

Apps
----
``httpbin``
    ``pip install --target DIR httpbin==HTTPBIN_VERSION`` -- an isolated target dir
    with its own Flask/Werkzeug/flasgger, so the project environment is never
    changed.  Scan root: ``DIR/httpbin``.  Runtime app: ``httpbin:app`` with
    ``PYTHONPATH=DIR``.
``flaskr``
    The Flask tutorial shipped in the sdist of the *installed* Flask version
    (``pip download --no-binary :all: --no-deps flask==X``).  Scan root: the
    ``examples/tutorial`` dir (its ``flaskr`` package uses relative imports such as
    ``from . import db``, which resolve only when ``flaskr`` is a package inside the
    root).  Runtime app: ``flaskr:create_app({"TESTING": True, "DATABASE": tmp})``
    with ``PYTHONPATH`` = the tutorial dir.

Where things are downloaded
---------------------------
By default into pytest's session temp dir, i.e. fetched afresh by every test run, so
that CI proves the downloads work.  Set ``MIGRATE_TESTS_CACHE=1`` to reuse
``~/.cache/migrate-tests`` across runs (or set it to a directory path).

No network => the tests FAIL (never skip), with a message that says so.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TypeVar

import pytest

_HERE = Path(__file__).resolve().parent

from tests.runtime_urlmap import (
    AUTOMATIC_METHODS,
    RouteKey,
    RuntimeRoute,
    route_key,
    runtime_app_info,
)

T = TypeVar("T")

# httpbin 0.10.4 (the newest release) installs and imports fine on Python 3.11 with
# the Flask 3.1 / Werkzeug 3.1 it pulls, but it made flasgger an optional extra and
# turned the landing page into
#
#     staticroute = "/legacy" if Swagger else "/"    # Swagger: did `import flasgger` work?
#     @app.route(staticroute)
#
# i.e. its rule depends on which packages happen to be importable at runtime -- a
# fact no static scan of the source can decide.  0.10.3 is the last release in which
# flasgger is a hard dependency and every rule is a literal (`@app.route("/legacy")`);
# it installs and imports on Python 3.11 with the Flask 3.1.x / Werkzeug 3.1.x /
# flasgger 0.9.7.1 that pip resolves for it.  It keeps the interesting part: flasgger
# registers its own Swagger-UI/apispec routes at runtime (see the exclusion logic).
HTTPBIN_VERSION = "0.10.3"
#: sqlite-web, a one-module Flask app (a browser for SQLite files), and the peewee it uses
SQLITE_WEB_VERSION = "0.8.2"
PEEWEE_VERSION = "4.5.3"
#: rq-dashboard, a blueprint whose URL prefix is a deployment setting, and the packages it
#: imports (0.9.0 imports `six` without declaring it)
RQ_DASHBOARD_VERSION = "0.9.0"
RQ_DASHBOARD_REQUIREMENTS = (f"rq-dashboard=={RQ_DASHBOARD_VERSION}", "rq==3.0.0", "redis==8.1.0",
                             "arrow==1.4.0", "Redis-Sentinel-Url==1.0.1", "six==1.17.0")
#: ihatemoney, a shared-budget manager (two blueprints: Flask-WTF pages, a Flask-RESTful API),
#: and what it needs beyond the project's own Flask, Werkzeug and Jinja (each pinned, installed
#: without resolving: what ihatemoney 7.2.1 resolved to on 2026-12-04)
IHATEMONEY_VERSION = "7.2.1"
IHATEMONEY_REQUIREMENTS = (
    f"ihatemoney=={IHATEMONEY_VERSION}", "alembic==1.20.1", "aniso8601==10.0.1", "babel==2.19.0",
    "cachetools==6.2.6", "certifi==2026.10.19.post1", "charset-normalizer==3.5.3", "debts==0.5",
    "deprecated==1.3.1", "dnspython==2.9.2", "email-validator==2.3.0", "flask-babel==4.0.0",
    "flask-cors==6.0.5", "flask-limiter==4.1.1", "flask-mail==0.10.0", "flask-migrate==4.1.0",
    "flask-restful==0.3.10", "flask-sqlalchemy==3.1.1", "flask-talisman==1.1.0",
    "flask-wtf==1.2.2", "greenlet==3.5.6", "idna==3.20", "limits==5.8.0", "mako==1.4.3",
    "ordered-set==4.1.0", "python-dateutil==4.0.0", "pytz==2026.6", "qrcode==8.2",
    "requests==2.32.5", "six==1.17.0", "sqlalchemy==2.0.58", "sqlalchemy-continuum==1.5.2",
    "tzdata==2026.6", "urllib3==2.8.0", "wrapt==2.5.2", "wtforms==3.2.2")

PIP_TIMEOUT = 900  # seconds, for one pip invocation

NETWORK_HINT = (
    "These tests download real Flask apps from PyPI while they run and need network "
    "access to the package index. They FAIL (never skip) without it, on purpose: CI "
    "must prove them."
)


class FetchError(RuntimeError):
    """Downloading / installing / unpacking a real-world app failed."""


@dataclass(frozen=True)
class RealWorldApp:
    name: str
    version: str
    #: What ``scan_path`` is pointed at.
    scan_root: Path
    #: Routes whose view (or blueprint) comes from a module under this dir are
    #: the app's own; anything else is third-party code registering routes.
    own_root: Path
    #: ``module:expr`` for :func:`runtime_urlmap.runtime_routes`.
    app_spec: str
    pythonpath: tuple[Path, ...]
    config: Mapping[str, object] | None = None
    env: Mapping[str, str] = field(default_factory=dict)
    #: Whether third-party routes are expected (True), not expected (False) or
    #: either is fine (None).
    expect_third_party: bool | None = None
    #: Top-level packages the third-party routes are expected to come from.
    third_party_packages: frozenset[str] = frozenset()


# --------------------------------------------------------------------------- cache


def cache_base(tmp_path_factory: pytest.TempPathFactory | None = None) -> Path:
    """Directory the real-world apps are fetched into (see module docstring)."""
    setting = os.environ.get("MIGRATE_TESTS_CACHE", "").strip()
    if setting:
        if setting.lower() in {"1", "true", "yes", "on", "default"}:
            base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
            return (base / "migrate-tests").resolve()
        return Path(setting).expanduser().resolve()
    if tmp_path_factory is not None:
        return tmp_path_factory.getbasetemp() / "realworld-apps"
    import tempfile

    return Path(tempfile.mkdtemp(prefix="migrate-realworld-"))


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Exclusive lock, so parallel test workers sharing a cache do not race."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _run_pip(args: Sequence[str], what: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "pip", *args]
    env = dict(os.environ)
    env.setdefault("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    env.setdefault("PIP_NO_INPUT", "1")
    env.pop("PYTHONPATH", None)
    try:
        proc = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=PIP_TIMEOUT,
            env=env,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise FetchError(
            f"{what}: pip did not finish within {PIP_TIMEOUT}s.\n  command: {' '.join(cmd)}\n"
            f"{NETWORK_HINT}"
        ) from None
    if proc.returncode != 0:
        err = (proc.stderr or "").strip()
        tail = err[-6000:] if len(err) > 6000 else err
        network = re.search(
            r"(NewConnectionError|Name or service not known|Temporary failure in name "
            r"resolution|Network is unreachable|Connection refused|timed out|"
            r"No matching distribution found|Could not find a version)",
            err,
        )
        hint = f"\n{NETWORK_HINT}" if network else ""
        raise FetchError(
            f"{what}: pip failed (exit code {proc.returncode}).\n"
            f"  command: {' '.join(cmd)}\n--- pip stderr ---\n{tail or '(nothing)'}{hint}"
        )
    return proc


def _fresh_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


# ------------------------------------------------------------------------- httpbin


def install_target(base: Path, key: str, requirements: Sequence[str], expected: Sequence[str],
                   *, no_deps: bool = False) -> Path:
    """``pip install --target`` the pinned `requirements` into an isolated folder, once per
    cache (the project environment is never changed); `expected` are paths that must be in it
    afterwards. `no_deps`: only these, their other dependencies taken from the project's."""
    tag = f"py{sys.version_info[0]}{sys.version_info[1]}"
    target = base / f"{key}-{tag}"
    marker = target / ".migrate-tests-complete"
    what = " ".join(requirements)
    with _locked(base / f".{key}.lock"):
        if not marker.exists():
            staging = _fresh_dir(base / f"{key}-{tag}.partial")
            _run_pip(["install", "--target", str(staging), "--no-warn-script-location",
                      "--no-compile", *(["--no-deps"] if no_deps else []), *requirements],
                     f"installing {what} into an isolated --target dir")
            for path in expected:
                if not (staging / path).exists():
                    raise FetchError(f"pip installed {what} but {staging}/{path} is missing")
            if target.exists():
                shutil.rmtree(target)
            staging.rename(target)
            marker.write_text(json.dumps(list(requirements)))
    return target


def fetch_httpbin(base: Path, version: str = HTTPBIN_VERSION) -> RealWorldApp:
    """httpbin and its own dependencies (Flask, flasgger...) in an isolated dir."""
    target = install_target(base, f"httpbin-{version}", [f"httpbin=={version}"],
                            ["httpbin/core.py", "flasgger"])
    return RealWorldApp(
        name="httpbin",
        version=version,
        scan_root=target / "httpbin",
        own_root=target / "httpbin",
        app_spec="httpbin:app",
        pythonpath=(target,),
        expect_third_party=True,
        third_party_packages=frozenset({"flasgger"}),
    )


def fetch_sqlite_web(base: Path) -> Path:
    """sqlite-web and peewee in an isolated dir (Flask and Pygments are the project's); returns
    the folder to put on the path."""
    return install_target(base, f"sqlite-web-{SQLITE_WEB_VERSION}",
                          [f"sqlite-web=={SQLITE_WEB_VERSION}", f"peewee=={PEEWEE_VERSION}"],
                          ["sqlite_web/sqlite_web.py", "peewee.py", "playhouse"], no_deps=True)


def fetch_rq_dashboard(base: Path) -> Path:
    """rq-dashboard and what it imports in an isolated dir; returns the folder to put on the
    path."""
    return install_target(base, f"rq-dashboard-{RQ_DASHBOARD_VERSION}", RQ_DASHBOARD_REQUIREMENTS,
                          ["rq_dashboard/web.py", "rq", "six.py"])


def fetch_ihatemoney(base: Path) -> Path:
    """ihatemoney and what it imports beyond the project's Flask in an isolated dir; returns
    the folder to put on the path."""
    return install_target(base, f"ihatemoney-{IHATEMONEY_VERSION}", IHATEMONEY_REQUIREMENTS,
                          ["ihatemoney/web.py", "flask_restful", "sqlalchemy_continuum"],
                          no_deps=True)


# -------------------------------------------------------------------------- flaskr


def installed_flask_version() -> str:
    return metadata.version("flask")


def fetch_flaskr(base: Path, flask_version: str | None = None) -> RealWorldApp:
    """The Flask tutorial app from the sdist of the installed Flask version."""
    flask_version = flask_version or installed_flask_version()
    root = base / f"flask-sdist-{flask_version}"
    marker = root / ".migrate-tests-complete"
    with _locked(base / ".flaskr.lock"):
        if not marker.exists():
            staging = _fresh_dir(base / f"flask-sdist-{flask_version}.partial")
            dl = staging / "download"
            _run_pip(
                [
                    "download",
                    "--no-binary",
                    ":all:",
                    "--no-deps",
                    f"flask=={flask_version}",
                    "-d",
                    str(dl),
                ],
                f"downloading the Flask {flask_version} source distribution",
            )
            sdists = sorted(p for p in dl.iterdir() if p.name.lower().endswith(".tar.gz"))
            if not sdists:
                raise FetchError(
                    f"pip download of flask=={flask_version} produced no .tar.gz "
                    f"sdist in {dl}: {sorted(p.name for p in dl.iterdir())}"
                )
            src = staging / "src"
            src.mkdir()
            with tarfile.open(sdists[0]) as tf:
                if hasattr(tarfile, "data_filter"):
                    tf.extractall(src, filter="data")
                else:  # pragma: no cover - Python without extraction filters
                    tf.extractall(src)
            if root.exists():
                shutil.rmtree(root)
            staging.rename(root)
            marker.write_text(json.dumps({"flask": flask_version}))
    hits = sorted(root.glob("src/*/examples/tutorial/flaskr/__init__.py"))
    if not hits:
        raise FetchError(
            f"the Flask {flask_version} sdist has no examples/tutorial/flaskr package "
            f"(looked under {root / 'src'})"
        )
    tutorial = hits[0].parent.parent
    return RealWorldApp(
        name="flaskr",
        version=flask_version,
        scan_root=tutorial,
        own_root=tutorial,
        app_spec="flaskr:create_app",
        pythonpath=(tutorial,),
        config=None,  # set per test (needs a temp DATABASE path)
        expect_third_party=False,
    )


# --------------------------------------------------------------- pytest fixtures


@pytest.fixture(scope="session")
def realworld_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cache_base(tmp_path_factory)


def _fetch_or_fail(fetch: Callable[..., T], *args) -> T:
    """Run a fetch; on failure FAIL the test (never skip) with the fetch's message."""
    try:
        return fetch(*args)
    except FetchError as exc:
        message = str(exc)
    pytest.fail(message, pytrace=False)


# ------------------------------------------------------------- wheels only scanned

MINDSDB_VERSION = "26.1.0"
ZOU_VERSION = "1.0.97"
FLASKBB_VERSION = "2.0.2"
VANTAGE6_SERVER_VERSION = "4.15.2"
FITTRACKEE_VERSION = "1.3.6"
KNOWLEDGE_REPO_VERSION = "0.9.3"
OCTOPRINT_VERSION = "1.11.8"
LEMUR_VERSION = "1.9.3"
DTALE_VERSION = "3.22.0"
BEETS_VERSION = "2.14.1"


def fetch_wheel(base: Path, project: str, version: str, package: str) -> Path:
    """A pure-Python wheel from PyPI, unpacked once per cache; returns its package `package`.
    For apps that are only scanned or converted, not run (their dependencies are many)."""
    root = base / f"{project}-{version}"
    marker = root / ".migrate-tests-complete"
    with _locked(base / f".{project}.lock"):
        if not marker.exists():
            staging = _fresh_dir(base / f"{project}-{version}.partial")
            _run_pip(["download", "--no-deps", "--only-binary", ":all:", f"{project}=={version}",
                      "-d", str(staging / "download")],
                     f"downloading the {project} {version} wheel")
            wheels = sorted((staging / "download").glob("*.whl"))
            if not wheels:
                raise FetchError(f"pip download of {project}=={version} produced no wheel")
            import zipfile

            with zipfile.ZipFile(wheels[0]) as wheel:
                wheel.extractall(staging / "src")
            if root.exists():
                shutil.rmtree(root)
            staging.rename(root)
            marker.write_text(json.dumps({project: version}))
    return root / "src" / package


def wheel_package(name: str, project: str, version: str, package: str):
    """A session fixture `name`: the package `package` of `project`'s wheel at `version`,
    fetched once per cache (`fetch_wheel`); a failed download fails the test."""
    @pytest.fixture(scope="session", name=name)
    def fetched(realworld_cache: Path) -> Path:
        return _fetch_or_fail(fetch_wheel, realworld_cache, project, version, package)

    return fetched


#: mindsdb's wheel (~1.2 MB): its HTTP API is Flask-RESTX.
mindsdb_package = wheel_package("mindsdb_package", "mindsdb", MINDSDB_VERSION, "mindsdb")
#: zou's wheel (~1.5 MB), Kitsu's API server: blueprints imported by name, ~590 rules added by
#: a project function.
zou_package = wheel_package("zou_package", "zou", ZOU_VERSION, "zou")
#: FlaskBB's wheel (~2.3 MB): its blueprints are registered by pluggy hook implementations
#: (`flaskbb_load_blueprints(app)`).
flaskbb_package = wheel_package("flaskbb_package", "FlaskBB", FLASKBB_VERSION, "flaskbb")
#: vantage6-server's wheel (~0.2 MB): its app and Flask-RESTful Api are attributes of a
#: `ServerApp` object.
vantage6_package = wheel_package("vantage6_package", "vantage6-server",
                                 VANTAGE6_SERVER_VERSION, "vantage6")
#: fittrackee's wheel (~5.9 MB, its front end included): every API route is guarded by an
#: instance of a project class used as a decorator factory.
fittrackee_package = wheel_package("fittrackee_package", "fittrackee", FITTRACKEE_VERSION,
                                   "fittrackee")
#: knowledge-repo's wheel (~1 MB): a Flask subclass is the app, its blueprints made by a helper
#: function that returns `Blueprint(...)`.
knowledge_repo_package = wheel_package("knowledge_repo_package", "knowledge-repo",
                                       KNOWLEDGE_REPO_VERSION, "knowledge_repo")
#: OctoPrint's wheel (~3.5 MB): its API blueprint is registered by a `functools.partial` called
#: in a loop.
octoprint_package = wheel_package("octoprint_package", "octoprint", OCTOPRINT_VERSION, "octoprint")
#: lemur's wheel (~0.6 MB), Netflix's certificate manager: its factory takes the blueprints from
#: its caller and adds its own (`blueprints + DEFAULT_BLUEPRINTS`).
lemur_package = wheel_package("lemur_package", "lemur", LEMUR_VERSION, "lemur")
#: dtale's wheel (~17 MB, its front end included): its app factory rebinds the app's name after
#: registering on it (`app = dash_views.add_dash(app)`).
dtale_package = wheel_package("dtale_package", "dtale", DTALE_VERSION, "dtale")
#: beets' wheel (~0.7 MB): its web plugin's `@resource("items")` names each responder, and its
#: decorators do not use functools.wraps.
beets_package = wheel_package("beets_package", "beets", BEETS_VERSION, "beetsplug")


@pytest.fixture(scope="session")
def httpbin_app(realworld_cache: Path) -> RealWorldApp:
    return _fetch_or_fail(fetch_httpbin, realworld_cache)


@pytest.fixture(scope="session")
def sqlite_web_site(realworld_cache: Path) -> Path:
    return _fetch_or_fail(fetch_sqlite_web, realworld_cache)


@pytest.fixture(scope="session")
def rq_dashboard_site(realworld_cache: Path) -> Path:
    return _fetch_or_fail(fetch_rq_dashboard, realworld_cache)


@pytest.fixture(scope="session")
def ihatemoney_site(realworld_cache: Path) -> Path:
    return _fetch_or_fail(fetch_ihatemoney, realworld_cache)


@pytest.fixture(scope="session")
def flaskr_app(realworld_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> RealWorldApp:
    app = _fetch_or_fail(fetch_flaskr, realworld_cache)
    db = tmp_path_factory.mktemp("flaskr-db") / "flaskr.sqlite"
    return dataclasses.replace(app, config={"TESTING": True, "DATABASE": str(db)})


# ------------------------------------------------------- scan-vs-runtime checking

#: Tokens of which at least one must be on the source line a route points at:
#: the decorator (``@app.route(``, ``@bp.get(``...), the ``def`` (function name)
#: or the registration call (``add_url_rule``/``add_resource``).
LINE_TOKENS = (
    "route",
    "add_url_rule",
    "add_resource",
    "add_view",
    ".get(",
    ".post(",
    ".put(",
    ".delete(",
    ".patch(",
)


def declared_route_decorators(tree: ast.AST, owner: str
                              ) -> Iterator[tuple[str, str, frozenset[str]]]:
    """(rule, endpoint, methods) of every `@owner.route(rule, ...)` on a function of `tree`,
    read with `ast` (independently of the scan): the endpoint is `endpoint=` or the function's
    name, the methods `methods=` or GET."""
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef):
            continue
        for decorator in function.decorator_list:
            if isinstance(decorator, ast.Call) and ast.unparse(decorator.func) == f"{owner}.route":
                options = {k.arg: ast.literal_eval(k.value) for k in decorator.keywords}
                yield (ast.literal_eval(decorator.args[0]),
                       options.get("endpoint", function.name),
                       frozenset(options.get("methods", ["GET"])))


def functions_called_decorated(package: Path, is_decorator: Callable[[str], bool]
                               ) -> set[tuple[str, str]]:
    """(file relative to the package's parent, function name) of every function in `package`
    decorated with a call whose callee, as written, `is_decorator` accepts (`require_auth` of
    `@require_auth(...)`), read with `ast` (independently of the scan)."""
    found = set()
    for source in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(d, ast.Call) and is_decorator(ast.unparse(d.func))
                    for d in node.decorator_list):
                found.add((str(source.relative_to(package.parent)), node.name))
    return found


def scan_route_keys(routes: Iterable[Mapping]) -> Counter[RouteKey]:
    return Counter(route_key(r["rule"], r["methods"], r["endpoint"]) for r in routes)


def fmt_key(key: RouteKey) -> str:
    rule, methods, endpoint = key
    return f"{rule:40} {','.join(sorted(methods)) or '-':28} {endpoint}"


def split_runtime_routes(
    app: RealWorldApp, routes: Sequence[RuntimeRoute]
) -> tuple[list[RuntimeRoute], list[RuntimeRoute]]:
    """(own, third_party): a route is third-party when the module that created it
    (the view function's ``__module__``, or for a blueprint's static route the
    blueprint's ``import_name``) is a file outside ``app.own_root``.  Routes whose
    origin cannot be told (a rule without a view function, as flaskr's
    ``app.add_url_rule("/", endpoint="index")``) count as the app's own."""
    own, third = [], []
    for r in routes:
        (third if r.defined_under(app.own_root) is False else own).append(r)
    return own, third


def check_third_party(
    app: RealWorldApp, runtime: Sequence[RuntimeRoute], third: Sequence[RuntimeRoute]
) -> None:
    listing = (
        "\n".join(f"    {fmt_key(r.key)}   <- {r.origin_module} ({r.origin_file})" for r in third)
        or "    (none)"
    )
    msg = (
        f"{app.name}: runtime routes registered by third-party code (excluded from the "
        f"comparison, a static scan of the app's own source cannot see them):\n{listing}"
    )
    if app.expect_third_party is True:
        assert third, f"{app.name}: expected some third-party routes, found none\n{msg}"
    elif app.expect_third_party is False:
        assert not third, f"{app.name}: expected no third-party routes\n{msg}"
    # The exclusion must stay an exception, never a way to pass by excluding everything.
    assert len(third) <= max(8, len(runtime) // 5), f"too many routes excluded\n{msg}"
    if app.third_party_packages:
        stray = [
            r
            for r in third
            if (r.origin_module or "").split(".")[0] not in app.third_party_packages
        ]
        assert not stray, (
            f"{app.name}: third-party routes from unexpected packages "
            f"(expected only {sorted(app.third_party_packages)})\n{msg}"
        )


def check_scan_equals_runtime(
    app_name: str,
    scan_routes: Sequence[Mapping],
    own: Sequence[RuntimeRoute],
    third: Sequence[RuntimeRoute] = (),
) -> None:
    """The scanned (rule, methods, endpoint) set must EQUAL the runtime one."""
    scanned = scan_route_keys(scan_routes)
    expected = Counter(r.key for r in own)
    missing = set(expected) - set(scanned)
    extra = set(scanned) - set(expected)
    if missing or extra:
        by_key_rt = {r.key: r for r in own}
        by_key_scan: dict[RouteKey, list[Mapping]] = {}
        for r in scan_routes:
            by_key_scan.setdefault(route_key(r["rule"], r["methods"], r["endpoint"]), []).append(r)
        third_keys = {r.key for r in third}
        lines = [
            (
                f"{app_name}: scanned routes != runtime url_map "
                f"({len(set(scanned))} scanned, {len(expected)} at runtime; "
                "methods compared without HEAD/OPTIONS)"
            )
        ]
        lines.append(f"  MISSING from scan ({len(missing)}): at runtime, not found by the scan")
        for k in sorted(missing, key=_sort_key):
            rt = by_key_rt[k]
            lines.append(f"    - {fmt_key(k)}   (view {rt.view_module}.{rt.view_qualname})")
        lines.append(f"  EXTRA in scan ({len(extra)}): found by the scan, not at runtime")
        for k in sorted(extra, key=_sort_key):
            where = ", ".join(f"{r['file']}:{r['line']}" for r in by_key_scan[k])
            note = "  [a runtime route excluded as third-party!]" if k in third_keys else ""
            lines.append(f"    + {fmt_key(k)}   ({where}){note}")
        raise AssertionError("\n".join(lines))
    dupes = {k: n for k, n in scanned.items() if n > expected.get(k, 0)}
    assert not dupes, (
        f"{app_name}: the scan reports routes more often than the url_map has them: "
        + "; ".join(
            f"{fmt_key(k).strip()} x{n} (runtime x{expected.get(k, 0)})" for k, n in dupes.items()
        )
    )


def _sort_key(key: RouteKey) -> tuple:
    return (key[0], key[2], sorted(key[1]))


def check_no_errors(app_name: str, data: Mapping) -> None:
    errors = data.get("errors") or []
    assert not errors, f"{app_name}: the scan reported errors:\n" + "\n".join(
        f"  {e.get('file')}:{e.get('line')}: {e.get('message')}" for e in errors
    )


def check_route_locations(app_name: str, root: Path, scan_routes: Sequence[Mapping]) -> None:
    """Every route's ``file`` exists under the root and its ``line`` is the
    decorator, the ``def`` or the registration call."""
    problems: list[str] = []
    cache: dict[str, list[str]] = {}
    root = root.resolve()
    for r in scan_routes:
        rel = r["file"]
        label = f"{r['rule']} -> {r['endpoint']} at {rel}:{r['line']}"
        path = (root / rel).resolve()
        if Path(rel).is_absolute() or not path.is_relative_to(root):
            problems.append(f"{label}: file is not a path relative to the scan root")
            continue
        if not path.is_file():
            problems.append(f"{label}: no such file under {root}")
            continue
        if rel not in cache:
            cache[rel] = path.read_text(encoding="utf-8", errors="replace").splitlines()
        lines = cache[rel]
        line = r["line"]
        if not isinstance(line, int) or not 1 <= line <= len(lines):
            problems.append(f"{label}: line out of range (file has {len(lines)} lines)")
            continue
        text = lines[line - 1]
        tokens = list(LINE_TOKENS)
        if r.get("function"):
            # "create_app.hello" (a view nested in a factory) is `def hello` in the source
            tokens += [r["function"], r["function"].rsplit(".", 1)[-1]]
        if not any(t in text for t in tokens):
            problems.append(
                f"{label}: line is {text.strip()!r}, which is neither the "
                f"decorator, the def of {r.get('function')!r}, nor an "
                "add_url_rule/add_resource call"
            )
    assert not problems, f"{app_name}: wrong route locations:\n  " + "\n  ".join(problems)


def scan_json(root: Path) -> dict:
    """``scan_path(root).to_json()``, checked to be JSON-serialisable."""
    from migrator.scan import scan_path

    data = scan_path(root).to_json()
    json.dumps(data)  # the CLI prints exactly this; it must serialise
    assert data.get("schema_version") == 1, data.get("schema_version")
    return data


@dataclass(frozen=True)
class RuntimeSplit:
    """The runtime url_map of an app, split into its own and third-party routes."""

    info: dict
    routes: list[RuntimeRoute]
    own: list[RuntimeRoute]
    third_party: list[RuntimeRoute]


def runtime_split(app: RealWorldApp) -> RuntimeSplit:
    info, routes = runtime_for(app)
    own, third = split_runtime_routes(app, routes)
    return RuntimeSplit(info, routes, own, third)


def runtime_for(app: RealWorldApp) -> tuple[dict, list[RuntimeRoute]]:
    return runtime_app_info(app.app_spec, pythonpath=app.pythonpath, config=app.config, env=app.env)


@dataclass
class Comparison:
    """Everything the per-app tests look at, computed once per app."""

    app: RealWorldApp
    scan: dict
    runtime_info: dict
    runtime: list[RuntimeRoute]
    own: list[RuntimeRoute]
    third_party: list[RuntimeRoute]


def compare(app: RealWorldApp) -> Comparison:
    data = scan_json(app.scan_root)
    info, runtime = runtime_for(app)
    own, third = split_runtime_routes(app, runtime)
    return Comparison(app, data, info, runtime, own, third)


__all__ = [
    "AUTOMATIC_METHODS",
    "HTTPBIN_VERSION",
    "Comparison",
    "FetchError",
    "RealWorldApp",
    "RuntimeSplit",
    "cache_base",
    "check_no_errors",
    "check_route_locations",
    "check_scan_equals_runtime",
    "check_third_party",
    "compare",
    "fetch_flaskr",
    "fetch_httpbin",
    "flaskr_app",
    "httpbin_app",
    "realworld_cache",
    "runtime_for",
    "runtime_split",
    "scan_json",
    "split_runtime_routes",
]
