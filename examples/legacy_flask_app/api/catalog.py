"""Catalog-wide endpoints: categories, tags, search, reports."""

import time

import flask
from flask import abort, current_app, jsonify, request

from ..auth import require_api_key
from ..db import get_db
from ..decorators import cached
from ..validation import validate_item_data
from . import api_bp
from .items import ITEM_SELECT, get_item_or_404, insert_item, items_to_dicts

MAX_BULK = 50


@api_bp.get("/categories")
@cached(seconds=60)
def list_categories():
    rows = (
        get_db()
        .execute(
            "SELECT c.slug, c.name, COUNT(i.id) AS item_count"
            " FROM categories c LEFT JOIN items i ON i.category_id = c.id"
            " GROUP BY c.id ORDER BY c.name"
        )
        .fetchall()
    )
    return [dict(row) for row in rows]


@api_bp.get("/categories/<slug:slug>")
def get_category(slug):
    db = get_db()
    category = db.execute("SELECT * FROM categories WHERE slug = ?", (slug,)).fetchone()
    if category is None:
        abort(404, description=f"Unknown category {slug!r}")
    rows = db.execute(f"{ITEM_SELECT} WHERE c.slug = ? ORDER BY i.id", (slug,)).fetchall()
    return jsonify(
        category={"slug": category["slug"], "name": category["name"]},
        items=items_to_dicts(db, rows),
    )


@api_bp.get("/tags")
def list_tags():
    rows = (
        get_db()
        .execute(
            "SELECT tag, COUNT(*) AS count FROM item_tags GROUP BY tag ORDER BY count DESC, tag"
        )
        .fetchall()
    )
    # Flask >= 2.2 serialises a returned list as JSON
    return [{"tag": row["tag"], "count": row["count"]} for row in rows]


@api_bp.route("/search", strict_slashes=False)
def search():
    q = request.args.get("q", "").strip()
    if not q:
        abort(400, description="Query parameter 'q' is required")
    min_price = request.args.get("min_price", type=float)
    max_price = request.args.get("max_price", type=float)
    limit = min(request.args.get("limit", 20, type=int), 50)
    tags = [t.lower() for t in request.args.getlist("tag")]

    where = ["(i.name LIKE ? OR i.description LIKE ?)"]
    params = [f"%{q}%", f"%{q}%"]
    if min_price is not None:
        where.append("i.price >= ?")
        params.append(min_price)
    if max_price is not None:
        where.append("i.price <= ?")
        params.append(max_price)
    if tags:
        marks = ",".join("?" * len(tags))
        where.append(f"i.id IN (SELECT item_id FROM item_tags WHERE tag IN ({marks}))")
        params.extend(tags)

    db = get_db()
    rows = db.execute(
        f"{ITEM_SELECT} WHERE {' AND '.join(where)} ORDER BY i.id LIMIT ?", [*params, limit]
    ).fetchall()
    results = items_to_dicts(db, rows)
    return jsonify(query=q, count=len(results), results=results)


@api_bp.get("/convert/<float:amount>/<currency>")
def convert_price(amount, currency):
    rates = current_app.config["EXCHANGE_RATES"]
    code = currency.upper()
    if code not in rates:
        abort(400, description=f"Unsupported currency {currency!r}")
    return {
        "amount": amount,
        "currency": code,
        "rate": rates[code],
        "converted": round(amount * rates[code], 2),
    }


@api_bp.route("/slow/report", endpoint="inventory_report")
def slow_inventory_report():
    """Inventory report; the stock numbers come from a (slow) upstream warehouse
    service, simulated here by sleeping ``UPSTREAM_LATENCY`` seconds."""
    time.sleep(current_app.config["UPSTREAM_LATENCY"])
    rows = (
        get_db()
        .execute(
            "SELECT c.slug AS category, COUNT(i.id) AS items,"
            "       COALESCE(SUM(i.in_stock), 0) AS in_stock,"
            "       ROUND(COALESCE(AVG(i.price), 0), 2) AS average_price"
            " FROM categories c LEFT JOIN items i ON i.category_id = c.id"
            " GROUP BY c.id ORDER BY c.slug"
        )
        .fetchall()
    )
    return jsonify(categories=[dict(r) for r in rows], source="warehouse")


def catalog_stats():
    db = get_db()

    def count(table):
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    avg = db.execute("SELECT AVG(rating) FROM reviews").fetchone()[0]
    return jsonify(
        items=count("items"),
        categories=count("categories"),
        users=count("users"),
        reviews=count("reviews"),
        average_rating=round(avg, 2) if avg is not None else None,
    )


# registered the pre-decorator way; note the explicit endpoint name "stats"
api_bp.add_url_rule("/stats", "stats", catalog_stats, methods=["GET"])


@api_bp.post("/items/bulk")
@require_api_key
def bulk_create_items():
    """All-or-nothing import of a JSON list of items (used by the nightly sync)."""
    payload = flask.request.json
    if not isinstance(payload, list) or not payload:
        flask.abort(400, description="Body must be a non-empty JSON list of items")
    if len(payload) > MAX_BULK:
        flask.abort(400, description=f"At most {MAX_BULK} items per request")

    errors = []
    for index, data in enumerate(payload):
        ok, message = validate_item_data(data)
        if not ok:
            errors.append({"index": index, "error": message})
    if errors:
        return flask.jsonify(errors=errors), 400

    db = get_db()
    created = []
    for index, data in enumerate(payload):
        item_id = insert_item(db, data)
        if item_id is None:
            db.rollback()
            return flask.jsonify(errors=[{"index": index, "error": "duplicate name"}]), 409
        created.append(item_id)
    db.commit()
    return flask.jsonify(created=[get_item_or_404(i) for i in created]), 201
