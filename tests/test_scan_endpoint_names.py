"""The endpoint Flask gives a view that a project decorator without `functools.wraps` wraps.

Flask names an endpoint after the `__name__` of the function it registers (`view_func.__name__`
where the rule gives no `endpoint=`): after the decorators below the route decorator ran. A
decorator that returns its own `def wrapper(*args, **kwargs)` makes the endpoint `wrapper`; one
that sets `responder.__name__ = f"get_{name}"` (beets' web plugin) makes it what it sets. The
scan listed every such route under the view function's own name, an endpoint Flask does not
have (`url_for` of it fails, and `--route` selections by endpoint missed it). It now reads the
name the decorator gives, checked here against the url_map of the same app imported by Flask;
where it cannot tell, it says so (`scan.unknown_endpoint`, with the file and line) and keeps the
function's name.
"""

from __future__ import annotations

from pathlib import Path

from migrator.scan import scan_path
from tests.realworld import beets_package, realworld_cache  # noqa: F401 (fixtures)
from tests.scan_support import registered_endpoints, write_tree

DECORATORS = '''
import functools


def logged(view):
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)
    return wrapper


def audited(view):
    def audit(*args, **kwargs):
        return view(*args, **kwargs)
    return audit


def renamed(view):
    def inner(*args, **kwargs):
        return view(*args, **kwargs)
    inner.__name__ = view.__name__
    return inner


def updated(view):
    def inner(*args, **kwargs):
        return view(*args, **kwargs)
    functools.update_wrapper(inner, view)
    return inner


def set_name(view):
    def inner(*args, **kwargs):
        return view(*args, **kwargs)
    setattr(inner, "__name__", "named_by_setattr")
    return inner


def wrapped(view):
    @functools.wraps(view)
    def inner(*args, **kwargs):
        return view(*args, **kwargs)
    return inner


def resource(name, patchable=False):
    """beets' form: the factory names the responder after its argument."""
    def make_responder(retriever):
        def responder(*args, **kwargs):
            return retriever(*args, **kwargs)
        responder.__name__ = f"get_{name}"
        return responder
    return make_responder


def tagged(label):
    def decorator(view):
        def inner(*args, **kwargs):
            return view(*args, **kwargs)
        inner.__name__ = label
        return inner
    return decorator


def prefixed(prefix):
    def decorator(view):
        def inner(*args, **kwargs):
            return view(*args, **kwargs)
        inner.__name__ = f"{prefix}_{view.__name__}"
        return inner
    return decorator


def roles(*names):
    """A factory taking `*names`: its decorator keeps the name (functools.wraps)."""
    def decorator(view):
        @functools.wraps(view)
        def inner(*args, **kwargs):
            return view(*args, **kwargs)
        return inner
    return decorator


def bare_roles(*names):
    def decorator(view):
        def role_checked(*args, **kwargs):
            return view(*args, **kwargs)
        return role_checked
    return decorator


DEBUG = False


def maybe_logged(view):
    """The view itself in debug mode, else a wrapper: which, the scan cannot tell."""
    if DEBUG:
        return view

    def logged_call(*args, **kwargs):
        return view(*args, **kwargs)
    return logged_call


class requires:
    def __init__(self, role):
        self.role = role

    def __call__(self, view):
        def checked(*args, **kwargs):
            return view(*args, **kwargs)
        return checked
'''

VIEWS = '''
from flask import Blueprint, Flask

from .decorators import (
    audited,
    bare_roles,
    logged,
    maybe_logged,
    prefixed,
    renamed,
    requires,
    resource,
    roles,
    set_name,
    tagged,
    updated,
    wrapped,
)

app = Flask(__name__)
items = Blueprint("items", __name__)


@app.route("/logged")
@logged
def logged_view():
    return "a"


@app.route("/renamed")
@renamed
def renamed_view():
    return "b"


@app.route("/updated")
@updated
def updated_view():
    return "c"


@app.route("/wrapped")
@wrapped
def wrapped_view():
    return "d"


@app.route("/explicit", endpoint="explicit")
@audited
def explicit_view():
    return "e"


@items.route("/item/<int:item_id>")
@resource("items", patchable=True)
def get_item(item_id):
    return str(item_id)


@items.route("/album/<int:album_id>")
@resource(name="albums")
def get_album(album_id):
    return str(album_id)


@app.route("/tagged")
@tagged("tag")
@renamed
def tagged_view():
    return "f"


@app.route("/inner-first")
@renamed
@tagged("inner")
def inner_first_view():
    return "g"


@app.route("/checked")
@requires("admin")
def checked_view():
    return "h"


@app.route("/prefixed")
@prefixed("p")
def prefixed_view():
    return "i"


@app.route("/setattr")
@set_name
def setattr_view():
    return "m"


@app.route("/roles")
@roles("admin", "editor")
def roles_view():
    return "n"


@app.route("/bare-roles")
@bare_roles("admin", "editor")
def bare_roles_view():
    return "o"


@app.route("/maybe")
@maybe_logged
def maybe_view():
    return "l"


def registered():
    return "j"


def registered_by_factory():
    return "k"


app.add_url_rule("/registered", view_func=audited(registered))
app.add_url_rule("/registered-by-factory", view_func=tagged("by_factory")(registered_by_factory))
app.register_blueprint(items, url_prefix="/items")
'''


def test_endpoints_are_named_as_flask_names_them(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"shop/__init__.py": "", "shop/decorators.py": DECORATORS,
                                 "shop/views.py": VIEWS})
    scan = scan_path(root)
    scanned = {route.rule: route.endpoint for route in scan.routes}
    registered = registered_endpoints(root, "shop.views", lambda views: views.app)
    assert registered["/logged"] == "wrapper"  # (the point of it all)
    assert registered["/items/item/<int:item_id>"] == "items.get_items"
    assert registered["/prefixed"] == "p_prefixed_view"  # (an f-string of the view's name)
    assert registered["/setattr"] == "named_by_setattr"
    # a factory taking `*names`: with functools.wraps, the view's name (no warning); without,
    # its wrapper's
    assert (registered["/roles"], registered["/bare-roles"]) == ("roles_view", "role_checked")
    # what the scan cannot read: a decorator returning the view or a wrapper, as configured;
    # said, with its place
    assert registered.pop("/maybe") == "logged_call"
    assert scanned.pop("/maybe") == "maybe_view"
    [unknown] = [d for d in scan.diagnostics if d.code == "scan.unknown_endpoint"]
    assert (unknown.file, unknown.line, unknown.message) == (
        "shop/views.py", 110,
        ("@maybe_logged on `maybe_view` returns a function whose name the scan cannot read, "
         "and Flask names the endpoint of @app.route(...) after it; listed as `maybe_view`"))
    assert scanned == registered


def test_beets_web_endpoints_are_the_names_its_resource_decorators_give(
        beets_package: Path,  # noqa: F811 (the fixture)
) -> None:
    """beets 2.14.1's web plugin (`beetsplug/web/__init__.py`): `@resource("items")` returns
    a responder named `get_items` (`responder.__name__ = f"get_{name}"`), `@resource_query`
    one named `query_items`, `@resource_list` one named `all_items`. The scan listed the first
    two under the view functions' names (`get_item`, `item_query`); beets is not run here (its
    dependencies are many), the names are those its source sets."""
    scan = scan_path(beets_package / "web")
    endpoints = {route.rule: route.endpoint for route in scan.routes
                 if route.app.endswith("web:app")}
    assert {rule: endpoints[rule] for rule in (
        "/item/<idlist:ids>", "/item/query/<query:queries>", "/item/",
        "/album/<idlist:ids>", "/album/query/<query:queries>", "/album/")} == {
        "/item/<idlist:ids>": "get_items", "/item/query/<query:queries>": "query_items",
        "/item/": "all_items", "/album/<idlist:ids>": "get_albums",
        "/album/query/<query:queries>": "query_albums", "/album/": "all_albums"}
    # views without such a decorator keep their own names
    assert endpoints["/item/<int:item_id>/file"] == "item_file"
    assert not [d for d in scan.diagnostics if d.code == "scan.unknown_endpoint"]
