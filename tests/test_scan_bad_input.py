"""Bad input never stops a scan: each bad file is reported with its line and skipped."""

from __future__ import annotations

import os
import warnings

from migrator.scan import scan_path
from tests.scan_support import write_tree

GOOD_APP = """
    from flask import Flask, Blueprint

    app = Flask(__name__)
    bp = Blueprint("bp", __name__, url_prefix="/bp")

    @app.route("/")
    def index():
        return "ok"

    @bp.post("/items")
    def create():
        return {}

    from .more import more_bp
    app.register_blueprint(bp)
    app.register_blueprint(more_bp)
"""
MORE = """
    from flask import Blueprint

    more_bp = Blueprint("more", __name__)

    @more_bp.get("/more/<int:n>")
    def more(n):
        return str(n)
"""
SYNTAX_ERROR = """
    from flask import Flask
    app = Flask(__name__)

    @app.route("/broken")
    def broken(:
        return "x"
"""
PYTHON2 = """
    from flask import Flask
    app = Flask(__name__)

    @app.route("/py2")
    def py2():
        print "hello from 2010"
        return "x"
"""
# Latin-1 bytes with no coding cookie: not valid UTF-8, so not valid Python 3 source.
LATIN1_NO_COOKIE = (
    b"from flask import Flask\n"
    b"app = Flask(__name__)\n"
    b"# caf\xe9 au lait\n"
    b"@app.route('/latin')\n"
    b"def latin():\n"
    b"    return 'x'\n"
)
# The same bytes with a PEP 263 cookie are valid and must be scanned.
LATIN1_WITH_COOKIE = b"# -*- coding: latin-1 -*-\n" + LATIN1_NO_COOKIE.replace(
    b"app = Flask(__name__)", b"app2 = Flask(__name__)").replace(b"@app.", b"@app2.").replace(
    b"/latin", b"/cookie").replace(b"def latin", b"def cookie")


def test_mixed_tree_scans_to_completion(tmp_path):
    root = write_tree(tmp_path, {
        "good/__init__.py": GOOD_APP,
        "good/more.py": MORE,
        "bad/broken.py": SYNTAX_ERROR,
        "bad/legacy_py2.py": PYTHON2,
        "bad/latin.py": LATIN1_NO_COOKIE,
        "ok/cookie.py": LATIN1_WITH_COOKIE,
    })
    result = scan_path(root)
    errors = {e.file: e for e in result.errors}
    assert set(errors) == {"bad/broken.py", "bad/legacy_py2.py", "bad/latin.py"}
    assert errors["bad/broken.py"].line == 5
    assert "syntax error" in errors["bad/broken.py"].message
    assert errors["bad/legacy_py2.py"].line == 6
    assert errors["bad/latin.py"].line == 3
    assert "utf-8" in errors["bad/latin.py"].message.lower()
    assert "print" in errors["bad/legacy_py2.py"].message  # CPython's "Missing parentheses..."
    routes = {(r.rule, tuple(r.methods), r.endpoint, r.file, r.line) for r in result.routes}
    assert routes == {
        ("/", ("GET",), "index", "good/__init__.py", 6),
        ("/bp/items", ("POST",), "bp.create", "good/__init__.py", 10),
        ("/more/<int:n>", ("GET",), "more.more", "good/more.py", 5),
        ("/cookie", ("GET",), "cookie", "ok/cookie.py", 5),
    }


def test_error_in_a_module_needed_only_for_a_constant(tmp_path):
    """A constants module skipped by the pre-filter is parsed on demand; if it is broken, that is
    reported too, and the route whose rule needed it is still listed as unresolved."""
    root = write_tree(tmp_path, {
        "pkg/__init__.py": """
            from flask import Flask
            from .consts import PREFIX
            app = Flask(__name__)

            @app.get(PREFIX + "/x")
            def x():
                return ""
        """,
        "pkg/consts.py": "PREFIX = (\n",
    })
    result = scan_path(root)
    assert [(e.file, e.line) for e in result.errors] == [("pkg/consts.py", 1)]
    [route] = result.routes
    assert route.rule.startswith("<unresolved")
    assert route.status == "manual"


def test_excluded_folders_and_symlinks_outside_root(tmp_path):
    outside = write_tree(tmp_path / "outside", {"evil.py": """
        from flask import Flask
        app = Flask(__name__)
        @app.route("/outside")
        def outside():
            return ""
    """})
    root = write_tree(tmp_path / "project", {
        "app.py": """
            from flask import Flask
            app = Flask(__name__)
            @app.route("/inside")
            def inside():
                return ""
        """,
        "tests/test_app.py": """
            from flask import Flask
            app = Flask(__name__)
            @app.route("/from-tests")
            def t():
                return ""
        """,
    })
    for skipped in (".venv/lib/site.py", "node_modules/x.py", "build/lib/app.py",
                    "dist/app.py", "lib/site-packages/flask_thing.py", "myenv/x.py", ".git/x.py"):
        write_tree(root, {skipped: (root / "app.py").read_text().replace("/inside", "/skipped")})
    (root / "myenv" / "pyvenv.cfg").write_text("home = /usr\n")
    os.symlink(outside / "evil.py", root / "linked_file.py")
    os.symlink(outside, root / "linked_dir")
    os.symlink(root, root / "loop")  # a link back into the root must not loop

    rules = {r.rule for r in scan_path(root).routes}
    assert rules == {"/inside", "/from-tests"}
    rules = {r.rule for r in scan_path(root, excludes=["tests/*"]).routes}
    assert rules == {"/inside"}


def test_binary_and_empty_files(tmp_path):
    root = write_tree(tmp_path, {
        "empty.py": "",
        "nul.py": b"from flask import Flask\x00\n",
        "app.py": """
            import flask
            app = flask.Flask(__name__)
            @app.route("/a")
            def a():
                return ""
        """,
    })
    result = scan_path(root)
    assert [r.rule for r in result.routes] == ["/a"]
    assert [e.file for e in result.errors] == ["nul.py"]


def test_parallel_scan_equals_serial_scan(tmp_path):
    files = {}
    for i in range(80):
        files[f"pkg/m{i}.py"] = f"""
            from flask import Blueprint
            bp{i} = Blueprint("b{i}", __name__, url_prefix="/b{i}")
            @bp{i}.get("/x/<int:n>")
            def view{i}(n):
                return ""
        """
    imports = "\n".join(f"from .m{i} import bp{i}" for i in range(80))
    registrations = "\n".join(f"app.register_blueprint(bp{i})" for i in range(80))
    files["pkg/__init__.py"] = f"from flask import Flask\n{imports}\napp = Flask(__name__)\n" \
        f"{registrations}\n"
    files["pkg/broken.py"] = "from flask import Flask\ndef (:\n"
    root = write_tree(tmp_path, files)
    serial = scan_path(root, jobs=1).to_json()
    parallel = scan_path(root, jobs=2).to_json()
    assert serial == parallel
    assert len(serial["routes"]) == 80
    assert [e["file"] for e in serial["errors"]] == ["pkg/broken.py"]


def test_invalid_escape_in_a_string_neither_warns_nor_crashes(tmp_path):
    root = write_tree(tmp_path, {"app.py": """
        from flask import Flask
        app = Flask(__name__)
        ART = "\\_(o)_/"

        @app.route("/x")
        def x():
            return ART
    """})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = scan_path(root, jobs=1)
    assert [r.rule for r in result.routes] == ["/x"]


def test_constant_assigned_in_branches_is_not_guessed(tmp_path):
    """httpbin 0.10.4 picks its landing rule with an `if`: the scan must say it cannot know."""
    root = write_tree(tmp_path, {"app.py": """
        import os
        from flask import Flask
        app = Flask(__name__)
        if os.environ.get("LEGACY"):
            landing_rule = "/legacy"
        else:
            landing_rule = "/"
        try:
            OTHER = "/other"
        except ImportError:
            pass

        @app.route(landing_rule)
        def landing():
            return "hi"

        @app.route(OTHER)
        def other():
            return "hi"
    """})
    routes = {r.endpoint: r for r in scan_path(root).routes}
    assert routes["landing"].rule.startswith("<unresolved")
    assert routes["landing"].status == "manual"
    assert "depends on a condition" in routes["landing"].reasons[0]
    assert routes["other"].rule == "/other"  # one value in every branch: known


def test_a_blueprint_registered_with_a_prefix_known_only_at_run_time_keeps_its_routes(tmp_path):
    """rq-dashboard's `make_flask_app(..., url_prefix)` registers its blueprint with the prefix
    it is given: the scan listed no route at all. Its routes (a nested blueprint's too) are
    listed with the unknown part shown, and stay on Flask."""
    root = write_tree(tmp_path, {"app.py": """
        from flask import Flask, Blueprint

        bp = Blueprint("dash", __name__)
        child = Blueprint("child", __name__, url_prefix="/child")

        @bp.route("/job/<job_id>/delete", methods=["POST"])
        def delete_job(job_id):
            return job_id

        @child.get("/x")
        def x():
            return "x"

        bp.register_blueprint(child)

        def make_app(url_prefix, name):
            app = Flask(__name__)
            app.register_blueprint(bp, url_prefix=url_prefix)
            app.register_blueprint(bp, url_prefix="/v2", name=name)

            @app.get("/health")
            def health():
                return "ok"

            return app
    """})
    result = scan_path(root)
    routes = {(r.rule, r.endpoint): r for r in result.routes}
    assert sorted(routes) == [
        ("/health", "health"),
        ("/v2/child/x", "<unresolved: name>.child.x"),
        ("/v2/job/<job_id>/delete", "<unresolved: name>.delete_job"),
        ("<unresolved: url_prefix>/child/x", "dash.child.x"),
        ("<unresolved: url_prefix>/job/<job_id>/delete", "dash.delete_job"),
    ]
    unknown_prefix = routes[("<unresolved: url_prefix>/job/<job_id>/delete", "dash.delete_job")]
    assert unknown_prefix.status == "manual"
    assert unknown_prefix.methods == ["POST"]
    assert [p.name for p in unknown_prefix.parameters] == ["job_id"]
    assert unknown_prefix.reasons[0] == (
        "scan.unresolved_registration: the url_prefix of register_blueprint of 'dash' "
        "(app.py:18) `url_prefix` is not a constant the scan can read, so the route's full rule "
        "is known only at run time; the route stays on Flask (if every deployment uses one "
        "prefix, state it in pyproject.toml: `[tool.migrate.blueprint-prefixes]` "
        "`dash = \"/...\"`)")
    assert routes[("/v2/child/x", "<unresolved: name>.child.x")].reasons[0].startswith(
        "scan.unresolved_registration: the name of register_blueprint of 'dash' (app.py:19)")
    assert all(r.status == "manual" for key, r in routes.items() if key != ("/health", "health"))
    assert [(d.code, d.line) for d in result.diagnostics
            if d.code == "scan.unresolved_argument"] == [("scan.unresolved_argument", 18),
                                                         ("scan.unresolved_argument", 19)]


def test_a_long_chain_of_factories_is_resolved_in_bounded_work(tmp_path, monkeypatch):
    """`x = f0()`, where each `fN` returns `v = fN+1()`: each name is resolved once per level.
    Resolving the returned name twice at each level (once for an app or blueprint, once for a
    decorator's closure) made the work double per level: calibreweb's scan ran for over 20
    minutes instead of 3 s. The count stops the test long before that."""
    from migrator.scan import link

    chain = "\n".join(f"def f{n}():\n    v = f{n + 1}()\n    return v\n" for n in range(40))
    root = write_tree(tmp_path, {"chain.py": chain + (
        "def f40():\n    return Blueprint('deep', __name__)\n\n"
        "from flask import Flask, Blueprint\n"
        "app = Flask(__name__)\n"
        "x = f0()\n"
        "app.register_blueprint(x)\n")})
    calls = 0
    resolve = link.Linker.resolve

    def counted(self, *args, **kwargs):
        nonlocal calls
        calls += 1
        assert calls < 20_000, "the resolution work grows exponentially with the chain"
        return resolve(self, *args, **kwargs)

    monkeypatch.setattr(link.Linker, "resolve", counted)
    result = scan_path(root)
    assert calls < 20_000
    assert [app.name for app in result.apps] == ["app"]


def test_a_rule_added_to_an_object_the_scan_cannot_name_is_reported_not_dropped(tmp_path):
    """archivy's click_web adds two rules on a module global set at run time. Those routes
    cannot be listed, and before this the scan said nothing: now one warning per call, with its
    line. A rule added through a parameter the scan follows is listed, without a warning; `get`
    or `post` on anything else (`self.client.get(url)` in tests) is no route. grip's `class
    Grip(Flask)` adds its rules with `self.add_url_rule(...)` in `__init__`, which was one of
    these too: the class's instance is now the app (tests/test_scan_flask_subclass_apps.py)."""
    root = write_tree(tmp_path, {
        "site/__init__.py": """
            from flask import Flask

            from .views import register_views, home


            class Site(Flask):
                def __init__(self):
                    super().__init__(__name__)
                    self.add_url_rule("/", "home", home)


            _late_app = None


            def attach(app):
                global _late_app
                _late_app = app


            def add_plugin_rules():
                _late_app.add_url_rule("/plugins", "plugins", home)


            def create_app():
                app = Flask(__name__)
                register_views(app)
                return app
        """,
        "site/views.py": """
            def home():
                return "home"


            def register_views(app):
                app.add_url_rule("/home", "home", home)
        """,
        "site/tests.py": """
            class SiteTest:
                def test_home(self):
                    self.client.get("/home")
                    self.client.post("/home", data={})
        """,
    })
    result = scan_path(root)
    assert sorted((r.app, r.rule, r.endpoint) for r in result.routes) == [
        ("site:Site.__init__.self", "/", "home"), ("site:create_app.app", "/home", "home")]
    assert sorted((d.code, d.file, d.line) for d in result.diagnostics) == [
        ("scan.unresolved_app", "site/__init__.py", 21),
    ]
    assert '`_late_app.add_url_rule("/plugins", "plugins", home)`' in result.diagnostics[0].message


VIEW_REPLACED_IN_A_TEST = {
    "shop/__init__.py": """
        from flask import Flask

        app = Flask(__name__)


        @app.get("/items")
        def items():
            return {}
    """,
    "shop/tests/test_views.py": """
        from shop import app


        def test_wrapped():
            app.view_functions["items"] = lambda: "x"
    """,
}


def test_a_change_made_in_a_test_module_says_how_to_leave_the_module_out(tmp_path):
    """Flask-MonitoringDashboard's unit tests replace `app.view_functions[...]`: every route
    stays on Flask, as for the same line in production code (the scan cannot know which files
    run in production), but the reason says the line is in a test module and how to exclude
    it; excluded, the route converts."""
    root = write_tree(tmp_path, VIEW_REPLACED_IN_A_TEST)
    [route] = scan_path(root).routes
    assert route.status == "manual"
    assert route.reasons[0].startswith("scan.view_replaced: shop/tests/test_views.py:5 ")
    assert route.reasons[0].endswith(
        "(in a test module: `--exclude 'shop/tests/*'` if it never runs in production)")
    [route] = scan_path(root, excludes=["shop/tests/*"]).routes
    assert route.status != "manual"


def test_a_change_made_in_production_code_is_the_first_reason(tmp_path):
    """Flask-MonitoringDashboard replaces `view_functions[...]` in its own code and in its unit
    tests. The first reason of every one of its routes named a test module and said how to leave
    it out, which would not have converted a route: its own code replaces them too. The project's
    own writes now come first, in file and line order, then the test modules'."""
    root = write_tree(tmp_path, {**VIEW_REPLACED_IN_A_TEST, "shop/wrap.py": """
        from shop import app

        app.view_functions["items"] = app.view_functions["items"]
    """})
    [route] = scan_path(root).routes
    assert [reason.split(" changes ")[0] for reason in route.reasons[:2]] == [
        "scan.view_replaced: shop/wrap.py:3", "scan.view_replaced: shop/tests/test_views.py:5"]


def test_a_blueprint_made_with_a_prefix_or_name_known_only_at_run_time_keeps_its_routes(tmp_path):
    """locust's web UI makes `Blueprint("locust", __name__, url_prefix=web_base_path)` from an
    argument: the scan warned, then listed `/swarm` as if there were no prefix (and a name it
    cannot read became the variable's name): wrong rules, and a route whose real rule is unknown
    could have been converted at the wrong path. Now the unknown part is shown and the routes
    stay on Flask; a prefix given at registration still wins over the blueprint's own, as in
    Flask."""
    root = write_tree(tmp_path, {"web.py": """
        from flask import Flask, Blueprint


        def make_app(web_base_path, bp_name):
            app = Flask(__name__)
            ui = Blueprint("locust", __name__, url_prefix=web_base_path)
            named = Blueprint(bp_name, __name__, url_prefix="/n")
            fixed = Blueprint("fixed", __name__, url_prefix=web_base_path)

            @ui.route("/swarm", methods=["POST"])
            def swarm():
                return "ok"

            @named.get("/x")
            def x():
                return "x"

            @fixed.get("/y")
            def y():
                return "y"

            app.register_blueprint(ui)
            app.register_blueprint(named)
            app.register_blueprint(fixed, url_prefix="/fixed")
            return app
    """})
    result = scan_path(root)
    routes = {(r.rule, r.endpoint): r for r in result.routes}
    assert sorted(routes) == [
        ("/fixed/y", "fixed.y"),
        ("/n/x", "<unresolved: name>.x"),
        ("<unresolved: url_prefix>/swarm", "locust.swarm"),
    ]
    swarm = routes[("<unresolved: url_prefix>/swarm", "locust.swarm")]
    assert swarm.status == "manual"
    assert swarm.reasons[0] == (
        "scan.unresolved_registration: the url_prefix of Blueprint 'locust' (web.py:6) "
        "`web_base_path` is not a constant the scan can read, so the route's full rule is known "
        "only at run time; the route stays on Flask (if every deployment uses one prefix, state "
        "it in pyproject.toml: `[tool.migrate.blueprint-prefixes]` `locust = \"/...\"`)")
    assert routes[("/n/x", "<unresolved: name>.x")].status == "manual"
    assert "scan.unresolved_registration" not in " ".join(routes[("/fixed/y", "fixed.y")].reasons)


def test_str_format_rules_are_evaluated_only_when_harmless(tmp_path):
    """`"/{}".format(d)` of constants is evaluated (calibreweb builds 68 rules so); a width
    that would make the scan build a huge string, or a value that is not a plain constant,
    leaves the rule unresolved instead."""
    root = write_tree(tmp_path, {"app.py": """
        from flask import Flask

        app = Flask(__name__)
        NAMES = {"a": 1}


        def v():
            return ""


        app.add_url_rule("/{}/{{x}}".format("ok"), "ok", v)
        app.add_url_rule("/{:>999999999}".format("x"), "huge", v)
        app.add_url_rule("/{:{w}}".format("x", w=5), "nested", v)
        app.add_url_rule("/{}".format(NAMES), "not_plain", v)
        app.add_url_rule("/{2}".format("x"), "fails", v)
    """})
    rules = {r.endpoint: r.rule for r in scan_path(root).routes}
    assert rules["ok"] == "/ok/{x}"
    assert all(rules[e].startswith("<unresolved: ") for e in ("huge", "nested", "not_plain",
                                                               "fails")), rules


def test_an_or_is_evaluated_as_python_does_and_named_in_full_when_it_cannot_be(tmp_path):
    """`a or b` is read (`PREFIX or "/api"` with `PREFIX = None` is "/api"); one the scan
    cannot evaluate is named in full in the reasons, as before it was read at all."""
    root = write_tree(tmp_path, {"or_app/__init__.py": '''
        import os

        from flask import Blueprint, Flask

        PREFIX = None
        known = Blueprint("known", __name__, url_prefix=PREFIX or "/api")
        unknown = Blueprint("unknown", __name__, url_prefix=os.environ.get("P") or "/v2")


        @known.get("/x")
        def x():
            return {}


        @unknown.get("/y", defaults=os.environ.get("D") or {})
        def y():
            return {}


        app = Flask(__name__)
        app.register_blueprint(known)
        app.register_blueprint(unknown)
    '''})
    routes = {route.endpoint: route for route in scan_path(root / "or_app").routes}
    assert routes["known.x"].rule == "/api/x"
    assert routes["unknown.y"].rule_options == {"defaults": 'os.environ.get("D") or {}'}
    assert any('`os.environ.get("P") or "/v2"` is computed at run time' in reason
               for reason in routes["unknown.y"].reasons), routes["unknown.y"].reasons
