"""Flask-Classful's routes, made from a `FlaskView` subclass's methods by `register`.

`QuotesView.register(app)` adds a rule per public method (`index`, `get`, `post`, ... on the
class's route base; any other method on `/<name>/`; `@route(...)` rules as written), under the
endpoint `<Class>:<method>`. The scan listed none of them, with a `scan.extension_routes`
warning. It now builds them as `register` does (flask_classful 0.16.0; scan/classful.py), and
lists them `manual`: Flask-Classful calls the method on an instance it made, through its proxy
(the class's before_/after_ hooks, its representations), so they stay on Flask. The ground truth
is the url_map of the app, built with the real Flask-Classful.
"""

from __future__ import annotations

from pathlib import Path

import jsonschema

from migrator.scan import scan_path
from tests.runtime_urlmap import runtime_url_map
from tests.scan_support import write_tree
from tests.test_cli_scan import SCHEMA

SHOP_INIT = '''
from flask import Blueprint, Flask

from .views import AdminView, ItemsView, OrdersView, ReportsView, UserOrdersView

app = Flask(__name__)
ItemsView.register(app)
OrdersView.register(app, route_base="/orders", trailing_slash=False)
UserOrdersView.register(app)
ReportsView.register(app, route_prefix="/api/", method_dashified=True, strict_slashes=False)

admin = Blueprint("admin", __name__, url_prefix="/admin")
AdminView.register(admin, route_base="panel")
app.register_blueprint(admin)
'''

SHOP_VIEWS = '''
from __future__ import annotations

import uuid

import functools

from flask_classful import FlaskView, method, route

from .base import BaseView


def logged(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    return wrapper


class ItemsView(BaseView):
    """index/get/post/put/patch/delete, a named method, one with a default (a query argument,
    not a rule part), typed arguments (not read here: `from __future__ import annotations`)."""
    excluded_methods = ["helper"]

    def index(self):
        return "items"

    def get(self, item_id: int):
        return f"item {item_id}"

    def post(self):
        return "made"

    def put(self, item_id):
        return "put"

    def patch(self, item_id):
        return "patched"

    def delete(self, item_id):
        return "deleted"

    def recent(self, count=10):
        return "recent"

    def helper(self):
        return "not a route"

    def _private(self):
        return "not a route"

    def before_index(self):
        return None

    @classmethod
    def build(cls):
        return cls

    @property
    def thing(self):
        return 1

    @route("/search/<term>/", methods=["GET", "POST"])
    @route("/find/<term>", endpoint="items_find")
    def search(self, term):
        return term

    @method("POST")
    @method("PUT")
    def touch(self, item_id):
        return "touched"

    @route("/offline.html")
    @logged
    def offline():  # no `self`: `register` reads no arguments of a method with `@route` rules
        return "offline"


class OrdersView(FlaskView):
    route_prefix = "/shop"

    def index(self):
        return "orders"

    def get(self, order_id):
        return order_id

    def cancel(self, order_id, reason=None):
        return "cancelled"


class UserOrdersView(FlaskView):
    route_base = "/users/<user_id>/orders"
    default_methods = ["GET", "POST"]

    def index(self, user_id):
        return user_id

    def latest(self, user_id, count):
        return count


class ReportsView(FlaskView):
    decorators = []

    def monthly_totals(self, year, month):
        return "totals"

    def get(self, report_id):
        return report_id


class AdminView(FlaskView):
    def index(self):
        return "admin"

    def user_details(self, uid: uuid.UUID):
        return str(uid)
'''

SHOP_BASE = '''
import uuid

from flask_classful import FlaskView


class BaseView(FlaskView):
    def health(self):
        return "ok"

    def typed(self, number: int, ratio: float, key: uuid.UUID, name: str):
        return "typed"
'''


def test_the_scan_lists_the_rules_flask_classful_makes(tmp_path: Path) -> None:
    """Special methods, named methods with arguments (a default makes a query argument, not a
    rule part), `@route` twice (`_0`/`_1` endpoints, an `endpoint=`), `@route` on a method without `self`,
    `@method`, `excluded_methods`,
    `before_`/`_private` methods, a classmethod and a property (no rules), methods inherited
    from a project base class, type hints as converters (none under `from __future__ import
    annotations`), `route_base` with a rule argument, `route_prefix` on the class and given to
    `register`, `trailing_slash=False`, `method_dashified=True`, `default_methods`, a rule
    option (`strict_slashes=False`) and a blueprint."""
    root = write_tree(tmp_path / "shop_root", {"shop/__init__.py": SHOP_INIT,
                                               "shop/views.py": SHOP_VIEWS,
                                               "shop/base.py": SHOP_BASE})
    result = scan_path(root)
    scanned = {(route.rule, frozenset(route.methods), route.endpoint) for route in result.routes}
    runtime = runtime_url_map("shop:app", pythonpath=[root])
    assert len(runtime) == 22
    assert scanned == runtime
    assert result.diagnostics == []
    by_endpoint = {route.endpoint: route for route in result.routes}
    typed = by_endpoint["ItemsView:typed"]
    assert typed.rule == "/items/typed/<int:number>/<float:ratio>/<uuid:key>/<string:name>/"
    assert (typed.file, typed.line, typed.function) == ("shop/base.py", 10, "BaseView.typed")
    assert by_endpoint["ItemsView:get"].rule == "/items/<item_id>/"  # a string annotation
    assert by_endpoint["ReportsView:get"].strict_slashes is False
    assert all(route.kind == "flask_classful" and route.status == "manual"
               for route in result.routes)
    assert by_endpoint["admin.AdminView:index"].reasons[0].startswith(
        "flask_classful: Flask-Classful calls the method on an instance it made at registration")
    jsonschema.validate(result.to_json(), SCHEMA)  # the new `kind` is in the documented schema


UNREAD = '''
from flask import Flask
from flask_classful import FlaskView

app = Flask(__name__)


class CustomBaseView(FlaskView):
    @classmethod
    def build_rule(cls, rule, method=None):
        return "/custom" + rule

    def index(self):
        return "custom"


class ConfiguredView(FlaskView):
    def index(self):
        return "configured"


class StaticView(FlaskView):
    @staticmethod
    def ping():
        return "pong"


CustomBaseView.register(app)
ConfiguredView.register(app, route_base=app.config["BASE"])
'''


def test_rules_the_scan_cannot_build_are_named_not_guessed(tmp_path: Path) -> None:
    """A class that overrides how Flask-Classful builds rules, a route base known at run time,
    and a staticmethod (`register` raises DecoratorCompatibilityError): no rules, a warning
    each."""
    root = write_tree(tmp_path / "unread", {"unread_app.py": UNREAD + "StaticView.register(app)\n"})
    result = scan_path(root)
    assert result.routes == []
    assert [(d.code, d.line) for d in result.diagnostics] == [
        ("scan.extension_routes", 27), ("scan.extension_routes", 28),
        ("scan.extension_routes", 29)]
    messages = [d.message for d in result.diagnostics]
    assert "CustomBaseView.build_rule changes how Flask-Classful builds them" in messages[0]
    assert "app.config" in messages[1]
    assert "Flask-Classful refuses StaticView.ping" in messages[2]
