"""Stock levels: the oldest corner of the API, written with Flask-RESTful before the rest of
``/api/v1`` moved to plain views, and never rewritten. Its answers are Flask-RESTful's own:
``output_json`` (keys in the order written, ``RESTFUL_JSON`` settings) and ``{"message": ...}``
errors, which its clients parse.
"""

from flask_restful import Api, Resource, abort, reqparse

from ..auth import require_api_key
from ..db import get_db
from . import api_bp

stock_api = Api(api_bp)

listing = reqparse.RequestParser()
listing.add_argument("in_stock", type=int, choices=(0, 1), location="args",
                     help="in_stock must be 0 or 1")

change = reqparse.RequestParser()
change.add_argument("in_stock", type=int, choices=(0, 1), required=True, location="json",
                    help="in_stock (0 or 1) is required")


class StockList(Resource):
    def get(self):
        """Every item's stock flag, optionally only those in (or out of) stock."""
        args = listing.parse_args()
        query = "SELECT id, slug, in_stock FROM items"
        params = []
        if args["in_stock"] is not None:
            query += " WHERE in_stock = ?"
            params.append(args["in_stock"])
        rows = get_db().execute(query + " ORDER BY id", params).fetchall()
        return {"stock": [dict(row) for row in rows], "count": len(rows)}


class ItemStock(Resource):
    method_decorators = [require_api_key]  # noqa: RUF012  (the warehouse tools only)

    def get(self, item_id):
        row = _stock_row(item_id)
        return {"id": row["id"], "slug": row["slug"], "in_stock": bool(row["in_stock"])}

    def put(self, item_id):
        _stock_row(item_id)  # 404 first, as the warehouse tools expect
        args = change.parse_args()
        db = get_db()
        db.execute("UPDATE items SET in_stock = ? WHERE id = ?", (args["in_stock"], item_id))
        db.commit()
        return {"id": item_id, "in_stock": bool(args["in_stock"])}, 200, {"X-Stock-Changed": "1"}


def _stock_row(item_id):
    row = get_db().execute(
        "SELECT id, slug, in_stock FROM items WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        abort(404, message=f"Item {item_id} has no stock record")
    return row


stock_api.add_resource(StockList, "/stock")
stock_api.add_resource(ItemStock, "/stock/<int:item_id>")
