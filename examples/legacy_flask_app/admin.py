"""Server-rendered back office (``/admin``), Jinja templates under ``templates/admin``."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from .api.items import ITEM_SELECT, get_item_or_404, items_to_dicts
from .auth import admin_required, login_required, roles_required
from .db import get_db
from .validation import slugify, validate_item_data

admin_bp = Blueprint("admin", __name__, url_prefix="/admin")

PAGE_SIZE = 20


@admin_bp.app_template_filter("money")
def money(value):
    return f"${value:,.2f}"


def _categories():
    return get_db().execute("SELECT * FROM categories ORDER BY name").fetchall()


def _form_to_item_data(form):
    data = {
        "name": form.get("name", ""),
        "description": form.get("description") or None,
        "in_stock": "in_stock" in form,
    }
    raw_price = form.get("price", "").strip()
    if raw_price:
        try:
            data["price"] = float(raw_price)
        except ValueError:
            data["price"] = raw_price  # validate_item_data reports "must be a number"
    category_id = form.get("category_id", type=int)
    return data, category_id


@admin_bp.route("/")
@login_required
@admin_required
def dashboard():
    db = get_db()
    stats = {
        "items": db.execute("SELECT COUNT(*) FROM items").fetchone()[0],
        "out_of_stock": db.execute("SELECT COUNT(*) FROM items WHERE in_stock = 0").fetchone()[0],
        "users": db.execute("SELECT COUNT(*) FROM users").fetchone()[0],
        "reviews": db.execute("SELECT COUNT(*) FROM reviews").fetchone()[0],
    }
    latest = db.execute(
        "SELECT r.*, i.name AS item_name FROM reviews r JOIN items i ON i.id = r.item_id"
        " ORDER BY r.id DESC LIMIT 5"
    ).fetchall()
    return render_template("admin/dashboard.html", stats=stats, latest_reviews=latest)


@admin_bp.route("/items")
@login_required
@roles_required("admin", "editor")
def items():
    page = request.args.get("page", 1, type=int)
    if page < 1:
        abort(404)
    db = get_db()
    total = db.execute("SELECT COUNT(*) FROM items").fetchone()[0]
    rows = db.execute(
        f"{ITEM_SELECT} ORDER BY i.id LIMIT ? OFFSET ?", (PAGE_SIZE, (page - 1) * PAGE_SIZE)
    ).fetchall()
    return render_template(
        "admin/items.html",
        items=items_to_dicts(db, rows),
        page=page,
        has_next=page * PAGE_SIZE < total,
        total=total,
    )


@admin_bp.route("/items/new", methods=["GET", "POST"])
@login_required
@roles_required("admin", "editor")
def new_item():
    if request.method == "POST":
        data, category_id = _form_to_item_data(request.form)
        ok, error = validate_item_data(data)
        db = get_db()
        slug = slugify(data["name"]) if ok else None
        if ok and db.execute("SELECT 1 FROM items WHERE slug = ?", (slug,)).fetchone():
            ok, error = False, "An item with this name already exists."
        if not ok:
            return render_template(
                "admin/item_form.html", item=data, error=error, categories=_categories()
            ), 400
        db.execute(
            "INSERT INTO items (name, slug, description, price, in_stock, category_id)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (data["name"], slug, data["description"], data["price"], data["in_stock"], category_id),
        )
        db.commit()
        flash(f"Created {data['name']}.")
        return redirect(url_for("admin.items"))
    return render_template("admin/item_form.html", item=None, error=None, categories=_categories())


@admin_bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
@roles_required("admin", "editor")
def edit_item(item_id):
    item = get_item_or_404(item_id)
    if request.method == "POST":
        data, category_id = _form_to_item_data(request.form)
        ok, error = validate_item_data(data)
        if not ok:
            return render_template(
                "admin/item_form.html",
                item={**item, **data},
                error=error,
                categories=_categories(),
            ), 400
        db = get_db()
        db.execute(
            "UPDATE items SET name = ?, description = ?, price = ?, in_stock = ?,"
            " category_id = ? WHERE id = ?",
            (
                data["name"],
                data["description"],
                data["price"],
                data["in_stock"],
                category_id,
                item_id,
            ),
        )
        db.commit()
        flash(f"Saved {data['name']}.")
        return redirect(url_for(".items"))
    return render_template("admin/item_form.html", item=item, error=None, categories=_categories())


@admin_bp.post("/items/<int:item_id>/delete")
@login_required
@admin_required
def delete_item(item_id):
    item = get_item_or_404(item_id)
    db = get_db()
    db.execute("DELETE FROM items WHERE id = ?", (item_id,))
    db.commit()
    flash(f"Deleted {item['name']}.")
    return redirect(url_for(".items"))


@admin_bp.get("/users")
@login_required
@admin_required
def users():
    rows = get_db().execute("SELECT * FROM users ORDER BY id").fetchall()
    return render_template("admin/users.html", users=rows)


@admin_bp.get("/export")
@login_required
def export():
    # The CSV export lives in the API; keep the old admin link working.
    return redirect(url_for("api.export_items_csv"))
