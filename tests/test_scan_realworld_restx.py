"""mindsdb (PyPI, 26.1.0): a real Flask-RESTX API, scanned and converted.

Its `initialize_app()` gets the Api from `app, api = initialize_flask()` and adds its namespaces
in a loop over a list it makes (`for ns in protected_namespaces: api.add_namespace(ns)`), seven
of them the same Namespace object (one `configs.projects.ns_conf` shared by seven modules). The
scan listed none of its 58 resource classes. What the scan finds is checked against the source
itself, read here with `ast` independently of the scan: every `@ns_conf.route(...)` class, at
`/api/<namespace path><url>`, under the endpoint RESTX gives it first. (mindsdb is not run: its own
dependencies are many; the routes RESTX registers again, under `_2`... endpoints, for the
namespace added seven times are checked against a small runnable app in
test_restx_resources.py.)
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

from migrator.scan import scan_path
from tests.realworld import mindsdb_package, realworld_cache  # noqa: F401 (fixtures)


def _namespaces(package: Path) -> dict[str, tuple[str, str]]:
    """configs module name -> the Namespace's name and path (`ns_conf = Namespace("projects",
    ...)`; `path="/"` for its `default`)."""
    found = {}
    for path in (package / "api" / "http" / "namespaces" / "configs").glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) \
                    and getattr(node.value.func, "id", None) == "Namespace":
                name = node.value.args[0].value
                given = [k.value.value for k in node.value.keywords if k.arg == "path"]
                found[path.stem] = (name, (given or [f"/{name}"])[0].rstrip("/"))
    return found


def _declared_resources(package: Path) -> set[tuple[str, str]]:
    """(full rule, first endpoint) of every resource class the namespaces' modules declare."""
    namespaces = _namespaces(package)
    declared = set()
    for path in (package / "api" / "http" / "namespaces").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        configs = next((node.module.rsplit(".", 1)[-1] for node in tree.body
                        if isinstance(node, ast.ImportFrom) and node.module and
                        node.module.startswith("mindsdb.api.http.namespaces.configs.")
                        and any(alias.name == "ns_conf" for alias in node.names)), None)
        for node in tree.body:
            if not isinstance(node, ast.ClassDef) or configs is None:
                continue
            routes = [decorator for decorator in node.decorator_list
                      if isinstance(decorator, ast.Call)
                      and ast.unparse(decorator.func) == "ns_conf.route"]
            # applied from the bottom up: the first registered gets the plain endpoint
            for number, decorator in enumerate(reversed(routes), start=1):
                name, prefix = namespaces[configs]
                dashed = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2",
                                re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", node.name)).lower()
                suffix = f"_{number}" if number > 1 else ""
                for url in decorator.args:
                    declared.add((f"/api{prefix}{url.value}", f"{name}_{dashed}{suffix}"))
    return declared


def test_every_restx_resource_of_mindsdb_is_found(request: pytest.FixtureRequest) -> None:
    package: Path = request.getfixturevalue("mindsdb_package")
    declared = _declared_resources(package)
    assert len({endpoint for _, endpoint in declared}) == 58
    routes = scan_path(package).routes
    resources = [route for route in routes if route.kind == "resource"]
    first = {}
    for route in resources:
        first.setdefault(route.rule, route.endpoint)
    assert set(first.items()) == declared
    # the shared `projects` Namespace is added seven times: each of its rules seven times,
    # under `_2` to `_7` endpoints after the first, as RESTX registers them
    agents = [route.endpoint for route in resources
              if route.rule == "/api/projects/<project_name>/agents"]
    assert agents == ["projects_agents_resource"] + [
        f"projects_agents_resource_{n}" for n in range(2, 8)]
    statuses = Counter(route.status for route in resources
                       if route.endpoint == first[route.rule])
    assert statuses["assisted"] >= 55  # streams and unread decorators are manual, with reasons
