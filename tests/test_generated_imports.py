"""The import blocks the converter writes are the ones ruff's isort rules (I001) want.

Found converting privacyidea 3.14: `from privacyidea.api.lib.utils import getLowerParams,
get_required, send_result` (ruff compares names case-insensitively: `get_required` first), and
main.py's `from .routers import ...` with 36 routers on one line of 700 characters, in the order
the routers are included (which puts a router whose route Werkzeug prefers first), not sorted.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from migrator.convert.render import render_imports
from tests.example_support import converted_snippet
from tests.lint_support import new_lint_findings


def isort_findings(path: Path, first_party: str) -> str:
    """Ruff's isort findings in `path`, with the legacy package `first_party` taken for first
    party and then for third party (which one it is depends on where ruff runs)."""
    found = []
    for party in ("first", "third"):
        done = subprocess.run(
            [sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated", "--select", "I",
             "--config", f"lint.isort.known-{party}-party = ['{first_party}']", str(path)],
            capture_output=True, text=True, check=False, timeout=120)
        assert done.returncode in (0, 1), done.stderr
        if done.returncode:
            found.append(f"{party} party: {done.stdout}")
    return "".join(found)


def test_names_and_modules_in_ruffs_order(tmp_path: Path) -> None:
    names = ["getLowerParams", "get_required", "send_result", "Item10", "Item2", "MAX_10",
             "MAX_9", "v10", "v2", "a", "B"]
    imports = {("legacy.utils", n, n) for n in names}
    imports |= {("legacy.Views2", "x", "x"), ("legacy.views10", "y", "y"),
                ("legacy.views2", "z", "z"), ("os", None, "os"), ("OpenSSL", None, "OpenSSL"),
                ("typing", "Any", "Any"), ("..bridge", "bridge", "bridge"), (".", "m", "m"),
                # `as` imports stand on lines of their own, among the module's by first name
                ("legacy.views10", "app", "views10_app"), ("legacy.views10", "z", "z2"),
                ("legacy.views10", "Model", "Other")}
    block = render_imports(imports, frozenset({"legacy"}))
    assert "from legacy.utils import (\n    MAX_9,\n    MAX_10,\n    B,\n    Item2,\n" in block
    assert "    a,\n    get_required,\n    getLowerParams,\n    send_result,\n    v2,\n" in block
    module = tmp_path / "generated.py"
    module.write_text(block + "\n", encoding="utf-8")
    assert isort_findings(module, "legacy") == ""


MANY_BLUEPRINTS = {
    "__init__.py": '''
from flask import Flask

from .views import first, names, second, special, third

app = Flask(__name__)
for blueprint in (special, first, second, third, names):
    app.register_blueprint(blueprint)
''',
    "views.py": '''
from flask import Blueprint

special = Blueprint("zz_special_items", __name__)
names = Blueprint("aa_named_items", __name__)
first = Blueprint("catalogue_section_0", __name__, url_prefix="/s0")
second = Blueprint("catalogue_section_1", __name__, url_prefix="/s1")
third = Blueprint("catalogue_section_2", __name__, url_prefix="/s2")


@names.get("/items/<name>")
def named(name):
    return {"name": name}


@special.get("/items/special")
def special_item():
    return {"special": True}


@first.get("/one")
def one():
    return {"n": 1}


@second.get("/two")
def two():
    return {"n": 2}


@third.get("/three")
def three():
    return {"n": 3}
'''}


def test_main_imports_the_routers_as_isort_wants(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "many_app", MANY_BLUEPRINTS, "many_fastapi") as (
            result, out, legacy):
        assert len(result.converted) == 5 and not result.left
        main = (out / "main.py").read_text(encoding="utf-8")
        # Werkzeug prefers /items/special over /items/<name>: its router is included first
        assert main.index("include_router(zz_special_items.router)") < main.index(
            "include_router(aa_named_items.router)")
        # each blueprint's router where the legacy app registers the blueprint
        # (test_conditional_blueprint_routers.py), after the names every app needs
        assert "    from .routers import LEGACY_RULES, LEGACY_VIEWS\n" in main
        assert ('    if "catalogue_section_0" in legacy_app.blueprints:\n'
                "        from .routers import catalogue_section_0\n\n"
                "        app.include_router(catalogue_section_0.router)\n") in main
        assert isort_findings(out / "main.py", "many_app") == ""
        assert not new_lint_findings(out, legacy.parent, "many_app")


OPTIONAL_IMPORT = '''
import json

from flask import Flask

try:
    from googleapiclient.errors import HttpError
except ImportError as err:
    print("Google Drive will not work:", err)

try:
    import simplejson as fast_json
except ImportError:
    fast_json = json

app = Flask(__name__)


@app.get("/sync")
def sync():
    try:
        return fast_json.dumps({"synced": True})
    except HttpError:
        return "drive error", 502
'''


def test_a_name_bound_only_by_an_optional_import_is_imported_where_bound(tmp_path: Path
                                                                         ) -> None:
    """calibre-web's gdrive.py imports `HttpError` in a `try` whose `except ImportError:` binds
    nothing: the router's plain `from cps.gdrive import HttpError` made the whole generated
    package fail to import without googleapiclient. Now such a name is imported in a `try` of
    its own, so the package imports, and the view fails only where Flask's would (NameError);
    `fast_json`, bound in both branches, is imported as before."""
    with converted_snippet(tmp_path, "drive_app", OPTIONAL_IMPORT, "drive_fastapi") as (
            result, out, legacy):
        assert [view.route.rule for view in result.converted] == ["/sync"]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert ("from drive_app import fast_json\n\n"
                "from ..bridge import bridge\n\n"
                "try:  # bound there only on some paths (an optional import), or by `import *`\n"
                "    from drive_app import HttpError\n"
                "except ImportError:\n"
                "    pass\n\n"
                "router = APIRouter(") in router
        assert not new_lint_findings(out, legacy.parent, "drive_app")
        assert isort_findings(out, "drive_app") == ""
        import drive_app
        from drive_fastapi.main import create_app  # googleapiclient is not installed
        from starlette.testclient import TestClient

        with TestClient(create_app(drive_app.app)) as client:
            assert client.get("/sync").text == '{"synced": true}'


TYPE_CHECKING_IMPORTS = {
    "__init__.py": '''
from typing import TYPE_CHECKING, Literal, Union

from flask import Flask

if TYPE_CHECKING:
    from .models import User
    from .responses import HttpResponse

app = Flask(__name__)


@app.get("/geo")
def geo() -> Union[dict, "HttpResponse"]:
    owner: "User | None" = None
    mode: Literal["fast"] = "fast"
    return {"owner": owner, "mode": mode}


@app.get("/later")
def later() -> "Later":
    return "later"


class Later(str):
    pass
''',
    "models.py": "class User:\n    pass\n",
    "responses.py": "HttpResponse = tuple\n",
}


def test_names_only_string_annotations_read_are_imported_for_type_checkers(tmp_path: Path
                                                                           ) -> None:
    """fittrackee annotates its views with names its modules import under `if TYPE_CHECKING:`
    (`auth_user: "User"`, `-> Union[Dict, "HttpResponse"]`). No scope analysis counts a string
    annotation as a read, so the router imported none of them: 16 F821 findings (ruff) in the
    converted package, none in the legacy one. They are imported under `if TYPE_CHECKING:` now,
    from the legacy module, so importing the router runs no new import; a `Literal` holds
    values, not names."""
    with converted_snippet(tmp_path, "typed_app", TYPE_CHECKING_IMPORTS, "typed_fastapi") as (
            result, out, legacy):
        assert sorted(view.route.rule for view in result.converted) == ["/geo", "/later"]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert router.startswith('''"""FastAPI routes converted from the app's own routes''')
        assert "from typing import TYPE_CHECKING, Literal, Union\n" in router
        assert ("from ..bridge import bridge\n"
                "from ..schemas import GeoOut\n\n"
                "if TYPE_CHECKING:  # read only by annotations Python does not evaluate\n"
                "    from typed_app import HttpResponse, Later, User\n\n"
                "router = APIRouter(") in router
        assert not new_lint_findings(out, legacy.parent, "typed_app")
        assert isort_findings(out, "typed_app") == ""
        import typed_app
        from starlette.testclient import TestClient
        from typed_fastapi.main import create_app

        with TestClient(create_app(typed_app.app)) as client:
            assert client.get("/geo").json() == {"owner": None, "mode": "fast"}
            assert client.get("/later").text == "later"


def test_string_annotation_names_are_forward_references_not_literal_values() -> None:
    import libcst as cst

    from migrator.convert.view import string_annotation_names

    function = cst.parse_module(
        'def f(a: "User", b: Literal["Admin"], c: "list[Item] | None", d: typing.Literal["x"]'
        ') -> Union[dict, "Resp"]:\n    x: "Local" = 1\n    return "NotAnAnnotation"\n').body[0]
    assert isinstance(function, cst.FunctionDef)
    assert string_annotation_names(function) == {"User", "Item", "Resp", "Local"}


ALIAS_BESIDE_A_VIEW = '''
from flask import Flask, request

app = Flask(__name__)


@app.get("/alerts")
def alerts():
    return {"history": request.args.get("show-history", "no")}


@app.get("/alerts/history")
def history():
    return {"history": []}
'''


def test_a_query_alias_naming_a_module_function_imports_nothing(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "alias_app", ALIAS_BESIDE_A_VIEW, "alias_fastapi") as (
            result, out, legacy):
        assert sorted(view.route.rule for view in result.converted) == ["/alerts",
                                                                        "/alerts/history"]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert 'Query(alias="show-history")' in router
        assert "TYPE_CHECKING" not in router
        assert not new_lint_findings(out, legacy.parent, "alias_app")
        import alias_app
        from alias_fastapi.main import create_app
        from starlette.testclient import TestClient

        with TestClient(create_app(alias_app.app)) as client:
            assert client.get("/alerts", params={"show-history": "yes"}).json() == {
                "history": "yes"}
            assert client.get("/alerts/history").json() == {"history": []}


def test_strings_in_a_call_or_in_annotated_metadata_are_values_not_names() -> None:
    """The converter writes `Annotated[str, Query(alias="distro")]` for `request.args["distro"]`
    in a module that binds `distro` (anitya's view, alerta's `show-history` beside its `history`
    view): the alias was read as a forward reference to the module's `distro`, and the router
    imported it under `if TYPE_CHECKING:` for nothing (F401)."""
    import libcst as cst

    from migrator.convert.view import string_annotation_names

    function = cst.parse_module(
        'def f(a: Annotated[str, Query(alias="distro")], b: Annotated[str, "doc", "more"],\n'
        '      c: Annotated["User", Header(alias="show-history")], d: Optional["Item"] = None,\n'
        '      e: Annotated[Literal["x"], Query()] = "x") -> None:\n    pass\n').body[0]
    assert isinstance(function, cst.FunctionDef)
    assert string_annotation_names(function) == {"User", "Item"}


STAR_IMPORT = {
    "__init__.py": '''
from flask import Flask

from .fields import *

app = Flask(__name__)


@app.get("/fields")
def fields():
    return {"types": [CharField.__name__, IntegerField.__name__]}


@app.get("/missing")
def missing():
    return {"type": NoSuchField.__name__}


@app.get("/first")
def first():
    # sorted first among the names the router imports: it must not unbind the others
    return {"types": [AField.__name__, CharField.__name__]}
''',
    "fields.py": '''
__all__ = ["CharField", "IntegerField"]


class CharField:
    pass


class IntegerField:
    pass
''',
}


def test_names_a_star_import_may_bind_are_imported_from_the_view_s_module(tmp_path: Path
                                                                         ) -> None:
    """sqlite-web's views read peewee's `BlobField`, `AutoField`... through `from peewee import
    *`, which the source does not spell out: those routes stayed on Flask (`convert.undefined_name`).
    The router now imports such names from the view's module, where the star import binds them,
    in a `try` of their own: a name it does not bind fails in the converted view where it failed
    in Flask's (NameError, a 500)."""
    with converted_snippet(tmp_path, "star_app", STAR_IMPORT, "star_fastapi") as (
            result, out, legacy):
        assert sorted(view.route.rule for view in result.converted) == [
            "/fields", "/first", "/missing"]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        # one name at a time: `NoSuchField`, not bound, must not leave the others unbound
        assert "".join(
            "try:  # bound there only on some paths (an optional import), or by `import *`\n"
            f"    from star_app import {name}\n"
            "except ImportError:\n"
            "    pass\n\n" for name in ("AField", "CharField", "IntegerField", "NoSuchField")
        ) in router
        assert not new_lint_findings(out, legacy.parent, "star_app")
        import star_app
        from star_fastapi.main import create_app
        from starlette.testclient import TestClient

        flask_client = star_app.app.test_client()
        with TestClient(create_app(star_app.app), raise_server_exceptions=False) as client:
            assert client.get("/fields").json() == {"types": ["CharField", "IntegerField"]}
            for path in ("/fields", "/missing", "/first"):
                old, new = flask_client.get(path), client.get(path)
                assert (new.status_code, new.content) == (old.status_code, old.data), path


RELATIVE_IN_BODY = {
    "__init__.py": '''
        from flask import Flask

        TEMPLATE = "{name}!"

        app = Flask(__name__)

        from .views import feeds  # noqa: E402 (registers the routes)
    ''',
    "views/__init__.py": "",
    "views/forms.py": '''
        class TagForm:
            fields = ("title", "colour")
    ''',
    "views/feeds.py": '''
        from flask import jsonify, request

        from .. import app


        @app.get("/feed/<name>")
        def feed(name):
            from .. import TEMPLATE  # imported when called, as changedetection.io's rss views do
            from .forms import TagForm
            from . import forms as form_module

            return jsonify(text=TEMPLATE.format(name=name), fields=TagForm.fields,
                           same=form_module.TagForm is TagForm)


        @app.get("/queue-status")
        def queue_status():  # imports again what its module does, as changedetection.io's
            from flask import (
                jsonify,
                request,
            )
            from json import dumps  # never read, in Flask either: kept

            return jsonify(uuid=request.args.get("uuid"))
    ''',
}


def test_imports_in_a_view_s_body_name_the_legacy_package_and_go_when_unread(tmp_path: Path
                                                                              ) -> None:
    """The router is in another package, where `from .forms import TagForm` would name a module of
    the generated package (changedetection.io's `/rss` and `/tags/list` answered 500): the
    converted view imports from the legacy package, absolutely. A name the body imports that the
    rules left unread (changedetection.io's `/queue-status`) goes from its import."""
    with converted_snippet(tmp_path, "rel_app", RELATIVE_IN_BODY, "rel_fastapi") as (
            result, out, legacy):
        assert [view.route.rule for view in result.converted] == ["/feed/<name>",
                                                                  "/queue-status"]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert (
            "    from rel_app import TEMPLATE  # imported when called, as changedetection.io's "
            "rss views do\n"
            "    from rel_app.views.forms import TagForm\n"
            "    from rel_app.views import forms as form_module\n") in router
        # `request` and `jsonify` are read no more (FM002 made `uuid` a parameter, FM003 returns
        # the dict): their import goes, so the package has no unused import the legacy view had not
        assert (
            "def queue_status(*, uuid: Annotated[str | None, Query()] = None):  # imports again "
            "what its module does, as changedetection.io's\n"
            "    from json import dumps  # never read, in Flask either: kept\n\n"
            "    return {\"uuid\": uuid}\n") in router
        assert not new_lint_findings(out, legacy.parent, "rel_app")
        import rel_app
        from rel_fastapi.main import create_app
        from starlette.testclient import TestClient

        with TestClient(create_app(rel_app.app)) as client:
            new = client.get("/feed/ada")
            assert new.json() == {"text": "ada!", "fields": ["title", "colour"], "same": True}
            assert new.content == rel_app.app.test_client().get("/feed/ada").data
            assert client.get("/queue-status?uuid=u1").content == \
                rel_app.app.test_client().get("/queue-status?uuid=u1").data


def test_only_the_names_the_rules_left_unread_leave_a_body_import() -> None:
    import textwrap

    import libcst as cst

    from migrator.convert.view import drop_imports_made_unused

    before = textwrap.dedent('''
        def v():
            from flask import (
                jsonify,
                request,
                abort,
            )
            from flask import session as sess, g
            return jsonify(request.args.get("a"), sess.get("b"))
    ''')
    after = before.replace('request.args.get("a"), sess.get("b")', "a, b")
    converted = drop_imports_made_unused(cst.parse_module(before).body[0],
                                         cst.parse_module(after).body[0])
    assert cst.Module(body=[converted]).code == textwrap.dedent('''
        def v():
            from flask import (
                jsonify,
                abort,
            )
            from flask import g
            return jsonify(a, b)
    ''').lstrip("\n")


TYPE_CHECKING_EVALUATED = '''
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask

if TYPE_CHECKING:
    from collections.abc import Sequence

app = Flask(__name__)


def logged(view):
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)
    return wrapper


@app.get("/tags/<name>", endpoint="tags")
@logged
def tags(name: Sequence[str]) -> dict:
    return {"tags": list(name)}
'''


def test_names_evaluated_annotations_read_are_imported_where_type_checkers_find_them(
        tmp_path: Path) -> None:
    """beets 2.14.1's web plugin annotates `def item_query(queries: Sequence[str])` under `from
    __future__ import annotations`, with `Sequence` imported under `if TYPE_CHECKING:`: never
    evaluated in Flask. The view keeps its parameters (FM028), and the router, whose annotations
    are evaluated where its `def` runs, imported `Sequence` from the legacy module, which never
    binds it (inside `try: ... except ImportError: pass`): importing the generated package
    failed with a NameError. It imports the name from where the module's type checkers do."""
    with converted_snippet(tmp_path, "evaluated_app", TYPE_CHECKING_EVALUATED,
                           "evaluated_fastapi") as (result, out, legacy):
        assert [view.route.rule for view in result.converted] == ["/tags/<name>"]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert "from collections.abc import Sequence\n" in router
        assert "try:" not in router
        assert "def tags(name: Sequence[str]) -> dict:\n" in router
        assert not new_lint_findings(out, legacy.parent, "evaluated_app")
        assert isort_findings(out, "evaluated_app") == ""
        import evaluated_app
        from evaluated_fastapi.main import create_app
        from starlette.testclient import TestClient

        with TestClient(create_app(evaluated_app.app)) as client:
            assert client.get("/tags/ab").json() == {"tags": ["a", "b"]} == \
                evaluated_app.app.test_client().get("/tags/ab").json


LOCAL_ANNOTATIONS = {
    "__init__.py": '''
from typing import TYPE_CHECKING

from flask import Flask

from .store import Row, load

if TYPE_CHECKING:
    from .models import Thing

app = Flask(__name__)


@app.get("/things/<name>")
def show(name: str):
    thing: Thing | None = None  # filled in by a later release
    rows: list[Row] = load(name)

    class Summary:
        count: int = len(rows)

    def describe(row: Row) -> str:
        label: Thing = row
        return str(label)

    return {"name": name, "empty": thing is None, "count": Summary.count,
            "first": describe(rows[0])}
''',
    "models.py": 'raise RuntimeError("imported for type checkers only")\n',
    "store.py": '''
Row = str


def load(name):
    return [name.upper()]
''',
}


def test_names_only_local_variable_annotations_read_are_imported_for_type_checkers(
        tmp_path: Path) -> None:
    """Python never evaluates the annotation of a local variable (PEP 526): a view's `thing:
    Thing | None = None`, with `Thing` imported under `if TYPE_CHECKING:` (to break an import
    cycle, say), runs in Flask without the import. The router imported `Thing` for real, and
    importing the generated package ran the import the legacy module avoids (here it raises).
    Such names are imported under `if TYPE_CHECKING:` now; a name the module imports for real
    (`Row`) stays a real import."""
    with converted_snippet(tmp_path, "local_app", LOCAL_ANNOTATIONS, "local_fastapi") as (
            result, out, legacy):
        assert [view.route.rule for view in result.converted] == ["/things/<name>"]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert ("if TYPE_CHECKING:  # read only by annotations Python does not evaluate\n"
                "    from local_app.models import Thing\n\n") in router
        assert "from local_app.store import Row, load\n" in router
        assert "    thing: Thing | None = None  # filled in by a later release\n" in router
        assert not new_lint_findings(out, legacy.parent, "local_app")
        assert isort_findings(out, "local_app") == ""
        import local_app
        from local_fastapi.main import create_app
        from starlette.testclient import TestClient

        with TestClient(create_app(local_app.app)) as client:
            assert client.get("/things/ab").json() == {
                "name": "ab", "empty": True, "count": 1, "first": "AB"} == \
                local_app.app.test_client().get("/things/ab").json


def test_local_annotation_names_are_those_python_never_evaluates() -> None:
    import libcst as cst

    from migrator.convert.view import local_annotation_names

    function = cst.parse_module(
        "def f(a: Param) -> Ret:\n"
        "    x: Local = 1\n"
        "    y: Both = Both()\n"
        "    z: list[Nested]\n"
        "    class C:\n"
        "        attribute: InClass = 1\n"
        "    def inner(b: InnerParam) -> InnerRet:\n"
        "        w: InnerLocal = b\n"
        "        return w\n"
        "    return x\n").body[0]
    assert isinstance(function, cst.FunctionDef)
    assert local_annotation_names(function) == {"Local", "Nested", "InnerLocal"}


SUBMODULE_IMPORTS = '''
import json
import os
import os.path
import urllib.parse
import xml.dom.minidom

from flask import Flask

app = Flask(__name__)


@app.route("/parse/<path:url>")
def parse(url):
    return {"scheme": urllib.parse.urlparse(url).scheme,
            "tag": xml.dom.minidom.parseString("<a/>").documentElement.tagName,
            "base": os.path.basename(url), "dumped": json.dumps(url)}


@app.route("/cwd")
def cwd():
    return {"cwd": os.getcwd() != ""}
'''


def test_a_submodule_the_view_reads_is_imported_as_the_legacy_module_imports_it(
        tmp_path: Path) -> None:
    """proxpi 1.3.1's `import urllib.parse` became `import urllib` in the router: the view's
    `urllib.parse.urlparse` worked only because the legacy module, imported first, had loaded
    the submodule, and a type checker flags it. The router now imports the submodules the
    legacy module imports and the view reads (`import os` where it reads nothing below)."""
    with converted_snippet(tmp_path, "parse_app", SUBMODULE_IMPORTS, "parse_fastapi") as (
            result, out, legacy):
        assert [view.route.rule for view in result.converted] == ["/parse/<path:url>", "/cwd"]
        router = (out / "routers" / "app_routes.py").read_text(encoding="utf-8")
        assert router.startswith('"""') and (
            "\nimport json\nimport os\nimport os.path\nimport urllib.parse\n"
            "import xml.dom.minidom\n\nfrom fastapi import APIRouter\n") in router
        assert not new_lint_findings(out, legacy.parent, "parse_app")
        import parse_app
        from parse_fastapi.main import create_app
        from starlette.testclient import TestClient

        flask_client = parse_app.app.test_client()
        with TestClient(create_app(parse_app.app)) as client:
            for path in ("/parse/http://example.org/a.txt", "/cwd"):
                assert client.get(path).content == flask_client.get(path).data


def test_importing_a_module_and_its_submodule_binds_one_name_once() -> None:
    """`import os` beside `import os.path` binds `os` to one module; any other second binding
    leaves the name to be read from the legacy module, as before."""
    import libcst as cst

    from migrator.convert.view import rebound_names

    def rebound(source: str) -> set[str]:
        return rebound_names(cst.parse_module(source))

    assert rebound("import os\nimport os.path\nimport urllib.parse, urllib.request\n") == set()
    assert rebound("import os.path\nimport os\n") == set()
    assert rebound("import os\nos = 1\n") == {"os"}
    assert rebound("os = 1\nimport os.path\n") == {"os"}
    assert rebound("import os.path\nfrom x import os\n") == {"os"}
    assert rebound("import os\nimport posixpath as os\n") == {"os"}
    assert rebound("try:\n    import os.path\nexcept ImportError:\n    pass\n") == {"os"}
