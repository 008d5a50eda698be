"""Reviews: a blueprint nested inside ``api`` (so: ``/api/v1/reviews``,
endpoints ``api.reviews.*``), validated with marshmallow."""

from flask import Blueprint, abort, g, jsonify, request
from marshmallow import ValidationError as SchemaValidationError

from ..auth import require_api_key
from ..db import get_db
from ..schemas import review_schema, reviews_schema

reviews_bp = Blueprint("reviews", __name__)


def _get_review_or_404(review_id):
    row = get_db().execute("SELECT * FROM reviews WHERE id = ?", (review_id,)).fetchone()
    if row is None:
        abort(404, description=f"Review {review_id} not found")
    return dict(row)


@reviews_bp.get("/")
def list_reviews():
    item_id = request.args.get("item_id", type=int)
    min_rating = request.args.get("min_rating", 1, type=int)
    where, params = ["rating >= ?"], [min_rating]
    if item_id is not None:
        where.append("item_id = ?")
        params.append(item_id)
    rows = (
        get_db()
        .execute(f"SELECT * FROM reviews WHERE {' AND '.join(where)} ORDER BY id", params)
        .fetchall()
    )
    reviews = reviews_schema.dump([dict(r) for r in rows])
    return jsonify(reviews=reviews, count=len(reviews))


@reviews_bp.post("/")
@require_api_key
def create_review():
    try:
        data = review_schema.load(request.get_json())
    except SchemaValidationError as err:
        return jsonify(errors=err.messages), 400

    db = get_db()
    if db.execute("SELECT 1 FROM items WHERE id = ?", (data["item_id"],)).fetchone() is None:
        abort(404, description=f"Item {data['item_id']} not found")
    user_id = g.user["id"] if g.user is not None else None
    cur = db.execute(
        "INSERT INTO reviews (item_id, user_id, author_email, title, body, rating)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            data["item_id"],
            user_id,
            data["author_email"],
            data["title"],
            data["body"],
            data["rating"],
        ),
    )
    db.commit()
    return review_schema.dump(_get_review_or_404(cur.lastrowid)), 201


@reviews_bp.get("/<int:review_id>")
def get_review(review_id):
    return review_schema.dump(_get_review_or_404(review_id))


@reviews_bp.delete("/<int:review_id>")
@require_api_key
def delete_review(review_id):
    _get_review_or_404(review_id)
    db = get_db()
    db.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
    db.commit()
    return "", 204


@reviews_bp.route("/<int:review_id>/helpful", methods=["POST"], endpoint="mark_helpful")
def vote_helpful(review_id):
    _get_review_or_404(review_id)
    db = get_db()
    db.execute("UPDATE reviews SET helpful = helpful + 1 WHERE id = ?", (review_id,))
    db.commit()
    review = _get_review_or_404(review_id)
    return {"id": review_id, "helpful": review["helpful"]}
