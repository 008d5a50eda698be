"""Extract a Flask app's real ``url_map`` in a subprocess.

The scanner under test reads source statically; these helpers produce the ground
truth to compare it with by actually building the app.  The app is built in a
*separate interpreter* so that

* importing the app (and whatever it imports) never pollutes the test process, and
* the app can run against another site dir (e.g. a ``pip install --target`` dir
  with its own Flask), given as ``pythonpath`` entries that are put in front of
  ``sys.path`` (before site-packages).

The child prints one JSON document on stdout; anything the app itself prints while
it is imported or built is redirected to stderr, so it cannot corrupt the JSON.

Public API:

``runtime_routes(app_spec, ...) -> list[RuntimeRoute]``
    Every rule of the url_map except the app's own ``static`` endpoint, with
    provenance (which module the view function comes from) so that callers can
    tell routes defined by the app's source from routes that a third-party
    extension registers while the app runs.

``runtime_url_map(app_spec, ...) -> set[tuple[str, frozenset[str], str]]``
    Just ``(rule, methods - {"HEAD", "OPTIONS"}, endpoint)`` for every route.

``app_spec`` is ``"module:expr"``: ``module`` is imported and ``expr`` is evaluated
in its namespace (a name, a dotted attribute, or any expression such as
``create_app({'TESTING': True})``).  If the result is not a Flask app but is
callable (an app factory), it is called -- with ``config`` as its single
positional argument when ``config`` is given, else without arguments.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "AUTOMATIC_METHODS",
    "RouteKey",
    "RuntimeRoute",
    "RuntimeUrlMapError",
    "route_key",
    "runtime_app_info",
    "runtime_routes",
    "runtime_url_map",
]

#: Methods Flask/Werkzeug add to every rule by themselves; never compared.
AUTOMATIC_METHODS = frozenset({"HEAD", "OPTIONS"})

RouteKey = tuple[str, frozenset[str], str]


class RuntimeUrlMapError(RuntimeError):
    """Building the app in the subprocess failed (message carries its stderr)."""


@dataclass(frozen=True)
class RuntimeRoute:
    rule: str
    methods: frozenset[str]  # already without HEAD/OPTIONS
    endpoint: str
    #: ``__module__`` of the view function, or ``None`` for a rule registered
    #: without a view function (``app.add_url_rule("/", endpoint="index")``).
    view_module: str | None
    view_qualname: str | None
    #: ``__file__`` of ``view_module`` (resolved), if it has one.
    view_file: str | None
    #: Name of the (innermost) blueprint the endpoint belongs to, if any.
    blueprint: str | None
    #: ``import_name`` of that blueprint.
    blueprint_import_name: str | None
    #: ``__file__`` of the blueprint's import module (resolved), if any.
    blueprint_file: str | None
    #: True when the view is Flask's own ``send_static_file`` of a blueprint,
    #: i.e. the route exists because that blueprint has a ``static_folder``.
    is_blueprint_static: bool

    @property
    def key(self) -> RouteKey:
        return (self.rule, self.methods, self.endpoint)

    @property
    def origin_module(self) -> str | None:
        """The module that caused this route to exist.

        For a blueprint's static route the view function is Flask's own
        ``send_static_file``; the route exists because of whoever created the
        blueprint, so its ``import_name`` is the origin.
        """
        if self.is_blueprint_static:
            return self.blueprint_import_name
        return self.view_module

    @property
    def origin_file(self) -> str | None:
        if self.is_blueprint_static:
            return self.blueprint_file
        return self.view_file

    def defined_under(self, root: str | os.PathLike[str]) -> bool | None:
        """Whether the code that created this route lives under ``root``.

        Returns ``None`` when that cannot be told (rule without a view function,
        or a module without a file).
        """
        origin = self.origin_file
        if origin is None:
            return None
        try:
            Path(origin).resolve().relative_to(Path(root).resolve())
        except ValueError:
            return False
        return True


def route_key(rule: str, methods: Iterable[str], endpoint: str) -> RouteKey:
    """Normalise one route to the comparable ``(rule, methods, endpoint)`` tuple."""
    return (rule, frozenset(m.upper() for m in methods) - AUTOMATIC_METHODS, endpoint)


# The program run by the child interpreter.  It receives its parameters as one
# JSON document in argv[1] and prints one JSON document on stdout.
_CHILD = textwrap.dedent(
    r"""
    import importlib, json, os, sys, traceback

    params = json.loads(sys.argv[1])
    sys.path[0:0] = params["sys_path"]
    real_stdout = sys.stdout
    sys.stdout = sys.stderr  # whatever the app prints must not corrupt our JSON

    def module_file(name):
        mod = sys.modules.get(name) if name else None
        f = getattr(mod, "__file__", None)
        return os.path.realpath(f) if f else None

    spec = params["app_spec"]
    module_name, sep, expr = spec.partition(":")
    if not sep or not module_name or not expr:
        raise SystemExit("app spec must look like 'module:expr', got %r" % (spec,))
    module = importlib.import_module(module_name)
    obj = eval(expr, vars(module).copy())
    if not hasattr(obj, "url_map") and callable(obj):
        obj = obj(params["config"]) if params["has_config"] else obj()
    app = obj
    if not hasattr(app, "url_map") or not hasattr(app, "view_functions"):
        raise SystemExit("%r did not yield a Flask app (got %r)" % (spec, type(app)))

    import flask
    try:
        from importlib.metadata import version
        flask_version = version("flask")
    except Exception:
        flask_version = getattr(flask, "__version__", None)

    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions.get(rule.endpoint)
        # The blueprint an endpoint belongs to: the longest dotted prefix of the
        # endpoint that is a registered blueprint name (nested blueprints have
        # dotted names such as "parent.child").
        bp_name = None
        parts = rule.endpoint.split(".")
        for i in range(len(parts) - 1, 0, -1):
            cand = ".".join(parts[:i])
            if cand in app.blueprints:
                bp_name = cand
                break
        bp = app.blueprints.get(bp_name) if bp_name else None
        bp_import = getattr(bp, "import_name", None)
        func = getattr(view, "__func__", view)
        is_bp_static = bool(
            bp is not None
            and getattr(view, "__self__", None) is bp
            and getattr(func, "__name__", None) == "send_static_file"
        )
        view_module = getattr(view, "__module__", None) if view is not None else None
        routes.append({
            "rule": rule.rule,
            "methods": sorted(set(rule.methods or ()) - {"HEAD", "OPTIONS"}),
            "endpoint": rule.endpoint,
            "view_module": view_module,
            "view_qualname": getattr(view, "__qualname__", None) if view is not None else None,
            "view_file": module_file(view_module),
            "blueprint": bp_name,
            "blueprint_import_name": bp_import,
            "blueprint_file": module_file(bp_import),
            "is_blueprint_static": is_bp_static,
        })

    real_stdout.write(json.dumps({
        "python": sys.version,
        "flask_version": flask_version,
        "flask_file": getattr(flask, "__file__", None),
        "app_import_name": getattr(app, "import_name", None),
        "routes": routes,
    }))
    real_stdout.flush()
    """
)


def _run_child(
    app_spec: str,
    *,
    pythonpath: Sequence[str | os.PathLike[str]],
    config: Mapping[str, object] | None,
    env: Mapping[str, str] | None,
    python: str,
    cwd: str | os.PathLike[str] | None,
    timeout: float,
) -> dict:
    path_entries = [os.fspath(Path(p).resolve()) for p in pythonpath]
    params = {
        "app_spec": app_spec,
        "sys_path": path_entries,
        "has_config": config is not None,
        "config": dict(config) if config is not None else None,
    }
    child_env = dict(os.environ)
    # Never inherit the test process's PYTHONPATH: only what the caller asks for.
    child_env.pop("PYTHONPATH", None)
    child_env.pop("PYTHONSTARTUP", None)
    child_env["PYTHONDONTWRITEBYTECODE"] = "1"
    child_env["PYTHONIOENCODING"] = "utf-8"
    if path_entries:
        child_env["PYTHONPATH"] = os.pathsep.join(path_entries)
    if env:
        child_env.update({k: str(v) for k, v in env.items()})
    # -P: do not put the current directory in front of sys.path (3.11+), so
    # only the requested entries (then site-packages) are importable.
    cmd = [
        python,
        *(["-P"] if sys.version_info >= (3, 11) else []),
        "-c",
        _CHILD,
        json.dumps(params, default=str),
    ]

    def describe() -> str:
        extra_env = ", ".join(f"{k}={v!r}" for k, v in (env or {}).items()) or "(none)"
        return (
            f"  app spec:   {app_spec}\n"
            f"  config:     {params['config']!r}\n"
            f"  PYTHONPATH: {os.pathsep.join(path_entries) or '(none)'}\n"
            f"  extra env:  {extra_env}\n"
            f"  python:     {python}"
        )

    with tempfile.TemporaryDirectory(prefix="urlmap-cwd-") as tmp_cwd:
        try:
            proc = subprocess.run(
                cmd,
                cwd=os.fspath(cwd) if cwd is not None else tmp_cwd,
                env=child_env,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                timeout=timeout,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise RuntimeUrlMapError(
                f"building the Flask app timed out after {timeout:.0f}s\n{describe()}\n"
                f"--- stderr ---\n{_tail(exc.stderr)}"
            ) from None
    if proc.returncode != 0:
        raise RuntimeUrlMapError(
            f"building the Flask app failed (exit code {proc.returncode})\n{describe()}\n"
            f"--- stderr of the subprocess ---\n{_tail(proc.stderr)}"
            + (f"\n--- stdout ---\n{_tail(proc.stdout)}" if proc.stdout.strip() else "")
        )
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise RuntimeUrlMapError(
            f"the url_map subprocess printed something that is not JSON ({exc})\n"
            f"{describe()}\n--- stdout ---\n{_tail(proc.stdout)}\n"
            f"--- stderr ---\n{_tail(proc.stderr)}"
        ) from None


def _tail(text: str | bytes | None, limit: int = 8000) -> str:
    if text is None:
        return "(nothing)"
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = text.rstrip()
    if not text:
        return "(nothing)"
    return text if len(text) <= limit else "...\n" + text[-limit:]


def runtime_app_info(
    app_spec: str,
    *,
    pythonpath: Sequence[str | os.PathLike[str]] = (),
    config: Mapping[str, object] | None = None,
    env: Mapping[str, str] | None = None,
    python: str = sys.executable,
    cwd: str | os.PathLike[str] | None = None,
    timeout: float = 180.0,
) -> tuple[dict, list[RuntimeRoute]]:
    """Like :func:`runtime_routes` but also returns the child's metadata
    (``python``, ``flask_version``, ``flask_file``, ``app_import_name``)."""
    data = _run_child(
        app_spec,
        pythonpath=pythonpath,
        config=config,
        env=env,
        python=python,
        cwd=cwd,
        timeout=timeout,
    )
    routes = [
        RuntimeRoute(
            rule=r["rule"],
            methods=frozenset(r["methods"]) - AUTOMATIC_METHODS,
            endpoint=r["endpoint"],
            view_module=r["view_module"],
            view_qualname=r["view_qualname"],
            view_file=r["view_file"],
            blueprint=r["blueprint"],
            blueprint_import_name=r["blueprint_import_name"],
            blueprint_file=r["blueprint_file"],
            is_blueprint_static=r["is_blueprint_static"],
        )
        for r in data.pop("routes")
    ]
    return data, routes


def runtime_routes(app_spec: str, **options) -> list[RuntimeRoute]:
    """Build the app in a subprocess and return its routes (without ``static``); ``options``
    are those of :func:`runtime_app_info`."""
    return runtime_app_info(app_spec, **options)[1]


def runtime_url_map(app_spec: str, **options) -> set[RouteKey]:
    """``{(rule, frozenset(methods - {HEAD, OPTIONS}), endpoint)}`` of the app's
    url_map, without the app's ``static`` endpoint."""
    return {r.key for r in runtime_routes(app_spec, **options)}


if __name__ == "__main__":  # pragma: no cover - manual debugging aid
    import argparse

    ap = argparse.ArgumentParser(description="Print a Flask app's url_map (built in a subprocess).")
    ap.add_argument("app_spec", help="module:expr, e.g. httpbin:app or flaskr:create_app")
    ap.add_argument("--path", action="append", default=[], help="sys.path entry to prepend")
    ap.add_argument("--config", help="JSON object passed to the factory")
    ns = ap.parse_args()
    info, rts = runtime_app_info(
        ns.app_spec,
        pythonpath=ns.path,
        config=json.loads(ns.config) if ns.config else None,
    )
    print(json.dumps(info, indent=2))
    for r in sorted(rts, key=lambda r: (r.rule, r.endpoint)):
        print(f"{r.rule:45} {','.join(sorted(r.methods)):30} {r.endpoint:35} {r.origin_module}")
