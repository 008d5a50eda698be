"""Flask-Principal's `permission.require(...)`: a known guard (FM021).

lemur guards its admin routes with `@admin_permission.require(http_exception=403)`, where
`admin_permission = Permission(RoleNeed("admin"))`; knowledge-repo writes
`@permissions.post_edit.require()`. The scan named the method
(`flask_principal.Permission.require`) and kept every such route on Flask: "its effect cannot
be shown".

Its effect is known (Flask-Principal 0.4.0's `IdentityContext`): the wrapper checks
`g.identity.can(permission)` (the identity Principal's `before_request` hook loaded), answers a
refusal with `abort(http_exception)` or raises `PermissionDenied` (which the app's error
handlers answer, a 500 without one), and otherwise calls the view unchanged. Such a route now
converts with the check as a route dependency around the permission object the project made,
run inside the legacy request context after the `before_request` hooks, as for Flask-HTTPAuth's
`auth.login_required`. The converted routes answer as Flask does, with and without the role.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.lint_support import new_lint_findings
from tests.scan_support import write_tree

PRINCIPAL_APP = '''
from flask import Flask, request
from flask.views import MethodView
from flask_principal import Identity, Permission, PermissionDenied, Principal, RoleNeed

app = Flask(__name__)
principal = Principal(app, use_sessions=False)
admin_permission = Permission(RoleNeed("admin"))
editor_permission = Permission(RoleNeed("editor"))
ROLES = {"ada": "admin", "bob": "editor"}


@principal.identity_loader
def identity_from_header():
    user = request.headers.get("X-User")
    if user not in ROLES:
        return None
    identity = Identity(user)
    identity.provides.add(RoleNeed(ROLES[user]))
    return identity


@app.errorhandler(PermissionDenied)
def denied(error):
    return {"error": "permission denied"}, 403


@app.get("/admin")
@admin_permission.require(http_exception=403)
def admin():
    return {"admin": True}


@app.get("/reports/<int:year>")
@editor_permission.require()
def reports(year):
    return {"year": year}


class Items(MethodView):
    decorators = [admin_permission.require(http_exception=401)]

    def get(self):
        return {"items": []}

    @editor_permission.require()
    def post(self):
        return {"posted": True}


app.add_url_rule("/items", view_func=Items.as_view("items"))
'''


def test_the_scan_reads_a_principal_permission_as_a_known_guard(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"app.py": PRINCIPAL_APP})
    routes = {route.rule: route for route in scan_path(root).routes}
    assert {rule: route.status for rule, route in routes.items()} == {
        "/admin": "assisted", "/reports/<int:year>": "assisted", "/items": "assisted"}
    [detail] = routes["/admin"].decorator_details
    assert (detail.qualified, detail.origin, detail.shape) == (
        "flask_principal.Permission.require", "external", "guard")
    assert "FM021 decorator:require (flask-principal): becomes a route dependency that runs " \
           "the same check inside the legacy request context" in routes["/admin"].reasons


def test_principal_permissions_convert_and_check_what_flask_checks(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "principal_app", PRINCIPAL_APP,
                           "principal_fastapi") as (result, out, legacy):
        assert sorted({view.route.rule for view in result.converted}) == [
            "/admin", "/items", "/reports/<int:year>"]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert "dependencies=[Depends(dependencies.admin_permission_require(" \
               "http_exception=403))]" in router
        assert "Depends(dependencies.editor_permission_require())" in router
        dependencies = (out / "dependencies.py").read_text(encoding="utf-8")
        assert "from principal_app import admin_permission as legacy_admin_permission_require" \
            in dependencies
        assert "return LegacyGuard(legacy_admin_permission_require.require(*args, **kwargs))" \
            in dependencies
        assert not new_lint_findings(out, legacy.parent, "principal_app")
        import principal_app
        from principal_fastapi.main import create_app

        flask_client = principal_app.app.test_client()
        with TestClient(create_app(principal_app.app)) as client:
            for method, path in [("GET", "/admin"), ("GET", "/reports/2024"),
                                 ("GET", "/items"), ("POST", "/items")]:
                for user in (None, "ada", "bob", "eve"):
                    headers = {"X-User": user} if user else {}
                    old = flask_client.open(path, method=method, headers=headers)
                    new = client.request(method, path, headers=headers)
                    assert (new.status_code, new.content) == (old.status_code, old.data), (
                        method, path, user)
            assert [client.get(path).status_code for path in (
                "/admin", "/reports/2024", "/items")] == [403, 403, 401]
            assert client.get("/admin", headers={"X-User": "ada"}).json() == {"admin": True}
