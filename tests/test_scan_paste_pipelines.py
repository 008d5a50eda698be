"""An app production serves through a Paste Deploy pipeline: filters, an auth check perhaps,
that an ini file puts around the app a project factory makes.

CloudKitty and other OpenStack services build their WSGI app with
`paste.deploy.loadapp("config:api_paste.ini")`, whose `[pipeline:main]` puts keystone's
`authtoken` in front of `[app:api]`, `paste.app_factory = service.api.app:app_factory`. The scan
read only Python: the routes of the Flask app that factory makes converted, and the generated
package loaded that app bare, so every route, converted or served through the mount, answered
without the token (production: 401). Now the scan reads the project's Paste Deploy configs: an app
served wrapped (a pipeline with filters, a filter-app, `filter-with`, a composite's mount) keeps
its routes on Flask (`scan.served_inside`) and the package asks for the app; an app a config
serves plain converts. A wrapped app whose factory the scan cannot name gets a warning
(`scan.paste_pipeline`); an ini file that does not parse is reported and skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from paste.deploy import loadapp, loadfilter
from starlette.testclient import TestClient
from werkzeug.test import Client

from migrator.discover import project_files
from migrator.scan import scan_path
from migrator.scan.paste import read_paste_configs
from tests.example_support import converted_snippet
from tests.scan_support import write_tree

SERVICE = '''
from flask import Flask


def create_app():
    app = Flask(__name__)

    @app.get("/items")
    def items():
        """Everything in the store."""
        return {"items": ["a", "b"]}

    return app


def app_factory(global_config, **local_conf):
    """What Paste Deploy calls for `[app:api]`."""
    return create_app()
'''

MIDDLEWARE = '''
class RequireToken:
    """keystonemiddleware's authtoken, in short."""

    def __init__(self, app, token):
        self.app = app
        self.token = token

    def __call__(self, environ, start_response):
        if environ.get("HTTP_X_AUTH_TOKEN") != self.token:
            start_response("401 Unauthorized", [("Content-Type", "text/plain")])
            return [b"token required\\n"]
        return self.app(environ, start_response)


def filter_factory(global_config, **local_conf):
    def make(app):
        return RequireToken(app, local_conf["token"])
    return make
'''

PIPELINE = '''\
[pipeline:main]
pipeline = authtoken api

[app:api]
paste.app_factory = service:app_factory

[filter:authtoken]
paste.filter_factory = service.middleware:filter_factory
token = s3cret
'''

PLAIN = '''\
[app:main]
paste.app_factory = service:app_factory
'''


def test_an_app_behind_a_paste_filter_stays_on_flask_and_is_asked_for(tmp_path: Path) -> None:
    files = {"__init__.py": SERVICE, "middleware.py": MIDDLEWARE, "api_paste.ini": PIPELINE}
    with converted_snippet(tmp_path, "service", files, "service_fastapi") as (
            result, _out, legacy):
        # production: the token is checked before Flask sees the request
        production = Client(loadapp(f"config:{legacy / 'api_paste.ini'}"))
        assert production.get("/items").status_code == 401
        assert production.get("/items", headers={"X-Auth-Token": "s3cret"}).json == {
            "items": ["a", "b"]}

        assert result.converted == []
        [left] = result.left
        reason = ("scan.served_inside: production serves the app as the Paste Deploy app "
                  "[app:api] of api_paste.ini:4, wrapped by pipeline `main` (filters authtoken): "
                  "requests reach the route through them, which a converted route would not; "
                  "the route stays on Flask")
        assert left.reasons[0] == reason
        scan = scan_path(legacy)
        assert [app.served_inside for app in scan.apps] == [[(
            "the Paste Deploy app [app:api] of api_paste.ini:4, wrapped by pipeline `main` "
            "(filters authtoken)")]]
        assert [(d.code, d.file, d.line) for d in scan.diagnostics
                if d.code.startswith(("scan.served_inside", "scan.paste"))] == [
            ("scan.served_inside", "api_paste.ini", 4)]

        # the package does not serve the bare app, which would skip the token check
        from service_fastapi.main import create_app, load_legacy_app

        with pytest.raises(RuntimeError, match="is served inside WSGI middleware that loading "
                                               "it does not set up: the Paste Deploy app"):
            load_legacy_app()
        # given the app with the pipeline's filter around its wsgi_app, as the message asks,
        # every request goes through the filter, as in production
        import service

        app = service.create_app()
        app.wsgi_app = loadfilter(f"config:{legacy / 'api_paste.ini'}",
                                  name="authtoken")(app.wsgi_app)
        with TestClient(create_app(app)) as client:
            assert client.get("/items").status_code == 401
            assert client.get("/items", headers={"X-Auth-Token": "s3cret"}).json() == {
                "items": ["a", "b"]}


def test_an_app_a_config_serves_plain_converts(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "service", {
        "__init__.py": SERVICE, "middleware.py": MIDDLEWARE, "api_paste.ini": PLAIN})
    scan = scan_path(root)
    assert [(route.rule, route.status) for route in scan.routes] == [("/items", "assisted")]
    assert [app.served_inside for app in scan.apps] == [[]]
    assert not [d for d in scan.diagnostics
                if d.code in ("scan.served_inside", "scan.paste_pipeline")]


def wrapped(tmp_path: Path, config: str, **files: str) -> list[tuple[str, str, tuple[str, ...]]]:
    root = write_tree(tmp_path, {"api_paste.ini": config, **files})
    configs, errors = read_paste_configs(root, project_files(root)[1])
    assert errors == []
    return [(served.section, served.factory, served.wrapped_by) for served in configs.served]


def test_each_way_paste_wraps_an_app_is_read(tmp_path: Path) -> None:
    assert wrapped(tmp_path / "composite", '''
        [composite:main]
        use = egg:Paste#urlmap
        / = home
        /v2 = api_pipeline

        [app:home]
        use = call:service:app_factory

        [pipeline:api_pipeline]
        pipeline = api

        [app:api]
        paste.app_factory = service.v2:app_factory
        ''') == [
        ("app:home", "service:app_factory", ("composite `main` (`/ = home`)",)),
        ("app:api", "service.v2:app_factory",
         ("composite `main` (`/v2 = api_pipeline`)",))]
    assert wrapped(tmp_path / "filter_app", '''
        [filter-app:main]
        use = egg:Authentication#auth
        next = app:api

        [app:api]
        filter-with = limits
        paste.app_factory = service:app_factory

        [filter:limits]
        paste.filter_factory = service:limits
        ''') == [("app:api", "service:app_factory", (
            "filter `limits` (filter-with)", "filter-app `main` (egg:Authentication#auth)"))]
    # an app's factory named by the project's own entry point
    assert wrapped(tmp_path / "egg", '''
        [pipeline:main]
        pipeline = request_id api

        [app:api]
        use = egg:My_Service#api
        ''', **{"setup.cfg": '''
        [metadata]
        name = my-service

        [options.entry_points]
        paste.app_factory =
            api = service.api:app_factory
        '''}) == [("app:api", "service.api:app_factory", ("pipeline `main` (filters request_id)",))]


def test_a_wrapped_app_whose_factory_is_not_known_is_warned(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "service", {
        "__init__.py": SERVICE, "middleware.py": MIDDLEWARE,
        "etc/api_paste.ini": '''
            [pipeline:main]
            pipeline = authtoken api

            [app:api]
            use = egg:other-service#api

            [filter:authtoken]
            paste.filter_factory = service.middleware:filter_factory
            ''',
        # not a Paste Deploy config: not read, not reported
        "etc/alembic.ini": "[alembic]\nscript_location = migrations\n",
        # a config that does not parse: reported, and the scan goes on
        "etc/broken_paste.ini": "[app:main]\npaste.app_factory service:app_factory\n[x\n"})
    scan = scan_path(root)
    [warning] = [d for d in scan.diagnostics if d.code == "scan.paste_pipeline"]
    assert (warning.file, warning.line) == ("etc/api_paste.ini", 4)
    assert warning.message.startswith(
        "the Paste Deploy app [app:api] of etc/api_paste.ini:4 is served wrapped by pipeline "
        "`main` (filters authtoken); the scan cannot tell which factory "
        "`egg:other-service#api` names")
    assert [(error.file, error.line, error.message) for error in scan.errors] == [(
        "etc/broken_paste.ini", 3, ("not a Paste Deploy config the scan can read (cannot read "
                                    "`[x`); it is skipped"))]
    assert [route.rule for route in scan.routes] == ["/items"]


def test_an_app_factory_of_a_project_loading_a_config_it_lacks_stays_on_flask(
        tmp_path: Path) -> None:
    root = write_tree(tmp_path / "service", {
        "__init__.py": SERVICE, "middleware.py": MIDDLEWARE,
        # production's entry point; the config ships in etc/ of the source tree, not the wheel
        "wsgi.py": '''
            import os

            from paste import deploy


            def load_app():
                return deploy.loadapp("config:" + os.environ["API_PASTE_CONFIG"])
            '''})
    scan = scan_path(root)
    [route] = scan.routes
    assert (route.rule, route.status) == ("/items", "manual")
    assert route.reasons[0] == (
        "scan.served_inside: production may serve the app through a Paste Deploy app factory "
        "(`app_factory(global_config, **local_conf)`, __init__.py:15) of a project that loads a "
        "Paste Deploy config (wsgi.py:7) the scan did not find in the scanned folder: filters it "
        "puts around the app (an auth check perhaps) would not run for a converted route; the "
        "route stays on Flask")
    assert [(d.code, d.file, d.line) for d in scan.diagnostics
            if d.code == "scan.served_inside"] == [("scan.served_inside", "__init__.py", 15)]
    # with the config in the scanned folder, the config says: here the app is served plain
    write_tree(root, {"etc/api_paste.ini": PLAIN})
    [route] = scan_path(root).routes
    assert route.status == "assisted"
