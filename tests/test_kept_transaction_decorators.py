"""peewee's `@db.atomic()` on a view stays on the converted view (FM029).

supysonic 0.7.9's `/rest/createPlaylist` is `@db.atomic()` on a `DatabaseProxy`: the scan said
"from peewee.DatabaseProxy.atomic; its effect cannot be shown" and kept the route on Flask (its
hand run). The decorator opens a transaction around the view in the thread that runs it, which
the bridge runs it in as Flask does: rows written before an `abort` are rolled back on both apps.
Each app starts from its own copy of the same database.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from starlette.testclient import TestClient

from tests.example_support import converted_snippet

LEGACY = '''
from flask import Blueprint, Flask, abort, request
from peewee import CharField, DatabaseProxy, Model, SqliteDatabase

db = DatabaseProxy()
api = Blueprint("api", __name__)


class Item(Model):
    name = CharField(unique=True)

    class Meta:
        database = db


@api.post("/items")
@db.atomic()
def add_items():
    """Adds each name given; a name taken refuses them all."""
    added = []
    for name in request.form.getlist("name"):
        if Item.get_or_none(Item.name == name) is not None:
            abort(409, f"{name} is taken")  # rolls back what this request added
        added.append(Item.create(name=name).name)
    return {"added": added}, 201


@api.get("/items")
def items():
    return {"items": [item.name for item in Item.select().order_by(Item.name)]}


def create_app(path):
    db.initialize(SqliteDatabase(path))
    app = Flask(__name__)
    app.register_blueprint(api)
    return app


def make_database(path):
    db.initialize(SqliteDatabase(path))
    db.create_tables([Item])
    Item.create(name="kept")
    db.close()
'''

REQUESTS = [
    ("GET", "/items", None),
    ("POST", "/items", {"name": ["a", "b"]}),
    ("POST", "/items", {"name": ["c", "kept", "d"]}),  # 409: `c` is not kept either
    ("GET", "/items", None),
    ("POST", "/items", {"name": ["c"]}),
    ("GET", "/items", None),
]


def test_a_view_in_a_peewee_transaction_converts_and_rolls_back_alike(tmp_path: Path) -> None:
    with converted_snippet(tmp_path, "shelf", LEGACY, "shelf_fastapi") as (result, _out, _l):
        route = next(v.route for v in result.converted if v.route.methods == ["POST"])
        assert route.status == "assisted"
        assert any(reason.startswith("FM029 decorator:atomic (peewee): stays on the view")
                   for reason in route.reasons), route.reasons
        assert sorted(v.route.endpoint for v in result.converted) == ["api.add_items", "api.items"]
        import shelf
        from shelf_fastapi.main import create_app

        seed = tmp_path / "seed.db"
        shelf.make_database(str(seed))
        shutil.copy(seed, tmp_path / "flask.db")
        shutil.copy(seed, tmp_path / "fastapi.db")

        flask_client = shelf.create_app(str(tmp_path / "flask.db")).test_client()
        legacy = [flask_client.open(path, method=method, data=form)
                  for method, path, form in REQUESTS]
        assert [answer.status_code for answer in legacy] == [200, 201, 409, 200, 201, 200]
        assert legacy[3].json == {"items": ["a", "b", "kept"]}
        shelf.db.close()

        with TestClient(create_app(shelf.create_app(str(tmp_path / "fastapi.db")))) as client:
            for (method, path, form), old in zip(REQUESTS, legacy, strict=True):
                new = client.request(method, path, data=form)
                assert (new.status_code, new.content, new.headers["content-type"]) == (
                    old.status_code, old.data, old.headers["Content-Type"]), (method, path, form)
