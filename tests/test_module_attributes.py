"""FM038: a view's reads of its own module's attributes (`__name__`, `__package__`, `__file__`,
`__doc__`, ...) are read on that module.

LibCST's scope analysis resolves `__name__` in a function to the builtins (the `builtins` module
has a `__name__` too), so the converter took it for a builtin and copied the view as it was: in
the router, `__name__` is the router's name. OctoPrint's API views call
`logging.getLogger(__name__)` fourteen times: after conversion their records came from
`octoprint_fastapi.routers.api` instead of `octoprint.server.api.system`, under other logging
settings. `__file__`, a free name no statement of the module binds, kept its view on Flask
(OctoPrint's `deleteTimelapse`). Now each is read as an attribute of the legacy module
(`views_module.__name__`), as FM037 reads module state.
"""

from __future__ import annotations

import logging
from pathlib import Path

import libcst as cst
from starlette.testclient import TestClient

from codemods.base import module_attribute_names
from tests.example_support import converted_snippet
from tests.lint_support import new_lint_findings

VIEWS = '''
import logging

from flask import jsonify

from . import app


@app.get("/name")
def name():
    """Which module answers."""
    logging.getLogger(__name__).warning("served by %s", __name__)  # the module's logger
    return jsonify(module=__name__, package=__package__)


@app.get("/file")
def file():
    return jsonify(is_py=__file__.endswith(".py"))


@app.get("/doc")
def doc():
    return jsonify(doc=__doc__)


@app.get("/version")
def version():
    return jsonify(version=__version__)  # noqa: F821 -- no module attribute: not defined


@app.get("/shadowed")
def shadowed():
    __name__ = "a local name"  # the view's own: written as it is
    return jsonify(name=__name__)
'''

PACKAGE = '''
from flask import Flask

app = Flask(__name__)

from . import views  # noqa: E402,F401
'''


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(("attr_app", "attr_fastapi")):
            self.seen.append((record.name, record.getMessage()))


def test_a_view_s_module_attributes_are_read_on_its_module(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "attr_app", {"__init__.py": PACKAGE, "views.py": VIEWS},
                           "attr_fastapi") as (result, out, legacy):
        left = {view.route.endpoint: view.reasons for view in result.left}
        assert left == {
            "version": [("convert.undefined_name: __version__ is not defined at the top level "
                         "of attr_app.views, so the router cannot import it")]}
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert "import attr_app.views as views_module\n" in router
        assert '''def name():
    """Which module answers."""
    logging.getLogger(views_module.__name__).warning("served by %s", views_module.__name__)  # the module's logger
    return {"module": views_module.__name__, "package": views_module.__package__}
''' in router
        assert 'return {"is_py": views_module.__file__.endswith(".py")}' in router
        assert 'return {"doc": views_module.__doc__}' in router
        assert '''    __name__ = "a local name"  # the view's own: written as it is
    return {"name": __name__}
''' in router
        assert not new_lint_findings(out, legacy.parent, "attr_app")

        import attr_app
        from attr_fastapi.main import create_app

        records = Records()
        root = logging.getLogger()
        root.addHandler(records)
        logged = {}
        try:
            flask_client = attr_app.app.test_client()
            with TestClient(create_app(attr_app.app), base_url="http://localhost") as client:
                for path in ("/name", "/file", "/doc", "/shadowed"):
                    records.seen.clear()
                    old = flask_client.get(path)
                    logged[path] = list(records.seen)
                    records.seen.clear()
                    new = client.get(path)
                    assert (new.status_code, new.content, records.seen) == (
                        old.status_code, old.get_data(), logged[path]), path
        finally:
            root.removeHandler(records)
        assert logged["/name"] == [("attr_app.views", "served by attr_app.views")]


def test_only_reads_of_the_module_s_own_attributes_are_found() -> None:
    function = cst.parse_module('''
def view(__doc__=None):
    print(__name__, __spec__, __loader__, __doc__, __file__, __build_class__, len, __version__)
    return [__package__ for __package__ in "ab"]
''').body[0]
    assert isinstance(function, cst.FunctionDef)
    # `__doc__` is a parameter and `__package__` the comprehension's own; `__build_class__` and
    # `len` are builtins, `__version__` no attribute every module has
    assert module_attribute_names(function) == {"__name__", "__spec__", "__loader__", "__file__"}
