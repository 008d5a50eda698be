"""`migrate convert` on httpbin from PyPI (a real Flask app nobody here wrote).

The generated package must import and build its OpenAPI schema; every route converted without a
TODO must answer a fixed request like httpbin itself (same status, same Content-Type, and for JSON
the same value once the fields that echo the client's own connection are dropped); and at least
70% of httpbin's routes must convert with no TODO.

httpbin runs on its own isolated site folder (tests/realworld.py), so both apps are driven from a
subprocess with that folder on its path.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from migrator.convert.run import convert_project
from tests.lint_support import new_lint_findings
from tests.realworld import httpbin_app, realworld_cache  # noqa: F401 (fixtures)

# A request per converted route: fixed query and body, the same headers from both clients.
PROBE = textwrap.dedent(r'''
    import gzip, json, re, sys, warnings, zlib
    import brotlicffi
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient
    import httpbin
    from migrated_httpbin import main

    routes = json.loads(sys.argv[1])
    app = main.create_app(httpbin.app)
    assert app.state.legacy_views_changed == {}, app.state.legacy_views_changed
    schema = app.openapi()
    fastapi_client = TestClient(app, base_url="http://localhost", follow_redirects=False)
    flask_client = httpbin.app.test_client()
    headers = {"User-Agent": "migrate-test", "Accept": "*/*", "X-Probe": "1"}
    # Answers that are random by design, or that echo what differs between the two clients.
    ECHO = {"origin", "headers"}
    RANDOM = {"/uuid", "/bytes/<int:n>", "/stream-bytes/<int:n>", "/range/<int:numbytes>",
              "/drip", "/image", "/image/png", "/image/jpeg", "/image/webp", "/image/svg",
              "/delay/<delay>", "/links/<int:n>/<int:offset>", "/links/<int:n>"}

    def decoded(raw, encoding):
        if encoding == "gzip":
            return gzip.decompress(raw)
        if encoding == "deflate":
            return zlib.decompress(raw)
        if encoding == "br":
            return brotlicffi.decompress(raw)
        return raw

    def sample(rule):
        values = {"int": "3", "float": "1.5", "path": "a/b", "uuid": "0" * 8 + "-0000-0000-0000-" + "0" * 12}
        def fill(m):
            conv, name = m.group(1), m.group(2)
            if name == "codes":
                return "418"
            if name in ("value", "etag"):
                return "abc"
            if name == "delay":
                return "0"
            return values.get(conv or "", "x")
        return re.sub(r"<(?:(\w+)(?:\(.*?\))?:)?(\w+)>", fill, rule)

    results = []
    for route in routes:
        method = route["methods"][0]
        path = sample(route["rule"]) + "?a=1&b=two"
        kwargs = {"headers": headers}
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            # the same bytes from both clients (httpbin echoes the raw body)
            body_headers = {**headers, "Content-Type": "application/json"}
            kwargs_flask = {"data": b'{"k": "v"}', "headers": body_headers}
            kwargs_fast = {"content": b'{"k": "v"}', "headers": body_headers}
        else:
            kwargs_flask = kwargs_fast = kwargs
        a = flask_client.open(path, method=method, **kwargs_flask)
        b = fastapi_client.request(method, path, **kwargs_fast)
        outcome = {"rule": route["rule"], "method": method, "path": path,
                   "status": [a.status_code, b.status_code],
                   "type": [a.headers.get("Content-Type"), b.headers.get("content-type")],
                   "encoding": [a.headers.get("Content-Encoding"),
                                b.headers.get("content-encoding")],
                   "same_body": None}
        # httpx decodes a compressed body (/gzip, /deflate, /brotli); Flask's client does not
        flask_body = decoded(a.get_data(), a.headers.get("Content-Encoding"))
        if route["rule"] not in RANDOM and (a.headers.get("Content-Type") or "").startswith("application/json"):
            def documents(raw):
                # one JSON document, or JSON lines (/stream/<n>)
                try:
                    docs = [json.loads(raw)]
                except ValueError:
                    docs = [json.loads(line) for line in raw.decode().splitlines() if line.strip()]
                for doc in docs:
                    if isinstance(doc, dict):
                        for key in ECHO:
                            doc.pop(key, None)
                return docs
            ja, jb = documents(flask_body), documents(b.content)
            outcome["same_body"] = ja == jb
            if ja != jb:
                outcome["bodies"] = [repr(ja)[:300], repr(jb)[:300]]
        results.append(outcome)
    print(json.dumps({"paths": len(schema["paths"]), "results": results}))
''')


def test_httpbin_converts_and_answers_alike(httpbin_app, tmp_path):  # noqa: F811
    out = tmp_path / "migrated_httpbin"
    result = convert_project(httpbin_app.scan_root, out)
    routes = {(v.route.rule, v.route.endpoint) for v in result.converted}
    total = len(routes) + len(result.left)
    without_todo = [v for v in result.converted if not v.todos]
    share = len({(v.route.rule, v.route.endpoint) for v in without_todo}) / total
    print(f"httpbin: {share * total:.0f} of {total} routes convert with no TODO ({share:.0%});"
          f" left on Flask: {[(lo.route.endpoint, lo.reasons) for lo in result.left]}")
    assert share >= 0.7
    manual = {r.endpoint for r in result.scan.routes if r.status == "manual"}
    assert {lo.route.endpoint for lo in result.left} == manual  # the scan predicted it

    routes = [{"rule": v.route.rule, "methods": v.route.methods} for v in without_todo]
    site = httpbin_app.pythonpath[0]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(routes)], capture_output=True, text=True,
        check=False, timeout=600,
        env={"PYTHONPATH": f"{site}:{tmp_path}", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr[-4000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["paths"] >= len({r["rule"] for r in routes})  # every route is in the schema
    problems = [r for r in report["results"]
                if r["status"][0] != r["status"][1] or r["type"][0] != r["type"][1]
                or r["encoding"][0] != r["encoding"][1] or r["same_body"] is False]
    assert not problems, json.dumps(problems, indent=1)
    assert len(report["results"]) == len(without_todo)

    lint = new_lint_findings(out, httpbin_app.scan_root, "httpbin")
    assert not lint, "\n".join(lint)
