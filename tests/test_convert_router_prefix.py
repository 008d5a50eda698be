"""Each blueprint's router carries the blueprint's URL prefix (`APIRouter(prefix=...)`), and its
routes are written relative to it, as a FastAPI user would write them; the full paths served are
the Flask rules, whatever the prefix looks like."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from migrator.convert.render import router_prefix, to_fastapi_path
from migrator.model import Route
from tests.example_support import converted_snippet
from tests.lint_support import new_lint_findings

LEGACY = '''
from flask import Blueprint, Flask

shop = Blueprint("shop", __name__, url_prefix="/shop/")
localised = Blueprint("localised", __name__, url_prefix="/<lang>")
versioned = Blueprint("versioned", __name__)


@shop.get("")
def shop_root():
    return {"page": "root"}


@shop.get("/items/<int:item_id>")
def shop_item(item_id):
    # the item, as JSON
    return {"item": item_id}


@localised.get("/home")
def home(lang):
    return {"lang": lang}


@versioned.get("")
def version_root():
    return {"root": True}


@versioned.get("/status")
def status():
    return {"ok": True}


app = Flask(__name__)
app.register_blueprint(shop)
app.register_blueprint(localised)
app.register_blueprint(versioned, url_prefix="/v1")
app.register_blueprint(versioned, url_prefix="/v2", name="versioned2")


@app.get("/health")
def health():
    return {"status": "ok"}
'''


def route(rule: str) -> Route:
    return Route(rule=rule, methods=["GET"], endpoint="bp.view", blueprint="bp", app="a:app",
                 file="views.py", line=1, function="view")


@pytest.mark.parametrize(("url_prefix", "rules", "expected"), [
    ("/api/v1", ["/api/v1/items", "/api/v1/items/<int:id>"], "/api/v1"),
    ("/api/v1/", ["/api/v1/", "/api/v1/items"], "/api/v1"),  # a trailing slash is dropped
    ("/users", ["/users"], "/users"),  # a route at the prefix itself: path ""
    (None, ["/items"], ""),  # registered with no prefix
    ("/", ["/items"], ""),
    ("/<lang>", ["/<lang>/home"], ""),  # a rule parameter in the prefix: full paths
    ("/api", ["/api/v1/x", "/apiary"], ""),  # a route outside the prefix: full paths
    ("api", ["api/x"], ""),  # not a path FastAPI accepts as a prefix
])
def test_router_prefix(url_prefix: str | None, rules: list[str], expected: str) -> None:
    assert router_prefix(url_prefix, [route(rule) for rule in rules]) == expected


def test_a_route_at_the_prefix_itself_is_the_empty_path() -> None:
    assert to_fastapi_path(route("/users")).removeprefix("/users") == ""


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("prefixes")
    with converted_snippet(folder, "prefixed_app", LEGACY, "prefixed_fastapi") as (_, out, legacy):
        yield legacy, out


def router_lines(out: Path, module: str) -> list[str]:
    text = (out / "routers" / f"{module}.py").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.startswith(("router =", "@router."))]


def test_routers_carry_the_registered_prefix(converted) -> None:
    _legacy, out = converted
    assert router_lines(out, "shop") == [
        'router = APIRouter(prefix="/shop", tags=["shop"])',
        '@router.get("/", response_model=ShopRootOut, name="shop.shop_root")',
        '@router.get("/items/{item_id:int}", response_model=ShopItemOut, name="shop.shop_item")',
    ]
    # one router per registration, each with its own prefix; a route at the prefix itself is ""
    assert router_lines(out, "versioned") == [
        'router = APIRouter(prefix="/v1", tags=["versioned"])',
        '@router.get("", response_model=VersionRootOut, name="versioned.version_root")',
        '@router.get("/status", response_model=StatusOut, name="versioned.status")',
    ]
    assert router_lines(out, "versioned2") == [
        'router = APIRouter(prefix="/v2", tags=["versioned2"])',
        '@router.get("", response_model=VersionRootOut, name="versioned2.version_root")',
        '@router.get("/status", response_model=StatusOut, name="versioned2.status")',
    ]
    # a prefix with a rule parameter, and the app's own routes: full paths, no prefix
    assert router_lines(out, "localised") == [
        'router = APIRouter(tags=["localised"])',
        '@router.get("/{lang}/home", response_model=HomeOut, name="localised.home")',
    ]
    assert router_lines(out, "app_routes") == [
        'router = APIRouter(tags=["app"])',
        '@router.get("/health", response_model=HealthOut, name="health")',
    ]
    # the view's comment survives the move
    assert "    # the item, as JSON\n" in (out / "routers" / "shop.py").read_text(encoding="utf-8")


def test_the_generated_app_serves_the_flask_rules(converted) -> None:
    import prefixed_app
    from prefixed_fastapi.main import create_app

    app = create_app(prefixed_app.app)
    assert sorted(app.openapi()["paths"]) == [
        "/health", "/shop/", "/shop/items/{item_id}", "/v1", "/v1/status", "/v2", "/v2/status",
        "/{lang}/home"]
    flask_client = prefixed_app.app.test_client()
    with TestClient(app, base_url="http://localhost") as client:
        for path in ["/shop/", "/shop", "/shop/items/3", "/shop/items/x", "/fr/home",
                     "/v1", "/v1/", "/v2", "/v1/status", "/v2/status", "/v3/status", "/health"]:
            legacy = flask_client.get(path)
            new = client.get(path, follow_redirects=False)
            assert (new.status_code, new.content, new.headers.get("location")) == (
                legacy.status_code, legacy.data, legacy.headers.get("location")), path
    assert app.url_path_for("shop.shop_item", item_id=3) == "/shop/items/3"


def test_the_generated_package_passes_ruff(converted) -> None:
    legacy, out = converted
    assert not new_lint_findings(out, legacy, "prefixed_app")
