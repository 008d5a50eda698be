"""A subclass of Werkzeug's ProxyFix that hands requests on through `super().__call__`.

klaus 3.0.1 wraps `app.wsgi_app` in `klaus.utils.ProxyFix(WerkzeugProxyFix)`, whose `__call__`
sets `SCRIPT_NAME` from `X-Script-Name` and then returns `super().__call__(environ,
start_response)`. The scan read no class with a base ("its code is not read"), so all 34 of
its routes stayed on Flask. A subclass of one base it knows (ProxyFix, which only changes the
environ and calls `self.app`) that defines no `__init__` is now read as its own `__call__` plus
the base's: its routes convert, and converted routes run the whole middleware first, as
Flask does (flask_compat.LegacyMiddlewarePass), with every answer compared to Flask's here.
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from starlette.testclient import TestClient

from migrator.scan import scan_path
from migrator.scan.middleware import read_middleware
from tests.example_support import converted_snippet
from tests.test_wsgi_middleware_pass import DispatchCount, answer, flask_answer

KLAUSISH = '''
import warnings

from flask import Flask, request, url_for
from werkzeug.middleware.proxy_fix import ProxyFix as WerkzeugProxyFix


class ProxyFix(WerkzeugProxyFix):
    """klaus's: mounted under a sub-URL, as the proxy says."""

    def __call__(self, environ, start_response):
        script_name = environ.get("HTTP_X_SCRIPT_NAME")
        if script_name is not None:
            if script_name.endswith("/"):
                warnings.warn("'X-Script-Name' header should not end in '/'")
                script_name = script_name.rstrip("/")
            environ["SCRIPT_NAME"] = script_name
        return super().__call__(environ, start_response)


app = Flask(__name__)
app.wsgi_app = ProxyFix(app.wsgi_app)


@app.get("/repos/<name>/")
def repo(name):
    return {"name": name, "url": url_for("repo", name=name, _external=True),
            "client": request.remote_addr}
'''


def test_the_routes_convert_and_the_subclass_runs_first(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "klaus_like", KLAUSISH, "klaus_like_fastapi") as (
            result, out, legacy):
        assert [view.route.rule for view in result.converted] == ["/repos/<name>/"]
        [flask_app_model] = scan_path(legacy).apps
        assert flask_app_model.middleware == {"klaus_like.ProxyFix": "app"}
        assert "LEGACY_MIDDLEWARE = {" in (out / "main.py").read_text()

        import klaus_like
        from klaus_like_fastapi.main import create_app

        flask_app = klaus_like.app
        new_app = create_app(flask_app)
        assert new_app.state.legacy_middleware == ("klaus_like.ProxyFix",)
        dispatch = DispatchCount(flask_app)
        flask_client = flask_app.test_client()
        cases = [  # (request, served by the converted route)
            (("GET", "/repos/alpha/", {}), True),
            (("GET", "/repos/alpha/", {"X-Forwarded-Proto": "https"}), True),
            (("GET", "/repos/alpha/", {"X-Forwarded-For": "203.0.113.9"}), True),
            (("GET", "/repos/alpha/", {"X-Forwarded-Host": "git.example"}), True),
            # a root the proxy states: the path Werkzeug reads changes, Flask answers
            (("GET", "/repos/alpha/", {"X-Script-Name": "/git"}), False),
            (("GET", "/repos/alpha", {}), False),  # Flask's redirect to the slash
        ]
        with TestClient(new_app) as client:
            for (method, path, headers), converted in cases:
                expected = flask_answer(flask_client, method, path, headers)
                dispatch.calls = 0
                assert answer(client.request(method, path, headers=headers,
                                             follow_redirects=False)) == expected, headers
                assert dispatch.calls == (0 if converted else 1), headers
            proxied = client.get("/repos/alpha/", headers={"X-Forwarded-Proto": "https",
                                                            "X-Forwarded-For": "203.0.113.9"})
            assert proxied.json() == {"name": "alpha", "client": "203.0.113.9",
                                      "url": "https://testserver/repos/alpha/"}


def shape_of(source: str):
    [node] = [s for s in cst.parse_module(source).body if isinstance(s, cst.ClassDef)]
    return read_middleware(node)


CALL = '''
    def __call__(self, environ, start_response):
        environ["SCRIPT_NAME"] = "/git"
        {hand_on}
'''


@pytest.mark.parametrize(("header", "hand_on", "base", "reason"), [
    ("class Fix(WerkzeugProxyFix):", "return super().__call__(environ, start_response)",
     "WerkzeugProxyFix", "it has a base class, whose code is not read"),
    ("class Fix(werkzeug.middleware.proxy_fix.ProxyFix):",
     "return super().__call__(environ, start_response)",
     "werkzeug.middleware.proxy_fix.ProxyFix", "it has a base class, whose code is not read"),
    # the base's way of holding the app is only known for the base itself
    ("class Fix(WerkzeugProxyFix):\n    def __init__(self, app):\n        self.inner = app\n",
     "return super().__call__(environ, start_response)", None,
     "it has a base class, whose code is not read"),
    ("class Fix(WerkzeugProxyFix):", "return self.app(environ, start_response)", None,
     "it has a base class, whose code is not read"),
    ("class Fix(A, B):", "return super().__call__(environ, start_response)", None,
     "it has a base class, whose code is not read"),
    ("class Fix:", "return super().__call__(environ, start_response)", None,
     "its __call__ hands the request on to `super()`"),
    ("class Fix(WerkzeugProxyFix):",
     "with open('x'):\n            return super().__call__(environ, start_response)", None,
     "it calls the app it wraps inside a try or with block"),
])
def test_what_the_reader_takes_from_a_subclass(header: str, hand_on: str, base: str | None,
                                               reason: str) -> None:
    """`base` is set (for link.py to check it is a base it knows) only where the subclass hands
    requests on through `super().__call__` alone and defines no `__init__`."""
    shape = shape_of(header + CALL.format(hand_on=hand_on))
    assert (shape.passes_on, shape.base, shape.reason) == (None, base, reason)


def test_a_subclass_of_another_base_keeps_its_routes_on_flask(tmp_path: Path) -> None:
    source = KLAUSISH.replace(
        "from werkzeug.middleware.proxy_fix import ProxyFix as WerkzeugProxyFix",
        "from werkzeug.middleware.shared_data import SharedDataMiddleware as WerkzeugProxyFix")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "__init__.py").write_text(source, encoding="utf-8")
    [route] = scan_path(tmp_path / "other").routes
    assert route.status == "manual"
    assert any("it has a base class, whose code is not read" in reason
               for reason in route.reasons)


def test_a_subclass_the_scan_did_not_read_is_bypassed_middleware() -> None:
    """At start-up, only ProxyFix's own class is skipped as the ASGI server's business: a
    subclass not named in LEGACY_MIDDLEWARE (set while the app runs, say) may do more, and
    converted routes would not run it, so the legacy app answers every request."""
    from flask import Flask
    from werkzeug.middleware.proxy_fix import ProxyFix

    from tests.test_flask_compat import fc

    class StrictProxyFix(ProxyFix):
        def __call__(self, environ, start_response):
            if "HTTP_X_FORWARDED_FOR" not in environ:
                start_response("403 Forbidden", [])
                return [b""]
            return super().__call__(environ, start_response)

    plain, subclassed = Flask("plain"), Flask("subclassed")
    plain.wsgi_app = ProxyFix(plain.wsgi_app)
    subclassed.wsgi_app = StrictProxyFix(subclassed.wsgi_app)
    assert fc.bypassed_legacy_code(plain) is None
    assert fc.bypassed_legacy_code(subclassed) == f"{__name__}.{StrictProxyFix.__qualname__}"
    name = f"{__name__}.{StrictProxyFix.__qualname__}"
    assert fc.bypassed_legacy_code(subclassed, {name: "app"}) is None
