"""The scanner computes rules, methods and endpoints exactly as Flask does.

Each case is a small Flask package written to a temporary folder; the test scans it statically and
also builds the real app in a subprocess (tests/runtime_urlmap.py), then compares the two sets of
(rule, methods without HEAD/OPTIONS, endpoint).
"""

from __future__ import annotations

import pytest

from migrator.scan import scan_path
from tests.runtime_urlmap import runtime_url_map
from tests.scan_support import describe_difference, scanned_keys, write_tree

CASES: dict[str, dict[str, str]] = {
    "nested blueprints, prefixes at construction and registration, name override": {
        "shop/__init__.py": """
            from flask import Flask
            from .api import api_bp
            from .admin import admin_bp

            def create_app():
                app = Flask(__name__)
                app.register_blueprint(api_bp, url_prefix="/api/v1/")
                app.register_blueprint(admin_bp)
                app.register_blueprint(admin_bp, name="admin2", url_prefix="/second")
                return app
        """,
        "shop/api.py": """
            from flask import Blueprint
            from shop.reviews import reviews_bp

            api_bp = Blueprint("api", __name__)
            api_bp.register_blueprint(reviews_bp, url_prefix="reviews")

            @api_bp.route("/")
            def index():
                return {}

            @api_bp.route("items/<int:item_id>", methods=("get", "Put"))
            def item(item_id):
                return {}
        """,
        "shop/reviews.py": """
            import flask

            reviews_bp = flask.Blueprint("reviews", __name__, url_prefix="/ignored")

            @reviews_bp.post("")
            def create():
                return {}

            @reviews_bp.delete("/<uuid:rid>")
            def remove(rid):
                return {}
        """,
        "shop/admin.py": """
            from flask import Blueprint

            admin_bp = Blueprint("admin", __name__, url_prefix="/admin")

            @admin_bp.route("", strict_slashes=False)
            def dashboard():
                return ""

            @admin_bp.route("/pages/<path:page>/", endpoint="page")
            def show_page(page):
                return ""
        """,
    },
    "constants from another module, f-strings, loops with tuple unpacking": {
        "app2/__init__.py": """
            from flask import Flask
            from . import views, settings
            from .settings import API, VERBS

            app = Flask(__name__)
            for blueprint, prefix in [(views.bp, f"{API}/things"), (views.other, None)]:
                app.register_blueprint(blueprint, url_prefix=prefix)

            for bp in (views.third,):
                app.register_blueprint(bp)

            @app.route(settings.HEALTH, methods=VERBS)
            def health():
                return "ok"
        """,
        "app2/settings.py": """
            API = "/api" + "/v2"
            HEALTH = API + "/health"
            VERBS = ["GET", "POST"] + ["PATCH"]
        """,
        "app2/views.py": """
            from flask import Blueprint

            bp = Blueprint("things", __name__)
            other = Blueprint("other", __name__, url_prefix="/other")
            third = Blueprint("third", __name__)

            @bp.get("/<name>")
            def show(name):
                return name

            @other.put("/<float:x>")
            def put(x):
                return ""

            @third.route("/third")
            def t():
                return ""
        """,
    },
    "MethodView inheritance, View with methods, add_url_rule forms, route()(view)": {
        "views_app.py": """
            from flask import Flask
            from flask.views import MethodView, View
            from functools import wraps

            def login_required(f):
                @wraps(f)
                def inner(*a, **k):
                    return f(*a, **k)
                return inner

            class Base(MethodView):
                def get(self):
                    return ""

            class Items(Base):
                decorators = [login_required]

                def post(self):
                    return ""

            class Fixed(MethodView):
                methods = ["PATCH"]

                def get(self):
                    return ""

            class Plain(View):
                methods = ["GET", "POST"]

                def dispatch_request(self):
                    return ""

            class PlainDefault(View):
                def dispatch_request(self):
                    return ""

            def legacy():
                return ""

            def other():
                return ""

            app = Flask(__name__)
            app.add_url_rule("/items", view_func=Items.as_view("items"))
            app.add_url_rule("/fixed", "fixed_ep", Fixed.as_view("fixed"))
            app.add_url_rule("/plain", view_func=Plain.as_view("plain"))
            app.add_url_rule("/plain-default", view_func=PlainDefault.as_view("pd"))
            app.add_url_rule("/legacy", view_func=login_required(legacy), methods=["DELETE"])
            app.add_url_rule("/rule-only", endpoint="rule_only")
            app.route("/other/<int:n>", methods=["POST"])(other)
            items_view = Items.as_view("items_alias")
            app.add_url_rule("/items-alias", view_func=items_view)
        """,
    },
    "factory with local imports, blueprint static folder": {
        "siteapp/__init__.py": """
            def create_app(config=None):
                from flask import Flask
                app = Flask(__name__)
                from .pages import pages
                app.register_blueprint(pages, url_prefix="/p")

                @app.get("/")
                def home():
                    return ""
                return app
        """,
        "siteapp/pages.py": """
            from flask import Blueprint
            pages = Blueprint("pages", __name__, static_folder="assets", template_folder="t")

            @pages.route("/<string:slug>")
            def page(slug):
                return slug
        """,
        "siteapp/assets/readme.txt": "static file\n",
    },
    "blueprint factories registered by calling them (changedetection.io's pattern)": {
        "watch/__init__.py": """
            from flask import Flask
            from . import tags, settings
            from .pwa import construct_pwa_blueprint

            def create_app(datastore=None):
                app = Flask(__name__)
                app.register_blueprint(tags.construct_blueprint(datastore), url_prefix="/tags")
                app.register_blueprint(
                    settings.construct_blueprint(datastore=datastore),
                    url_prefix="/settings",
                )
                app.register_blueprint(construct_pwa_blueprint(), url_prefix="")
                return app
        """,
        "watch/tags.py": """
            from flask import Blueprint

            def construct_blueprint(datastore):
                tags_blueprint = Blueprint("tags", __name__)

                @tags_blueprint.route("/list")
                def tags_overview():
                    return str(datastore)

                @tags_blueprint.post("/<string:uuid>/delete")
                def delete(uuid):
                    return uuid

                return tags_blueprint
        """,
        "watch/settings.py": """
            from flask import Blueprint
            from .notifications import construct_notifications_blueprint

            def construct_blueprint(datastore):
                settings_blueprint = Blueprint("settings", __name__)
                settings_blueprint.register_blueprint(
                    construct_notifications_blueprint(datastore), url_prefix="/notifications")

                @settings_blueprint.route("", methods=["GET", "POST"])
                def settings_page():
                    return ""

                return settings_blueprint
        """,
        "watch/notifications.py": """
            import flask

            def construct_notifications_blueprint(datastore):
                bp = flask.Blueprint("notifications", __name__)

                @bp.route("/test", methods=["POST"])
                def send_test():
                    return ""
                return bp
        """,
        "watch/pwa.py": """
            from flask import Blueprint

            pwa_blueprint = Blueprint("pwa", __name__)

            @pwa_blueprint.route("/manifest.json")
            def manifest():
                return {}

            def construct_pwa_blueprint():
                return pwa_blueprint
        """,
    },
    "str.format rules in a loop over a module constant (calibreweb's web.py)": {
        "books/__init__.py": """
            from flask import Flask
            from .web import web

            app = Flask(__name__)
            app.register_blueprint(web, url_prefix="/{}".format("v1"))
        """,
        "books/web.py": """
            from flask import Blueprint

            VERSION = 2
            web = Blueprint("web", __name__)


            def books_list(data, sort_param, page=1):
                return data


            data = ["rated", "hot", "new{}".format(VERSION)]
            for d in data:
                web.add_url_rule('/{}/<sort_param>'.format(d), view_func=books_list,
                                 endpoint="list_{}".format(d))
                web.add_url_rule('/{0}/<sort_param>/<int:page>'.format(d),
                                 endpoint="page_{name}".format(name=d), view_func=books_list)
            web.add_url_rule("/{:03d}".format(7), endpoint="padded", view_func=books_list)
        """,
    },
    "f-strings and str() of numbers (an API version kept as an int)": {
        "versioned/__init__.py": """
            from flask import Flask
            from .settings import API_VERSION, RATIO

            app = Flask(__name__)
            PREFIX = f"/api/v{API_VERSION}"


            @app.route(f"{PREFIX}/items")
            def items():
                return ""


            @app.route("/v" + str(API_VERSION) + "/y")
            def y():
                return ""


            @app.route(f"/ratio/{RATIO}/{API_VERSION:03d}/{'q'!r}/{{braces}}")
            def ratio():
                return ""
        """,
        "versioned/settings.py": """
            API_VERSION = 2
            RATIO = 1.5
        """,
    },
    "a function that adds rules to the app or blueprint it is given, called several times": {
        # Flask's own docs (Method Views and APIs) register a model's API with `register_api`;
        # FlaskBB registers every view with `register_view(bp, routes=[...], view_func=...)`.
        # Each call adds its own rules to its own object, with its own arguments.
        "forum/__init__.py": """
            from flask import Flask
            from .helpers import mount, register_api, register_view
            from .views import ItemAPI, GroupAPI, Profile, Settings
            from . import users

            app = Flask(__name__)
            register_api(app, "users")
            register_api(app, name="stories")
            register_view(users.bp, routes=["/<username>", "/u/<username>"],
                          view_func=Profile.as_view("profile"))
            register_view(users.bp, ["/settings"], Settings.as_view("settings"),
                          methods=["GET", "POST"])
            register_view(app, routes=("/settings",), view_func=Settings.as_view("top_settings"))
            app.register_blueprint(users.bp, url_prefix="/user")
            mount(app, users.admin, "/admin")
            mount(app, bp=users.admin, prefix="/staff", name="staff")
        """,
        "forum/helpers.py": """
            def register_api(app, name):
                item = ItemAPI.as_view(f"{name}-item")
                group = GroupAPI.as_view(f"{name}-group")
                app.add_url_rule(f"/{name}/<int:id>", view_func=item)
                app.add_url_rule(f"/{name}/", view_func=group)


            def register_view(bp_or_app, routes, view_func, *args, **kwargs):
                for route in routes:
                    bp_or_app.add_url_rule(route, view_func=view_func, *args, **kwargs)


            def mount(app, bp, prefix, **options):
                app.register_blueprint(bp, url_prefix=prefix, **options)


            from .views import GroupAPI, ItemAPI
        """,
        "forum/users.py": """
            from flask import Blueprint

            bp = Blueprint("users", __name__)
            admin = Blueprint("admin", __name__)


            @admin.route("/ban/<int:user_id>", methods=["POST"])
            def ban(user_id):
                return ""
        """,
        "forum/views.py": """
            from flask.views import MethodView


            class ItemAPI(MethodView):
                def get(self, id):
                    return ""

                def patch(self, id):
                    return ""


            class GroupAPI(MethodView):
                def get(self):
                    return ""

                def post(self):
                    return ""


            class Profile(MethodView):
                def get(self, username):
                    return username


            class Settings(MethodView):
                methods = ["GET"]

                def get(self):
                    return ""

                def post(self):
                    return ""
        """,
    },
    "blueprints and an app made by helpers that return the call (knowledge-repo's get_blueprint)": {
        "kr/__init__.py": """
            from flask import Flask
            from .util import make_app
            from .routes import stats, health, api

            app = make_app()
            app.register_blueprint(stats.blueprint)
            app.register_blueprint(health.blueprint, url_prefix="/ops")
            app.register_blueprint(api.v1)
            app.register_blueprint(api.v2)

            @app.get("/")
            def home():
                return ""
        """,
        "kr/util.py": """
            from flask import Blueprint, Flask

            API = "/api"

            def make_app():
                return Flask(__name__)

            def get_blueprint(name, import_name):
                return Blueprint(
                    name,
                    import_name,
                    template_folder='../templates',
                    static_folder='../static')

            def versioned(name, version=1, *, root=API):
                return Blueprint(f"{name}_v{version}", __name__, url_prefix=f"{root}/v{version}")
        """,
        "kr/routes/__init__.py": "",
        "kr/routes/stats.py": """
            from ..util import get_blueprint

            blueprint = get_blueprint('stats', __name__)

            @blueprint.route('/stats', methods=['GET'])
            def stats():
                return ""
        """,
        "kr/routes/health.py": """
            from kr import util

            blueprint = util.get_blueprint(import_name=__name__, name='health')

            @blueprint.get('/health')
            def health():
                return "OK"
        """,
        "kr/routes/api.py": """
            from ..util import versioned

            v1 = versioned("items")
            v2 = versioned("items", 2, root="/rest")

            @v1.get("/items")
            @v2.get("/items")
            def items():
                return []
        """,
    },
    "blueprints and rules registered through functools.partial in a loop (OctoPrint's registrators)": {
        "ops/__init__.py": """
            import functools
            from functools import partial

            from flask import Blueprint, Flask

            api = Blueprint("api", __name__)
            v2 = Blueprint("v2", __name__, url_prefix="/unused")


            @api.get("/version")
            def version():
                return {"version": 1}


            @v2.get("/items")
            def items():
                return []


            def ping():
                return "pong"


            def create_app():
                app = Flask(__name__)
                registrators = [
                    functools.partial(app.register_blueprint, api, url_prefix="/api"),
                    partial(app.add_url_rule, "/ping", "ping", ping, methods=["GET", "POST"]),
                ]
                for registrator in registrators:
                    registrator()
                # the call's own keywords win over the partial's
                for register in [partial(app.register_blueprint, v2, url_prefix="/old")]:
                    register(url_prefix="/v2")
                return app
        """,
    },
}

APP_SPECS = {
    "nested blueprints, prefixes at construction and registration, name override": "shop:create_app",
    "constants from another module, f-strings, loops with tuple unpacking": "app2:app",
    "MethodView inheritance, View with methods, add_url_rule forms, route()(view)": "views_app:app",
    "factory with local imports, blueprint static folder": "siteapp:create_app",
    "blueprint factories registered by calling them (changedetection.io's pattern)":
        "watch:create_app",
    "str.format rules in a loop over a module constant (calibreweb's web.py)": "books:app",
    "a function that adds rules to the app or blueprint it is given, called several times":
        "forum:app",
    "f-strings and str() of numbers (an API version kept as an int)": "versioned:app",
    "blueprints and an app made by helpers that return the call (knowledge-repo's get_blueprint)":
        "kr:app",
    "blueprints and rules registered through functools.partial in a loop (OctoPrint's registrators)":
        "ops:create_app",
}


@pytest.mark.parametrize("case", list(CASES))
def test_scan_matches_runtime_url_map(case, tmp_path):
    root = write_tree(tmp_path / "src", CASES[case])
    runtime = runtime_url_map(APP_SPECS[case], pythonpath=[root])
    scanned = scanned_keys(root)
    assert scanned == runtime, f"{case}:\n{describe_difference(scanned, runtime)}"


def test_options_a_registration_helper_passes_on_keep_their_meaning(tmp_path):
    """`register_view(bp, ["/x"], view, strict_slashes=False)` with `**kwargs` passed on to
    `add_url_rule`: the option is the call's, as a literal (a route that lost it would redirect
    `/x/` where Flask answers it); a helper given nothing for `**kwargs` adds no option."""
    root = write_tree(tmp_path / "src", {"site/__init__.py": """
        from flask import Flask

        def register_view(app, routes, view_func, **kwargs):
            for route in routes:
                app.add_url_rule(route, view_func=view_func, **kwargs)

        def page():
            return ""

        app = Flask(__name__)
        register_view(app, ["/loose"], page, strict_slashes=False, endpoint="loose")
        register_view(app, ["/plain"], page)
        register_view(app, ["/sub"], page, endpoint="sub", subdomain=None)
    """})
    routes = {route.rule: route for route in scan_path(root).routes}
    assert routes["/loose"].strict_slashes is False and routes["/loose"].endpoint == "loose"
    assert routes["/plain"].strict_slashes is None and routes["/plain"].endpoint == "page"
    assert [route.rule_options for route in routes.values()] == [{}, {}, {}]
    assert [routes[rule].status for rule in ("/loose", "/plain", "/sub")] == \
        ["assisted", "auto", "auto"]  # strict_slashes=False: both forms registered


def test_f_strings_the_scan_does_not_evaluate(tmp_path):
    """An f-string with a huge or computed width, a `{x=}` or a value that is not a plain
    constant is left unresolved (listed, manual): the scan builds no huge string."""
    root = write_tree(tmp_path / "src", {"wide/__init__.py": """
        from flask import Flask

        N = 1
        WIDTH = 5
        ITEMS = ["a"]
        app = Flask(__name__)


        @app.route(f"/{N:>999999999}")
        def huge():
            return ""


        @app.route(f"/{N:{WIDTH}}")
        def computed_width():
            return ""


        @app.route(f"/{N=}")
        def debug():
            return ""


        @app.route(f"/{ITEMS}")
        def a_list():
            return ""
    """})
    routes = scan_path(root).routes
    assert len(routes) == 4
    assert all(route.rule.startswith("<unresolved") and route.status == "manual"
               for route in routes), [route.rule for route in routes]
