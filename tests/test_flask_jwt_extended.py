"""flask-jwt-extended's `@jwt_required(...)` becomes a route dependency (FM021).

It kept every route it guards on Flask ("from flask_jwt_extended.jwt_required; its effect cannot
be shown"), and it guards most token-based Flask APIs. Its wrapper is a guard:
`verify_jwt_in_request(optional, fresh, refresh, ...)`, which raises where the request has no
valid token (the JWTManager's error handlers on the app answer 401 or 422) and otherwise stores
the token on `g`, then `current_app.ensure_sync(view)(*args, **kwargs)`. As a dependency it runs
inside the legacy request context, before the endpoint, so the answers are the legacy ones and
`get_jwt_identity()` in the view reads what the check stored. The `Authorization` header it
reads is documented in OpenAPI (as flask-httpauth's is).
"""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.example_support import converted_snippet, paths_the_legacy_mount_serves
from tests.lint_support import new_lint_findings

LEGACY = '''
from flask import Flask, jsonify, request
from flask_jwt_extended import (
    JWTManager,
    create_access_token,
    create_refresh_token,
    get_jwt,
    get_jwt_identity,
    jwt_required,
)

app = Flask(__name__)
app.config["JWT_SECRET_KEY"] = "test-secret-that-is-long-enough-for-hs256"
jwt = JWTManager(app)


@app.post("/login")
def login():
    data = request.get_json(silent=True) or {}
    if data.get("password") != "pw":
        return jsonify(msg="bad credentials"), 401
    return {"access": create_access_token(data["username"], fresh=data.get("fresh", False)),
            "refresh": create_refresh_token(data["username"])}


@app.get("/me")
@jwt_required()
def me():
    """Who the token says the caller is."""
    return {"user": get_jwt_identity()}


@app.get("/maybe")
@jwt_required(optional=True)
def maybe():
    return {"user": get_jwt_identity()}


@app.post("/password")
@jwt_required(fresh=True)
def change_password():
    return {"changed_for": get_jwt_identity(), "fresh": get_jwt()["fresh"]}


@app.post("/refresh")
@jwt_required(refresh=True)
def refresh():
    return {"access": create_access_token(get_jwt_identity())}
'''


def test_jwt_required_becomes_a_dependency_answering_as_flask(tmp_path, monkeypatch):
    with converted_snippet(tmp_path, "jwt_app", LEGACY, "jwt_fastapi") as (result, out, legacy):
        scanned = {r.endpoint: r for r in result.scan.routes}
        assert scanned["me"].reasons[0].startswith("FM021 decorator:jwt_required")
        assert not result.left
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert ('@router.get("/me", response_model=MeOut, name="me", '
                'dependencies=[Depends(dependencies.jwt_required())])\n@bridge.route\n'
                'def me():\n    """Who the token says the caller is."""\n') in router
        assert "dependencies.jwt_required(optional=True)" in router
        assert "dependencies.jwt_required(fresh=True)" in router
        assert "dependencies.jwt_required(refresh=True)" in router
        dependencies = (out / "dependencies.py").read_text(encoding="utf-8")
        assert "from flask_jwt_extended import jwt_required as legacy_jwt_required" in \
            dependencies
        assert not new_lint_findings(out, legacy.parent, "jwt_app")

        import jwt_app
        from jwt_fastapi.main import create_app

        new_app = create_app(jwt_app.app)
        # the header the check reads is documented (read, never required: the check decides)
        schema = new_app.openapi()
        assert schema["components"]["securitySchemes"]["Authorization"] == {
            "type": "apiKey", "in": "header", "name": "Authorization"}
        assert schema["paths"]["/me"]["get"]["security"] == [{"Authorization": []}]
        assert "security" not in schema["paths"]["/login"]["post"]
        flask_client = jwt_app.app.test_client()
        with jwt_app.app.app_context():
            from flask_jwt_extended import create_access_token, create_refresh_token
            stale = create_access_token("ann")
            fresh = create_access_token("ann", fresh=True)
            renew = create_refresh_token("ann")

        def bearer(token):
            return {"Authorization": f"Bearer {token}"}

        cases = [
            ("POST", "/login", {"json": {"username": "ann", "password": "pw"}}),
            ("POST", "/login", {"json": {"username": "ann", "password": "no"}}),
            ("GET", "/me", {}), ("GET", "/me", {"headers": bearer(stale)}),
            ("GET", "/me", {"headers": bearer("not.a.token")}),
            ("GET", "/me", {"headers": {"Authorization": "Basic abc"}}),
            ("GET", "/me", {"headers": bearer(renew)}),  # a refresh token: 422
            ("GET", "/maybe", {}), ("GET", "/maybe", {"headers": bearer(stale)}),
            ("POST", "/password", {"headers": bearer(stale)}),  # not fresh: 401
            ("POST", "/password", {"headers": bearer(fresh)}),
            ("POST", "/refresh", {"headers": bearer(stale)}),  # an access token: 422
            ("POST", "/refresh", {}),
        ]
        mounted = paths_the_legacy_mount_serves(monkeypatch, "jwt_fastapi")
        with TestClient(new_app, base_url="http://localhost") as client:
            for method, path, options in cases:
                old = flask_client.open(path, method=method, **options)
                new = client.request(method, path, **options)
                if path == "/login" and old.status_code == 200:  # tokens carry their time
                    assert new.status_code == 200 and set(new.json()) == set(old.get_json())
                    continue
                assert (new.status_code, new.headers.get("content-type"), new.content) == (
                    old.status_code, old.headers.get("content-type"), old.get_data()), (
                    method, path, options)
            assert client.get("/me", headers=bearer(stale)).json() == {"user": "ann"}
            assert client.get("/me").status_code == 401
            # a refreshed access token works on the converted routes
            access = client.post("/refresh", headers=bearer(renew)).json()["access"]
            assert client.get("/me", headers=bearer(access)).json() == {"user": "ann"}
        assert mounted == []
