"""WSGI middleware set in a Flask subclass's own `__init__` (`self.wsgi_app =
ProxyFix(self.wsgi_app)`), for the app made with that class.

The scan skipped every `self.wsgi_app = ...` as a middleware class keeping the app it wraps:
for such an app a ProxyFix got no note on its routes (they convert, and `uvicorn
--proxy-headers` plays its part), and middleware that a converted route would skip left the
report saying "converted" while the generated app's start-up check served every request from
Flask. Now `self` there is the app made with the class, where the project makes exactly one
(as for a subclass whose `__init__` adds rules, `make_class_apps`); where it makes several, or
none, `self` is not guessed, and the start-up check still sees the wrapper at run time.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.scan_support import write_tree

APP_CLASS = '''
from flask import Flask
{imports}


class Denying:
    """Answers every request itself: a converted route cannot run it."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        start_response("403 Forbidden", [("Content-Type", "text/plain")])
        return [b"forbidden"]


class ProxiedFlask(Flask):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.wsgi_app = {wrapper}(self.wsgi_app)


{made}


@app.get("/data")
def data():
    return {{"data": 1}}
'''

PROXY_FIX = "from werkzeug.middleware.proxy_fix import ProxyFix"


def test_proxy_fix_in_the_app_class_is_noted_on_its_routes(tmp_path: Path) -> None:
    source = APP_CLASS.format(imports=PROXY_FIX, wrapper="ProxyFix",
                              made="app = ProxiedFlask(__name__)")
    with converted_snippet(tmp_path, "class_proxied_app", source, "class_proxied_fastapi") as (
            result, _out, legacy):
        assert [view.route.rule for view in result.converted] == ["/data"]
        scan = scan_path(legacy)
        [route] = scan.routes
        assert route.status == "assisted"
        assert route.reasons[0].startswith("wsgi_middleware:ProxyFix: __init__.py:20: once "
                                           "converted, the route sees the client address")
        [note] = [d for d in scan.diagnostics if d.code == "scan.wsgi_middleware"]
        assert note.message.startswith("`self.wsgi_app` is wrapped in ProxyFix: serve the "
                                       "generated app with `uvicorn --proxy-headers")
        import class_proxied_app
        from class_proxied_fastapi.main import create_app

        new_app = create_app(class_proxied_app.app)
        assert getattr(new_app.state, "legacy_only_because", None) is None
        with TestClient(new_app) as client:
            assert client.get("/data").json() == {"data": 1}


def test_middleware_in_the_app_class_keeps_its_routes_on_flask(tmp_path: Path) -> None:
    source = APP_CLASS.format(imports="", wrapper="Denying",
                              made="def create_app():\n    return ProxiedFlask(__name__)\n\n\n"
                                   "app = create_app()")
    with converted_snippet(tmp_path, "class_denied_app", source, "class_denied_fastapi") as (
            result, _out, _legacy):
        assert result.converted == []
        [left] = result.left
        assert any(reason.startswith("scan.wsgi_middleware: __init__.py:20 wraps "
                                     "`self.wsgi_app` in Denying")
                   for reason in left.reasons), left.reasons
        import class_denied_app
        from class_denied_fastapi.main import create_app

        with TestClient(create_app(class_denied_app.app)) as client:
            answer = client.get("/data")
            assert (answer.status_code, answer.text) == (403, "forbidden")


def test_self_is_not_guessed_for_an_app_class_made_twice(tmp_path: Path) -> None:
    """Two apps made with the class: which one `self` is depends on the call; the scan names
    neither (the start-up check of each generated app still sees the wrapper)."""
    source = APP_CLASS.format(imports="", wrapper="Denying",
                              made="app = ProxiedFlask(__name__)\n"
                                   "admin = ProxiedFlask('admin')")
    write_tree(tmp_path, {"twice/__init__.py": source})
    scan = scan_path(tmp_path / "twice")
    assert [route.status for route in scan.routes] == ["auto"]
    assert not [d for d in scan.diagnostics if d.code == "scan.wsgi_middleware"]
