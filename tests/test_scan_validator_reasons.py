"""The scan's `validator:NAME` reason promises only what convert does with the helper.

FM010 reads a Pydantic model from a helper that the view gives its JSON body (or a field of
it). A helper given form fields, query values or nothing of the request (an auth check named
`check_*`) keeps running in the view unchanged: nothing for a person to review, so it makes no
`assisted` verdict. Found on the ironic-inspector and wikmd hand runs: `check_auth` and form
validators were listed as "the helper's checks become Pydantic constraints", and convert wrote
no model for them.
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
