"""Item endpoints: a MethodView pair for the collection and the detail
resource, plus uploads, a CSV export, a streamed export and a few one-off helpers."""

import csv
import io
import json
import os

from flask import (
    Response,
    abort,
    current_app,
    jsonify,
    request,
    send_file,
    send_from_directory,
    stream_with_context,
    url_for,
)
from flask.views import MethodView
from werkzeug.utils import secure_filename

from ..auth import require_api_key, signed_link
from ..db import get_db
from ..decorators import timed
from ..schemas import reviews_schema
from ..validation import (
    parse_bool,
    slugify,
    validate_item_data,
    validate_pagination,
    validate_upload_filename,
)
from . import api_bp

SORTS = {
    "id": "i.id",
    "name": "i.name, i.id",
    "price": "i.price, i.id",
    "-price": "i.price DESC, i.id",
    "newest": "i.created_at DESC, i.id DESC",
}

ITEM_SELECT = (
    "SELECT i.*, c.slug AS category FROM items i LEFT JOIN categories c ON c.id = i.category_id"
)


# --------------------------------------------------------------------------- #
# helpers shared with catalog.py and admin.py
# --------------------------------------------------------------------------- #


def fetch_tags(db, item_ids):
    tags = {item_id: [] for item_id in item_ids}
    if not item_ids:
        return tags
    marks = ",".join("?" * len(item_ids))
    rows = db.execute(
        f"SELECT item_id, tag FROM item_tags WHERE item_id IN ({marks}) ORDER BY tag",
        list(item_ids),
    ).fetchall()
    for row in rows:
        tags[row["item_id"]].append(row["tag"])
    return tags


def item_to_dict(row, tags=None):
    return {
        "id": row["id"],
        "name": row["name"],
        "slug": row["slug"],
        "description": row["description"],
        "price": row["price"],
        "in_stock": bool(row["in_stock"]),
        "category": row["category"],
        "tags": tags or [],
        "image": row["image"],
        "created_at": row["created_at"],
    }


def items_to_dicts(db, rows):
    tags = fetch_tags(db, [row["id"] for row in rows])
    return [item_to_dict(row, tags[row["id"]]) for row in rows]


def get_item_or_404(item_id):
    db = get_db()
    row = db.execute(f"{ITEM_SELECT} WHERE i.id = ?", (item_id,)).fetchone()
    if row is None:
        abort(404, description=f"Item {item_id} not found")
    return item_to_dict(row, fetch_tags(db, [item_id])[item_id])


def resolve_category_id(db, slug):
    if slug is None:
        return None
    row = db.execute("SELECT id FROM categories WHERE slug = ?", (slug,)).fetchone()
    if row is None:
        abort(400, description=f"Unknown category: {slug}")
    return row["id"]


def clean_tags(value):
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        abort(400, description="tags must be a list of strings")
    tags = sorted({t.strip().lower() for t in value if t.strip()})
    if any(len(t) > 30 for t in tags):
        abort(400, description="tags must be at most 30 characters")
    return tags


def save_tags(db, item_id, tags):
    db.execute("DELETE FROM item_tags WHERE item_id = ?", (item_id,))
    db.executemany(
        "INSERT INTO item_tags (item_id, tag) VALUES (?, ?)", [(item_id, t) for t in tags]
    )


def insert_item(db, data):
    """Insert a validated item payload; returns the new id, or None if the slug is taken."""
    slug = slugify(data["name"])
    if db.execute("SELECT 1 FROM items WHERE slug = ?", (slug,)).fetchone():
        return None
    tags = clean_tags(data.get("tags"))
    cur = db.execute(
        "INSERT INTO items (name, slug, description, price, in_stock, category_id)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            data["name"],
            slug,
            data.get("description"),
            data["price"],
            data.get("in_stock", True),
            resolve_category_id(db, data.get("category")),
        ),
    )
    save_tags(db, cur.lastrowid, tags)
    return cur.lastrowid


# --------------------------------------------------------------------------- #
# class-based views
# --------------------------------------------------------------------------- #


class ItemListAPI(MethodView):
    init_every_request = False

    def get(self):
        page = request.args.get("page", 1, type=int)
        per_page = request.args.get("per_page", current_app.config["ITEMS_PER_PAGE"], type=int)
        validate_pagination(page, per_page, current_app.config["MAX_ITEMS_PER_PAGE"])
        sort = request.args.get("sort", "id")
        if sort not in SORTS:
            abort(400, description=f"sort must be one of: {', '.join(SORTS)}")

        where, params = [], []
        q = request.args.get("q", "").strip()
        if q:
            where.append("i.name LIKE ?")
            params.append(f"%{q}%")
        category = request.args.get("category")
        if category:
            where.append("c.slug = ?")
            params.append(category)
        in_stock = request.args.get("in_stock", type=parse_bool)
        if in_stock is not None:
            where.append("i.in_stock = ?")
            params.append(int(in_stock))
        for tag in request.args.getlist("tag"):
            where.append("EXISTS (SELECT 1 FROM item_tags t WHERE t.item_id = i.id AND t.tag = ?)")
            params.append(tag.lower())

        sql_where = f" WHERE {' AND '.join(where)}" if where else ""
        db = get_db()
        total = db.execute(
            f"SELECT COUNT(*) FROM items i LEFT JOIN categories c ON c.id = i.category_id"
            f"{sql_where}",
            params,
        ).fetchone()[0]
        rows = db.execute(
            f"{ITEM_SELECT}{sql_where} ORDER BY {SORTS[sort]} LIMIT ? OFFSET ?",
            [*params, per_page, (page - 1) * per_page],
        ).fetchall()
        return jsonify(
            items=items_to_dicts(db, rows),
            page=page,
            per_page=per_page,
            total=total,
            pages=(total + per_page - 1) // per_page,
        )

    @require_api_key
    def post(self):
        data = request.get_json(silent=True)
        ok, message = validate_item_data(data)
        if not ok:
            return jsonify(error=message), 400
        db = get_db()
        item_id = insert_item(db, data)
        if item_id is None:
            return jsonify(error=f"an item named {data['name']!r} already exists"), 409
        db.commit()
        item = get_item_or_404(item_id)
        return jsonify(item), 201, {"Location": url_for("api.item_api", item_id=item_id)}


class ItemAPI(MethodView):
    init_every_request = False
    decorators = [timed]  # noqa: RUF012  (applied to every method by as_view)

    def get(self, item_id):
        return get_item_or_404(item_id)

    @require_api_key
    def put(self, item_id):
        get_item_or_404(item_id)
        data = request.json  # 415 unless the body is sent as application/json
        ok, message = validate_item_data(data)
        if not ok:
            return jsonify(error=message), 400
        return self._update(item_id, data)

    @require_api_key
    def patch(self, item_id):
        current = get_item_or_404(item_id)
        data = request.get_json()
        ok, message = validate_item_data(data, partial=True)
        if not ok:
            return jsonify(error=message), 400
        merged = {**current, **data}
        return self._update(item_id, merged)

    @require_api_key
    def delete(self, item_id):
        get_item_or_404(item_id)
        db = get_db()
        db.execute("DELETE FROM items WHERE id = ?", (item_id,))
        db.commit()
        return "", 204

    @staticmethod
    def _update(item_id, data):
        db = get_db()
        db.execute(
            "UPDATE items SET name = ?, description = ?, price = ?, in_stock = ?,"
            " category_id = ? WHERE id = ?",
            (
                data["name"],
                data.get("description"),
                data["price"],
                data.get("in_stock", True),
                resolve_category_id(db, data.get("category")),
                item_id,
            ),
        )
        if "tags" in data:
            save_tags(db, item_id, clean_tags(data["tags"]))
        db.commit()
        return get_item_or_404(item_id)


# Methods come from the classes: GET+POST on the collection,
# GET+PUT+PATCH+DELETE on the detail resource.
api_bp.add_url_rule("/items/", view_func=ItemListAPI.as_view("item_list"))
api_bp.add_url_rule("/items/<int:item_id>", view_func=ItemAPI.as_view("item_api"))


# --------------------------------------------------------------------------- #
# function views
# --------------------------------------------------------------------------- #


@api_bp.get("/items/by-slug/<string:slug>")
def get_item_by_slug(slug):
    row = get_db().execute("SELECT id FROM items WHERE slug = ?", (slug,)).fetchone()
    if row is None:
        abort(404, description=f"No item with slug {slug!r}")
    return jsonify(get_item_or_404(row["id"]))


@api_bp.get("/items/<int:item_id>/datasheet")
@signed_link
def item_datasheet(item_id):
    """The item as partners see it, from a signed link they were sent (they have no account)."""
    return jsonify(get_item_or_404(item_id))


@api_bp.get("/items/<int:item_id>/reviews")
def item_reviews(item_id):
    get_item_or_404(item_id)
    rows = (
        get_db()
        .execute("SELECT * FROM reviews WHERE item_id = ? ORDER BY id", (item_id,))
        .fetchall()
    )
    return jsonify(reviews_schema.dump([dict(r) for r in rows]))


@api_bp.patch("/items/<int:item_id>/stock")
@require_api_key
def set_stock(item_id):
    get_item_or_404(item_id)
    data = request.get_json(silent=True) or {}
    if not isinstance(data.get("in_stock"), bool):
        abort(400, description="in_stock must be a boolean")
    db = get_db()
    db.execute("UPDATE items SET in_stock = ? WHERE id = ?", (data["in_stock"], item_id))
    db.commit()
    return {"id": item_id, "in_stock": data["in_stock"]}


@api_bp.post("/items/<int:item_id>/image")
@require_api_key
def upload_image(item_id):
    get_item_or_404(item_id)
    if "image" not in request.files:
        abort(400, description="No file part named 'image'")
    upload = request.files["image"]
    if not upload.filename:
        abort(400, description="No file selected")
    filename = secure_filename(upload.filename)
    validate_upload_filename(filename, current_app.config["ALLOWED_UPLOAD_EXTENSIONS"])
    stored_name = f"item-{item_id}-{filename}"
    folder = current_app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    upload.save(os.path.join(folder, stored_name))

    db = get_db()
    db.execute("UPDATE items SET image = ? WHERE id = ?", (stored_name, item_id))
    db.commit()
    body = {
        "id": item_id,
        "image": stored_name,
        "alt_text": request.form.get("alt_text", ""),
        "url": url_for("api.uploaded_file", subpath=stored_name),
    }
    return body, 201


@api_bp.get("/files/<path:subpath>")
def uploaded_file(subpath):
    return send_from_directory(current_app.config["UPLOAD_FOLDER"], subpath)


@api_bp.get("/items/export.csv")
@timed
def export_items_csv():
    db = get_db()
    rows = db.execute(f"{ITEM_SELECT} ORDER BY i.id").fetchall()
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["id", "name", "slug", "price", "in_stock", "category"])
    for row in rows:
        writer.writerow(
            [
                row["id"],
                row["name"],
                row["slug"],
                f"{row['price']:.2f}",
                int(row["in_stock"]),
                row["category"] or "",
            ]
        )
    buffer = io.BytesIO(text.getvalue().encode("utf-8"))
    return send_file(buffer, mimetype="text/csv", as_attachment=True, download_name="items.csv")


@api_bp.get("/items/export.ndjson")
def export_items_ndjson():
    """Every item as one JSON document per line, sent while it is read: the export of a
    catalog too big to build in memory. The generator reads the database as Flask sends the
    answer, after the view has returned, so it needs the request context kept for it
    (stream_with_context)."""

    def generate():
        db = get_db()
        for row in db.execute(f"{ITEM_SELECT} ORDER BY i.id"):
            yield json.dumps(item_to_dict(row), sort_keys=True) + "\n"

    return Response(stream_with_context(generate()), mimetype="application/x-ndjson")
