"""scan.conditional_import: a module that adds routes when imported, imported only in a branch.

alerta-server's `AuthBlueprint.register` imports the module of its SAML routes only `if
app.config['AUTH_PROVIDER'] == 'saml2'`, and that of its sign-up and password routes only in the
`else:`: the routes exist in the legacy app only where that path is taken (found by the alerta
9.1.0 hand run; its URL map lacked the three SAML rules the scan listed). The scan lists them
(which path is taken is decided at run time), with an info note at the import, as it notes a
blueprint registered in a branch (`scan.conditional_registration`); the generated app serves a
converted one only where the legacy app it wraps has the endpoint.
"""

from __future__ import annotations

import textwrap

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.scan_support import write_tree

CONDITIONAL_IMPORT = {
    "__init__.py": """
        from flask import Blueprint, Flask

        bp = Blueprint("bp", __name__)


        @bp.route("/always")
        def always():
            return {"ok": True}


        def create_app(config=None):
            app = Flask(__name__)
            app.config.update(config or {})
            if app.config.get("SAML"):  # like alerta's `from . import saml` when configured
                from . import extra  # noqa: F401
            app.register_blueprint(bp)
            return app
    """,
    "extra.py": """
        from . import bp


        @bp.route("/extra")
        def extra():
            return {"extra": True}
    """,
    "helpers.py": """
        from . import bp


        @bp.route("/helped")
        def helped():
            return {"helped": True}
    """,
    # imported in a branch here, and on every path elsewhere: its routes always exist
    "views.py": """
        import os

        if os.environ.get("VERBOSE"):
            from . import helpers  # noqa: F401
    """,
    # imported in a try body: on every path where the import does not raise
    "optional.py": """
        from . import bp


        @bp.route("/optional")
        def optional():
            return {"optional": True}
    """,
    "loader.py": """
        try:
            from . import optional  # noqa: F401
        except ImportError:
            optional = None
    """,
    "wsgi.py": """
        from . import helpers  # noqa: F401
        from . import create_app

        app = create_app()
    """,
}


def test_routes_of_a_module_imported_only_in_a_branch_are_noted(tmp_path):
    result = scan_path(write_tree(tmp_path / "condapp", CONDITIONAL_IMPORT))
    assert sorted(route.rule for route in result.routes) == ["/always", "/extra", "/helped", "/optional"]
    assert [(d.code, d.severity, d.file, d.line, d.message) for d in result.diagnostics
            if d.code == "scan.conditional_import"] == [(
                "scan.conditional_import", "info", "__init__.py", 15,
                ("`condapp.extra` adds 1 route(s) when imported, and the project imports it "
                 "only inside if/while/match blocks or except clauses (here): they exist in the "
                 "legacy app only where that path is taken (the generated app checks at start-up "
                 "that the legacy app has each converted endpoint's view, and hands the requests "
                 "of one it lacks to Flask)"))]


def test_the_generated_app_serves_such_a_route_only_where_flask_has_it(tmp_path):
    source = {name: textwrap.dedent(text).lstrip("\n")
              for name, text in CONDITIONAL_IMPORT.items()}
    with converted_snippet(tmp_path, "condapp", source, "cond_fastapi") as (result, _, _):
        assert "/extra" in {view.route.rule for view in result.converted}
        import condapp
        from cond_fastapi.main import create_app

        # (built without the setting only: a blueprint takes no rule once registered, so
        # one process cannot build the app both ways, as alerta's cannot)
        flask_app = condapp.create_app({})
        with TestClient(create_app(flask_app)) as client:
            old, new = flask_app.test_client().get("/extra"), client.get("/extra")
            assert (new.status_code, new.content) == (old.status_code, old.get_data())
            assert new.status_code == 404
            assert client.get("/always").json() == {"ok": True}
