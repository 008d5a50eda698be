"""Routes whose answer streams from a generator convert, and answer as Flask does.

The scan kept every view it saw streaming (`stream_with_context`, `stream_template`,
`Response(generate())`) on Flask, "until a person makes it a StreamingResponse", because the
bridge of a converted route once read an answer whole. The bridge now streams a generator
answer as a WSGI server does (tests/test_streamed_bridge_answers.py): the thread that ran the
view reads the chunks after Flask's cycle ends, `stream_with_context` keeps the legacy request
context for the generator, and the event loop sends them as they come. Such a route now
converts (`assisted`: the scan's reason leaves a native `StreamingResponse` to a person) and
gains what every converted route gains: typed path and query parameters, its OpenAPI entry,
and its own place in the strangler proxy.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.lint_support import new_lint_findings
from tests.scan_support import write_tree

LEGACY = {
    "__init__.py": '''
import sqlite3

from flask import Flask, Response, g, request, stream_template, stream_with_context

app = Flask(__name__)

ROWS = [("ant", 1), ("bee", 2), ("cat", 3)]


def get_db():
    """One connection per request, closed at teardown (sqlite3 refuses other threads)."""
    if "db" not in g:
        g.db = sqlite3.connect(":memory:")
        g.db.execute("CREATE TABLE rows (name TEXT, size INTEGER)")
        g.db.executemany("INSERT INTO rows VALUES (?, ?)", ROWS)
    return g.db


@app.teardown_appcontext
def close_db(error):
    db = g.pop("db", None)
    if db is not None:
        db.close()


@app.route("/rows.csv")
def rows_csv():
    """Read while it is sent: the generator needs the request context (and `g`) kept."""
    # the separator is the caller's choice
    separator = request.args.get("sep", ",")

    def generate():
        yield f"name{separator}size\\n"
        for name, size in get_db().execute("SELECT name, size FROM rows ORDER BY size"):
            yield f"{name}{separator}{size}\\n"

    return Response(stream_with_context(generate()), mimetype="text/csv")


def countdown(n):
    for i in range(n, 0, -1):
        yield f"{i}\\n"


@app.route("/countdown/<int:n>")
def count(n):
    return Response(countdown(n), mimetype="text/plain")


@app.route("/rows.html")
def rows_page():
    return stream_template("rows.html", rows=ROWS)
''',
    "templates/rows.html": "<ul>{% for name, size in rows %}<li>{{ name }}: {{ size }}"
                           "</li>{% endfor %}</ul>\n",
}

REQUESTS = [
    ("GET", "/rows.csv", {}),
    ("GET", "/rows.csv", {"sep": ";"}),
    ("HEAD", "/rows.csv", {}),
    ("POST", "/rows.csv", {}),
    ("GET", "/countdown/3", {}),
    ("GET", "/countdown/0", {}),
    ("GET", "/countdown/x", {}),
    ("GET", "/rows.html", {}),
]


def test_the_scan_calls_a_streamed_answer_assisted_with_its_reason(tmp_path: Path) -> None:
    root = write_tree(tmp_path, LEGACY)
    routes = {r.rule: r for r in scan_path(root).routes}
    for rule in ("/rows.csv", "/countdown/<int:n>", "/rows.html"):
        assert routes[rule].status == "assisted", (rule, routes[rule].reasons)
        assert "stream" in routes[rule].features
        assert any(reason.startswith("stream: the answer streams from its generator through "
                                     "the bridge") for reason in routes[rule].reasons)


def test_streamed_routes_convert_and_answer_as_flask_does(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "streams", LEGACY, "streams_fastapi") as (
            result, out, legacy):
        assert sorted(v.route.rule for v in result.converted) == [
            "/countdown/<int:n>", "/rows.csv", "/rows.html"]
        assert not result.left
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        # the body is the view's own, comments and docstring kept; the path value is typed
        assert "    # the separator is the caller's choice\n" in router
        assert '"""Read while it is sent: the generator needs the request context' in router
        assert "return Response(stream_with_context(generate()), mimetype=\"text/csv\")" in router
        assert "def count(n: int):" in router
        assert not new_lint_findings(out, legacy.parent, "streams")
        import streams
        from streams_fastapi.main import create_app

        app = create_app(streams.app)
        assert app.state.legacy_views_changed == {}
        assert "/countdown/{n}" in app.openapi()["paths"]
        flask_client = streams.app.test_client()
        with TestClient(app) as client:
            for method, path, query in REQUESTS:
                # Flask's answer is read whole first: while its stream is unread, the contexts
                # stream_with_context pushed stay on this thread, where the test client of the
                # generated app would find them (no server thread has any)
                with flask_client.open(path, method=method, query_string=query) as legacy_answer:
                    expected = (legacy_answer.status_code,
                                legacy_answer.headers.get("Content-Type"), legacy_answer.data)
                new = client.request(method, path, params=query)
                assert (new.status_code, new.headers.get("content-type"), new.content) == \
                    expected, (method, path, query)
            assert client.get("/rows.csv").text == "name,size\nant,1\nbee,2\ncat,3\n"
