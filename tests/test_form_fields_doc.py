"""FM039: a view that reads `request.form` / `request.files` documents its form body in OpenAPI.

Before, such a route documented no body at all (a login form, an upload), or only the JSON body
where the view falls back to the form (opentaxii's `request.get_json(silent=True) or
request.form`). The view itself is never changed: it still reads the form with Flask, so a
missing field is still Flask's 400 (checked end to end against the Flask app below).
"""

from __future__ import annotations

import importlib
import textwrap

import libcst as cst
import pytest
from fastapi.testclient import TestClient

from codemods.form_fields import FormFieldsDoc
from templates.fastapi_app.flask_params import JSON_BODY, form_fields, json_or_form
from tests.example_support import converted_snippet
from tests.test_codemods import run_rule


def documented(source: str, methods=("POST",), **options) -> dict[str, str]:
    code, context = run_rule(FormFieldsDoc, source, route_fields={"methods": list(methods)},
                             **options)
    module = cst.parse_module(textwrap.dedent(source).lstrip("\n"))
    [view] = [s for s in module.body if isinstance(s, cst.FunctionDef)]
    assert code == cst.Module(body=[view]).code  # the view is unchanged
    if not context.applied:
        assert not context.imports
        assert context.route_options == options.get("route_options", {})
    return context.route_options


def test_fm039_documents_the_fields_and_uploads_the_view_names() -> None:
    source = """
        from flask import request
        def login():
            '''Sign in.'''
            # the [...] reads on every request: Flask's 400 without them
            name = request.form["name"]
            avatar = request.files[ 'avatar' ]
            if request.form.get("remember", type=int):
                pages = request.form.getlist("page", type=int)
            tags = request.form.getlist("tag")
            note = request.form["note"] if name else None
            scans = request.files.getlist("scan")
            if "agree" in request.form and "proof" not in request.files:
                return "no", 400
            later = request.form["later"]
            return name, avatar, pages, tags, note, scans, later
    """
    assert documented(source) == {"openapi_extra": (
        'form_fields({"name": "str", "avatar": "file", "remember": "int", "page": "list[int]", '
        '"tag": "list[str]", "note": "str", "scan": "list[file]", "agree": "str", '
        '"proof": "file", "later": "str"}, required=["name", "avatar"])')}


def test_fm039_a_field_read_only_on_some_paths_of_a_statement_is_not_required() -> None:
    source = """
        from flask import request
        def v(flag):
            a = request.form["a"] if flag else None
            b = flag and request.form["b"]
            c = [request.form["c"] for _ in range(flag)]
            d = (lambda: request.form["d"])
            e = request.form["e"]
            return a, b, c, d, e
    """
    assert documented(source) == {"openapi_extra": (
        'form_fields({"a": "str", "b": "str", "c": "str", "d": "str", "e": "str"}, '
        'required=["e"])')}


def test_fm039_reads_every_spelling_of_flask_s_request() -> None:
    aliased = """
        from flask import request as req
        def v():
            return req.form.get('q', type=float)
    """
    assert documented(aliased) == {"openapi_extra": 'form_fields({"q": "float"})'}
    module_style = """
        import flask
        def v():
            return flask.request.form['q']
    """
    assert documented(module_style) == {
        "openapi_extra": 'form_fields({"q": "str"}, required=["q"])'}
    # a name the view binds itself is no Flask request, nor a `type=` its own `int`
    local = """
        from flask import request
        from .types import int
        def v(form):
            return form["q"], request.form.get("n", type=int)
    """
    assert documented(local) == {"openapi_extra": 'form_fields({"n": "str"})'}


def test_fm039_a_form_read_whole_documents_a_form_of_any_fields() -> None:
    source = """
        from flask import request
        def save():
            data, category = _form_to_item_data(request.form)
            return save_item(data, request.form.get("next"))
    """
    assert documented(source) == {"openapi_extra": 'form_fields({"next": "str"})'}
    whole = """
        from flask import request
        def save():
            return dict(request.form.items())
    """
    assert documented(whole) == {"openapi_extra": "form_fields({})"}


def test_fm039_joins_the_json_body_a_view_falls_back_from() -> None:
    source = """
        from flask import request
        def auth():
            data = request.get_json(silent=True) or request.form
            return data.get("username")
    """
    assert documented(source, route_options={"openapi_extra": "json_body(AuthBody)"}) == {
        "openapi_extra": "json_or_form(json_body(AuthBody))"}
    assert documented(source, route_options={"openapi_extra": "JSON_BODY"}) == {
        "openapi_extra": "json_or_form(JSON_BODY)"}
    both = """
        import flask
        def auth():
            data = flask.request.json if flask.request.is_json else flask.request.form.to_dict()
            return data, flask.request.files["key"]
    """
    assert documented(both, route_options={"openapi_extra": "JSON_BODY"}) == {
        "openapi_extra": 'form_fields({"key": "file"}, required=["key"], '
                         'also=json_or_form(JSON_BODY))'}
    # a form beside the JSON body (not in its place) is documented beside it
    beside = """
        from flask import request
        def upload():
            meta = request.get_json(silent=True)
            return meta, request.form.get("title")
    """
    assert documented(beside, route_options={"openapi_extra": "JSON_BODY"}) == {
        "openapi_extra": 'form_fields({"title": "str"}, also=JSON_BODY)'}


def test_fm039_leaves_what_it_must_not_document() -> None:
    reads_form = """
        from flask import request
        def v():
            return request.form["q"]
    """
    # a GET route carries no body
    assert documented(reads_form, methods=("GET", "HEAD")) == {}
    # a body another rule documents from a declaration (a WTForms form, a request parser)
    for declared in ("form_body(LoginFormData)", "reqparse_openapi(parser)"):
        assert documented(reads_form, route_options={"openapi_extra": declared}) == {
            "openapi_extra": declared}
    nothing = """
        from flask import request
        def v():
            form = {"q": 1}
            return form["q"], request.args.get("q")
    """
    assert documented(nothing) == {}
    nested = """
        from flask import request
        def v():
            def later():
                return request.form["q"]
            return later
    """
    assert documented(nested) == {}


def test_form_fields_and_json_or_form_build_the_openapi_body() -> None:
    assert form_fields({"name": "str", "n": "int", "tags": "list[str]"}, required=["name"]) == {
        "requestBody": {"required": True, "content": {
            content_type: {"schema": {
                "type": "object", "title": "Form read by the view", "required": ["name"],
                "properties": {"name": {"type": "string"}, "n": {"type": "integer"},
                               "tags": {"type": "array", "items": {"type": "string"}}}}}
            for content_type in ("application/x-www-form-urlencoded", "multipart/form-data")}}}
    # a required upload: multipart alone
    upload = form_fields({"image": "file", "alt": "str"}, required=["image"])
    assert list(upload["requestBody"]["content"]) == ["multipart/form-data"]
    # an optional one: a form without it may come either way
    assert list(form_fields({"image": "file"})["requestBody"]["content"]) == [
        "application/x-www-form-urlencoded", "multipart/form-data"]
    assert "required" not in form_fields({"image": "file"})["requestBody"]
    model = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "properties": {"username": {"type": "string"}},
        "required": ["username"]}}}}}
    both = json_or_form(model)
    assert both["requestBody"]["required"] is True
    assert {content_type: body["schema"] for content_type, body in
            both["requestBody"]["content"].items()} == dict.fromkeys(
        ("application/json", "application/x-www-form-urlencoded", "multipart/form-data"),
        model["requestBody"]["content"]["application/json"]["schema"])
    untyped = json_or_form(JSON_BODY)["requestBody"]["content"]
    assert untyped["application/json"] == JSON_BODY["requestBody"]["content"]["application/json"]
    assert untyped["multipart/form-data"]["schema"] == {"type": "object",
                                                        "title": "Form read by the view"}
    # the form's fields join the model's where both document a form
    joined = form_fields({"key": "file"}, also=both)["requestBody"]["content"]
    assert joined["multipart/form-data"]["schema"]["properties"] == {
        "key": {"type": "string", "format": "binary"}, "username": {"type": "string"}}
    assert joined["multipart/form-data"]["schema"]["required"] == ["username"]
    assert joined["application/json"] == model["requestBody"]["content"]["application/json"]


LEGACY = '''
from flask import Flask, request

app = Flask(__name__)


@app.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with a name."""
    if request.method == "GET":
        return "<form method=post></form>"
    name = request.form["name"]
    return {"name": name, "remember": request.form.get("remember", 0, type=int)}


@app.post("/upload")
def upload():
    image = request.files["image"]
    return {"size": len(image.read()), "alt": request.form.get("alt", "")}


@app.post("/auth")
def auth():
    data = request.get_json(silent=True) or request.form
    username = data.get("username")
    if not isinstance(username, str):
        return "username is required", 400
    return {"token": username[::-1]}
'''


@pytest.fixture()
def generated(tmp_path):
    with converted_snippet(tmp_path, "forms_legacy", LEGACY, "forms_fastapi") as (result, out, _):
        assert not result.left and len(result.converted) == 3, result.left
        router = (out / "routers" / "app_routes.py").read_text()
        main = importlib.import_module("forms_fastapi.main")
        legacy = importlib.import_module("forms_legacy")
        yield router, main.app, legacy.app


def test_the_generated_app_documents_each_form_and_answers_as_flask(generated) -> None:
    router, app, legacy = generated
    assert 'openapi_extra=form_fields({"name": "str", "remember": "int"})' in router
    assert '"""Sign in with a name."""' in router  # the view is as it was
    paths = app.openapi()["paths"]
    assert "requestBody" not in paths["/login"]["get"]
    login = paths["/login"]["post"]["requestBody"]["content"]
    assert login["application/x-www-form-urlencoded"]["schema"]["properties"] == {
        "name": {"type": "string"}, "remember": {"type": "integer"}}
    upload = paths["/upload"]["post"]["requestBody"]
    assert upload["required"] is True and list(upload["content"]) == ["multipart/form-data"]
    assert upload["content"]["multipart/form-data"]["schema"]["required"] == ["image"]
    auth = paths["/auth"]["post"]["requestBody"]["content"]
    assert set(auth) == {"application/json", "application/x-www-form-urlencoded",
                         "multipart/form-data"}
    assert auth["multipart/form-data"]["schema"]["properties"]["username"]["type"] == "string"
    # the views still read the form with Flask: the same answers, 400s included
    requests = [
        ("post", "/login", {"data": {"name": "ann", "remember": "1"}}),
        ("post", "/login", {"data": {"name": "ann", "remember": "yes"}}),
        ("post", "/login", {"data": {"remember": "1"}}),
        ("get", "/login", {}),
        ("post", "/upload", {"files": {"image": ("a.png", b"12345")}, "data": {"alt": "A"}}),
        ("post", "/upload", {"data": {"alt": "A"}}),
        ("post", "/auth", {"json": {"username": "bob"}}),
        ("post", "/auth", {"data": {"username": "bob"}}),
        ("post", "/auth", {"data": {}}),
    ]
    flask_client = legacy.test_client()
    with TestClient(app) as client:
        for method, path, options in requests:
            new = getattr(client, method)(path, **options)
            old = getattr(flask_client, method)(path, **_werkzeug_options(options))
            assert (new.status_code, new.content, new.headers["content-type"]) == (
                old.status_code, old.get_data(), old.headers["content-type"]), (path, options)


def _werkzeug_options(options: dict) -> dict:
    """The same request for Flask's test client: files join the form data."""
    data = dict(options.get("data", {}))
    for name, (filename, content) in options.get("files", {}).items():
        import io
        data[name] = (io.BytesIO(content), filename)
    converted = {"data": data} if data or "data" in options else {}
    if "json" in options:
        converted["json"] = options["json"]
    return converted


HELPERS = '''
from flask import request

from forms_helpers import read_upload


def _form_to_item_data(form):
    """The example's admin views hand their form to this."""
    data = {"name": form["name"], "in_stock": "in_stock" in form}
    if form.get("price"):
        data["price"] = form.get("price", type=float)
    return data, _category(form)


def _category(form, default=None):
    return form.get("category_id", default, type=int)


def _rebinding(form):
    form = form or {}
    return form["q"]


def _float_amount(form):
    return form.get("amount", type=float)
'''

HELPER_MODULE = '''
from decimal import Decimal as float


def read_upload(files, *, label):
    return files["image"], files.getlist("extra"), label


def decimal_amount(form):
    return form.get("amount", type=float)
'''


def documented_with_helpers(tmp_path, view: str) -> dict[str, str]:
    from migrator.convert.schemas import LegacySource

    (tmp_path / "forms_helpers.py").write_text(HELPER_MODULE, encoding="utf-8")
    (tmp_path / "m.py").write_text(HELPERS + textwrap.dedent(view), encoding="utf-8")
    # the view alone, with the module's imports (the rule reads the rest from the package)
    imports = ("from flask import request\n"
               "from forms_helpers import decimal_amount, read_upload\n")
    code, context = run_rule(FormFieldsDoc, imports + textwrap.dedent(view),
                             route_fields={"methods": ["POST"]},
                             legacy=LegacySource(tmp_path, "m", "m.py"))
    assert code.lstrip("\n") == textwrap.dedent(view).lstrip("\n")  # the view is unchanged
    return context.route_options


def test_fm039_reads_the_functions_a_view_hands_its_form_to(tmp_path) -> None:
    """The example's admin views read their form in `_form_to_item_data(request.form)`: the
    route documented a form of any fields (`form_fields({})`)."""
    every_request = """
        def create():
            data, category = _form_to_item_data(request.form)
            image, extra, label = read_upload(request.files, label="x")
            return data
    """
    assert documented_with_helpers(tmp_path, every_request) == {"openapi_extra": (
        'form_fields({"name": "str", "in_stock": "str", "price": "str", "category_id": '
        '"int", "image": "file", "extra": "list[file]"}, required=["name", "image"])')}
    # a call made on some requests only: nothing it reads is required
    some_requests = """
        def create():
            if request.method == "POST":
                return _form_to_item_data(request.form)
            return {}
    """
    assert documented_with_helpers(tmp_path, some_requests) == {"openapi_extra": (
        'form_fields({"name": "str", "in_stock": "str", "price": "str", "category_id": '
        '"int"})')}
    conditional = """
        def create():
            return _form_to_item_data(request.form) if request.form else None
    """
    assert "required" not in documented_with_helpers(tmp_path, conditional)["openapi_extra"]


def test_fm039_follows_a_helper_only_where_its_parameter_is_the_form(tmp_path) -> None:
    unread = """
        def create():
            # rebinds its parameter; not a function of the package; a method
            _rebinding(request.form)
            dict(request.form)
            request.form.copy()
            return _category(request.args), _category(*[request.form])
    """
    assert documented_with_helpers(tmp_path, unread) == {"openapi_extra": "form_fields({})"}
    # `type=float` is read in the helper's own module: where that module imports another
    # `float`, the field is documented as text
    for helper, kind in (("_float_amount", "float"), ("decimal_amount", "str")):
        view = f"""
            def create():
                return {helper}(request.form)
        """
        assert documented_with_helpers(tmp_path, view) == {
            "openapi_extra": f'form_fields({{"amount": "{kind}"}})'}
