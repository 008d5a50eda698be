"""A view name bound again before its rule is added: `view = login_required(view)`.

In a helper that takes the view (`def add_protected(rule, view): view = login_required(view);
app.add_url_rule(rule, view_func=view)`), the scan read `view_func=view` as the argument the
call passes, not as what the helper made of it: the route was listed `auto` with no decorator,
and convert wrote it without the login check (only the generated app's start-up check, which
finds the legacy app running another view, kept it on Flask). The same in a loop over views
(`for rule, view in VIEWS: view = login_required(view)`). A parameter bound again is now read
as that binding: the route has `login_required` wrapped at registration, which the converted
route runs (a guard: FM020). A loop variable bound again is not read (`scan.view_not_found`),
and a parameter bound again on some paths only (`if SECURE: view = login_required(view)`) is
`scan.conditional_view`: those routes stay on Flask. (Inside a registering decorator's
function, where no call gives the parameter, the scan crashed.)
"""

from __future__ import annotations

from pathlib import Path

from migrator.scan import scan_path
from tests.example_support import converted_snippet
from tests.scan_support import write_tree

GUARD = '''
import functools

from flask import Flask, abort, request

app = Flask(__name__)


def login_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.headers.get("X-User") is None:
            abort(401)
        return view(*args, **kwargs)
    return wrapper


def secret():
    return "secret"


def first():
    return "first"
'''

HELPER = GUARD + '''

def add_protected(rule, view):
    view = login_required(view)
    app.add_url_rule(rule, view_func=view)


add_protected("/secret", secret)
'''

CONDITIONAL = GUARD + '''
SECURE = True


def add_protected(rule, view):
    if SECURE:
        view = login_required(view)
    app.add_url_rule(rule, view_func=view)


add_protected("/secret", secret)
'''

LOOP = GUARD + '''

for rule, view in [("/secret", secret), ("/first", first)]:
    view = login_required(view)
    app.add_url_rule(rule, view_func=view)
'''
REGISTERING = GUARD + '''

def protected(rule, **options):
    def decorator(view):
        view = login_required(view)
        app.add_url_rule(rule, view_func=view, **options)
        return view
    return decorator


@protected("/secret")
def later():
    return "later"
'''


def test_a_view_a_helper_wraps_before_adding_it_keeps_the_wrapper(tmp_path: Path) -> None:
    [route] = scan_path(write_tree(tmp_path / "scanned", {"guarded/__init__.py": HELPER})).routes
    assert (route.rule, route.endpoint, route.decorators) == (
        "/secret", "secret", ["login_required"])
    assert [wrapper.code for wrapper in route.wrapped_at_registration] == ["login_required"]
    with converted_snippet(tmp_path, "guarded", HELPER, "guarded_fastapi") as (
            result, out, _legacy):
        assert [view.route.rule for view in result.converted] == ["/secret"]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert 'name="secret", dependencies=[Depends(dependencies.login_required)])' in router
        import guarded
        from guarded_fastapi.main import create_app
        from starlette.testclient import TestClient

        flask_client = guarded.app.test_client()
        with TestClient(create_app(guarded.app)) as client:
            for headers in ({}, {"X-User": "ada"}):
                new = client.get("/secret", headers=headers)
                old = flask_client.get("/secret", headers=headers)
                assert (new.status_code, new.content) == (old.status_code, old.data)
            assert client.get("/secret").status_code == 401


def test_a_loop_variable_bound_again_is_not_read_and_stays_on_flask(tmp_path: Path) -> None:
    routes = scan_path(write_tree(tmp_path, {"looped/__init__.py": LOOP})).routes
    assert sorted(route.rule for route in routes) == ["/first", "/secret"]
    for route in routes:
        assert route.status == "manual"
        assert any(reason.startswith("scan.view_not_found") for reason in route.reasons)


def test_a_parameter_bound_again_on_some_paths_only_is_a_conditional_view(tmp_path: Path
                                                                         ) -> None:
    """`if SECURE: view = login_required(view)`: which view Flask runs is decided at run time
    (the argument on the other path), so the route stays on Flask (`conditional_view`)."""
    [route] = scan_path(write_tree(tmp_path, {"maybe/__init__.py": CONDITIONAL})).routes
    assert route.status == "manual"
    assert any(reason.startswith("scan.conditional_view") for reason in route.reasons)


def test_a_decorator_that_wraps_the_view_before_adding_it_keeps_it_on_flask(tmp_path: Path
                                                                            ) -> None:
    """A registering decorator (test_scan_registering_decorator) whose function binds the view
    again before adding it (`view = login_required(view)`): Flask runs the wrapper, not the
    decorated function. Read as the decorated function, the route would convert without the
    login check; the registration is read as written instead (the rule `rule` unresolved:
    manual). Reading it so crashed the scan before: `view` is read before the function binds
    it again, and no call gives it."""
    [route] = scan_path(write_tree(tmp_path / "scanned", {"vault/__init__.py": REGISTERING})
                        ).routes
    assert route.status == "manual"
    with converted_snippet(tmp_path, "vault", REGISTERING, "vault_fastapi") as (
            result, _out, _legacy):
        assert not result.converted
