"""A function that returns what its own calls returned: the scan ends, and still reads a factory.

FlexMeasures 1.0.1's chart helpers find a part of a Vega-Lite spec with a function that calls
itself twice, each time `found = find(child)` then `return found`. To learn what a view's
`value = find(...)` names, the scan resolved each `return found`, which named the function's
own call, whose returns it resolved again, two calls at every level, down to its depth limit:
about 2**30 steps, and `migrate scan` (and so `convert` and `verify`) never ended on the
package. While a function's returns are being resolved, a call of that function inside them now
names nothing more than its other returns.

The limit on the work is counted in calls of the linker's `resolve`, not timed: a run that
passes it raises, so the scan that used to go on for hours fails the test at once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.scan import scan_path
from migrator.scan.link import Linker
from tests.scan_support import registered_endpoints, write_tree

#: Far more than the scans below need (a few hundred), far less than the 2**30 before.
RESOLVE_LIMIT = 100_000


@pytest.fixture
def counted_resolve(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    resolve = Linker.resolve

    def counted(self, *args, **kwargs):
        calls[0] += 1
        if calls[0] > RESOLVE_LIMIT:
            raise AssertionError(f"more than {RESOLVE_LIMIT} resolutions")
        return resolve(self, *args, **kwargs)

    monkeypatch.setattr(Linker, "resolve", counted)
    return calls


def test_a_function_that_returns_what_its_own_two_calls_returned(
        tmp_path: Path, counted_resolve: list[int]) -> None:
    root = write_tree(tmp_path, {"charts/__init__.py": """
        from flask import Flask

        app = Flask(__name__)


        def find(spec):
            if isinstance(spec, dict):
                for child in spec.get("layer", []):
                    found = find(child)
                    if found is not None:
                        return found
            elif isinstance(spec, list):
                for child in spec:
                    found = find(child)
                    if found is not None:
                        return found
            return None


        def use(value):
            return value


        @app.route("/")
        def index():
            value = find({"layer": []})
            use(value)
            return "ok"
    """})
    scan = scan_path(root)
    assert [(route.rule, route.endpoint, route.status) for route in scan.routes] == [
        ("/", "index", "auto")]
    assert counted_resolve[0] < 1_000


def test_a_factory_that_calls_itself_still_names_the_app_it_makes(
        tmp_path: Path, counted_resolve: list[int]) -> None:
    root = write_tree(tmp_path, {"nested/__init__.py": """
        from flask import Flask


        def make(levels):
            if levels:
                inner = make(levels - 1)
                return inner
            app = Flask(__name__)
            return app


        application = make(2)


        @application.route("/made")
        def made():
            return "made"
    """})
    scan = scan_path(root)
    assert [(route.rule, route.endpoint, route.app) for route in scan.routes] == [
        ("/made", "made", "nested:make.app")]
    assert registered_endpoints(root, "nested", lambda module: module.application) == {
        "/made": "made"}
