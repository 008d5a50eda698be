"""The scan's reasons promise only what convert does.

`validator:NAME`:

FM010 reads a Pydantic model from a helper that the view gives its JSON body (or a field of
it). A helper given form fields, query values or nothing of the request (an auth check named
`check_*`) keeps running in the view unchanged: nothing for a person to review, so it makes no
`assisted` verdict. Found on the ironic-inspector and wikmd hand runs: `check_auth` and form
validators were listed as "the helper's checks become Pydantic constraints", and convert wrote
no model for them.

`static`: a blueprint's static route was `assisted`, "the blueprint's static folder becomes a
StaticFiles mount", while convert leaves it on Flask (`convert.kind_static`; anitya's hand run):
it is `manual` now, and says Flask keeps serving the files. `schema:NAME` no longer says the
schema "becomes a Pydantic model" where it loads query values (terracotta's hand run): FM011
reads one only from a `load` of the JSON body or a `dump` of the answer.
"""

from __future__ import annotations

from migrator.convert.run import convert_project
from migrator.scan import scan_path
from tests.scan_support import write_tree

VALIDATION = '''
def validate_item(data):
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return False, "name is required"
    return True, ""


def check_token(value):
    return value == "secret"
'''

VIEWS = '''
from flask import Flask, abort, jsonify, request

from .validation import check_token, validate_item

app = Flask(__name__)


@app.post("/items")
def create_item():
    data = request.get_json(silent=True)
    ok, message = validate_item(data)
    if not ok:
        return jsonify(error=message), 400
    return jsonify(name=data["name"]), 201


@app.post("/items/form")
def create_item_from_form():
    ok, message = validate_item(request.form.to_dict())
    if not ok:
        return message, 400
    return "created", 201


@app.get("/secret")
def secret():
    if not check_token(request.args.get("token")):
        abort(403)
    return "s"
'''


def write_shop(root):
    return write_tree(root, {"shop/__init__.py": VIEWS, "shop/validation.py": VALIDATION})


def test_a_validator_given_the_json_body_is_assisted_and_gets_its_model(tmp_path):
    write_shop(tmp_path / "legacy")
    routes = {r.rule: r for r in scan_path(tmp_path / "legacy").routes}
    create = routes["/items"]
    assert "validator:validate_item" in create.features
    assert create.status == "assisted"
    [reason] = [r for r in create.reasons if r.startswith("validator:")]
    assert "FM010" in reason and "JSON body" in reason

    # the promise holds: convert writes the model FM010 read from the helper
    out = tmp_path / "out" / "shop_fastapi"
    convert_project(tmp_path / "legacy" / "shop", out)
    assert "class ItemCreate(BaseModel):" in (out / "schemas.py").read_text()
    assert '"FM010: from `shop.validation.validate_item()`."' in (out / "schemas.py").read_text()


def test_a_validator_given_form_fields_or_query_values_changes_no_verdict(tmp_path):
    write_shop(tmp_path / "legacy")
    routes = {r.rule: r for r in scan_path(tmp_path / "legacy").routes}
    for rule, helper in (("/items/form", "validate_item"), ("/secret", "check_token")):
        route = routes[rule]
        # still listed as a feature the view uses...
        assert f"validator:{helper}" in route.features, rule
        # ...but not as something convert turns into a model
        assert not [r for r in route.reasons if r.startswith("validator:")], route.reasons
        assert route.status == "auto", (rule, route.reasons)


STATIC = """
from flask import Blueprint, Flask

pages = Blueprint("pages", __name__, static_folder="assets", static_url_path="/pages/assets")


@pages.get("/pages/")
def index():
    return "pages"


app = Flask(__name__)
app.register_blueprint(pages)
"""


def test_a_blueprint_static_route_stays_on_flask_and_says_so(tmp_path):
    write_tree(tmp_path / "legacy", {"site/__init__.py": STATIC, "site/assets/a.css": "a{}"})
    routes = {r.rule: r for r in scan_path(tmp_path / "legacy").routes}
    static = routes["/pages/assets/<path:filename>"]
    assert static.status == "manual"
    assert static.reasons == [(
        "static: the blueprint's static files stay served by Flask (the fallback mount, the "
        "proxy's default location), as the app's own are; a StaticFiles mount for them is a "
        "person's change")]
    result = convert_project(tmp_path / "legacy" / "site", tmp_path / "out" / "site_fastapi")
    [left] = result.left
    assert left.route.rule == "/pages/assets/<path:filename>"
    assert left.reasons[0].startswith("convert.kind_static:")
    assert [view.route.rule for view in result.converted] == ["/pages/"]


def test_a_schema_reason_promises_a_model_only_of_a_body_or_an_answer(tmp_path):
    write_tree(tmp_path / "legacy", {"shop/__init__.py": """
from flask import Flask, request
from marshmallow import Schema, fields

app = Flask(__name__)


class PageSchema(Schema):
    page = fields.Int(load_default=1)


@app.get("/items")
def items():
    args = PageSchema().load(request.args)
    return {"page": args["page"]}
"""})
    [route] = scan_path(tmp_path / "legacy").routes
    assert "schema:PageSchema" in route.features
    [reason] = [r for r in route.reasons if r.startswith("schema:")]
    assert "becomes a Pydantic model" not in reason
    assert "FM011 reads a Pydantic model from it where it loads the JSON body or dumps the " \
           "answer" in reason
    out = tmp_path / "out" / "shop_fastapi"
    convert_project(tmp_path / "legacy" / "shop", out)
    # no model of the schema (the answer's, FM013, is read from the returned dict)
    assert "FM011" not in (out / "schemas.py").read_text()


def test_a_trailing_slash_rule_is_registered_as_written_and_flask_answers_the_other_form(
        tmp_path):
    """The reason said "both forms are registered explicitly"; convert registers the rule as
    written, and the form without the slash gets Flask's redirect through the mount
    (localtileserver's hand run)."""
    from starlette.testclient import TestClient

    from tests.example_support import converted_snippet

    source = """
from flask import Flask

app = Flask(__name__)


@app.get("/split/form/")
def form():
    return "form"
"""
    with converted_snippet(tmp_path, "slashes", source, "slashes_fastapi") as (result, _o, _l):
        [view] = result.converted
        [reason] = [r for r in view.route.reasons if r.startswith("trailing_slash:")]
        assert "registered as written, and the other form reaches Flask through the legacy " \
               "mount" in reason
        from slashes import app as legacy
        from slashes_fastapi.main import app as package_app

        with TestClient(package_app, base_url="http://localhost",
                        follow_redirects=False) as client:
            for path in ("/split/form/", "/split/form"):
                new, old = client.get(path), legacy.test_client().get(path)
                assert (new.status_code, new.headers.get("location")) == (
                    old.status_code, old.headers.get("location")), path
            assert client.get("/split/form").status_code == 308
