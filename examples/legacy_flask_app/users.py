"""The ``users`` blueprint; its ``/users`` prefix is given at registration time."""

import uuid

from flask import Blueprint, abort, g, jsonify, make_response, url_for
from flask import request as req
from werkzeug.security import generate_password_hash

from legacy_flask_app.validation import validate_role, validate_user_data

from .auth import (
    login_required,
    require_api_key,
    roles_required,
    token_user_required,
    user_to_dict,
)
from .db import get_db
from .decorators import no_store

users_bp = Blueprint("users", __name__)

THEMES = ("light", "dark")


def _get_user_or_404(user_id):
    user = get_db().execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
    if user is None:
        abort(404, description=f"User {user_id} not found")
    return user


@users_bp.get("/")
@require_api_key
def list_users():
    role = req.args.get("role")
    db = get_db()
    if role:
        rows = db.execute("SELECT * FROM users WHERE role = ? ORDER BY id", (role,)).fetchall()
    else:
        rows = db.execute("SELECT * FROM users ORDER BY id").fetchall()
    return jsonify([user_to_dict(row) for row in rows])


@users_bp.post("/")
@login_required
@roles_required("admin")
def create_user():
    data = req.get_json(silent=True)
    errors = validate_user_data(data)
    if errors:
        return {"errors": errors}, 400
    db = get_db()
    exists = db.execute("SELECT 1 FROM users WHERE username = ?", (data["username"],)).fetchone()
    if exists:
        return {"errors": [f"username {data['username']!r} is already taken"]}, 409
    cur = db.execute(
        "INSERT INTO users (username, email, password_hash, role, verify_token)"
        " VALUES (?, ?, ?, ?, ?)",
        (
            data["username"],
            data["email"],
            generate_password_hash(data["password"]),
            data.get("role", "viewer"),
            str(uuid.uuid4()),
        ),
    )
    db.commit()
    user = _get_user_or_404(cur.lastrowid)
    location = url_for("users.get_user", user_id=user["id"])
    return user_to_dict(user), 201, {"Location": location}


@users_bp.get("/<int:user_id>")
@no_store  # an account's details: never kept by a cache
@require_api_key
def get_user(user_id):
    return user_to_dict(_get_user_or_404(user_id))


@users_bp.delete("/<int:user_id>")
@login_required
@roles_required("admin")
def delete_user(user_id):
    _get_user_or_404(user_id)
    if user_id == g.user["id"]:
        abort(403, description="You cannot delete your own account")
    db = get_db()
    db.execute("DELETE FROM users WHERE id = ?", (user_id,))
    db.commit()
    return "", 204


@users_bp.put("/<int:user_id>/role")
@login_required
@roles_required("admin")
def set_role(user_id):
    _get_user_or_404(user_id)
    data = req.get_json(silent=True) or {}
    role = validate_role(data.get("role"))  # raises ValidationError -> 400
    db = get_db()
    db.execute("UPDATE users SET role = ? WHERE id = ?", (role, user_id))
    db.commit()
    return user_to_dict(_get_user_or_404(user_id))


@users_bp.get("/me/reviews")
@token_user_required
def my_reviews(user):
    """The reviews the token's user wrote, newest first."""
    rows = get_db().execute(
        "SELECT id, item_id, title, rating FROM reviews WHERE user_id = ? ORDER BY id DESC",
        (user["id"],),
    ).fetchall()
    return jsonify([dict(row) for row in rows])


@users_bp.get("/me/reviews/<int:review_id>")
@token_user_required
def my_review(user, review_id):
    # another user's review is as missing as one that does not exist
    row = get_db().execute(
        "SELECT id, item_id, title, body, rating FROM reviews WHERE id = ? AND user_id = ?",
        (review_id, user["id"]),
    ).fetchone()
    if row is None:
        abort(404, description=f"Review {review_id} not found")
    return dict(row)


@users_bp.get("/<username>/profile")
def public_profile(username):
    db = get_db()
    user = db.execute("SELECT * FROM users WHERE username = ?", (username,)).fetchone()
    if user is None:
        abort(404)
    review_count = db.execute(
        "SELECT COUNT(*) FROM reviews WHERE user_id = ?", (user["id"],)
    ).fetchone()[0]
    return {
        "username": user["username"],
        "role": user["role"],
        "member_since": user["created_at"][:10],
        "review_count": review_count,
    }


@users_bp.get("/verify/<uuid:token>")
def verify_email(token):
    db = get_db()
    user = db.execute("SELECT * FROM users WHERE verify_token = ?", (str(token),)).fetchone()
    if user is None:
        abort(404, description="Unknown or expired verification token")
    db.execute("UPDATE users SET verified = 1 WHERE id = ?", (user["id"],))
    db.commit()
    return {"username": user["username"], "verified": True}


@users_bp.route("/preferences", methods=["GET", "PUT"])
def preferences():
    """Display preferences live in cookies so they work without logging in."""
    if req.method == "GET":
        return {
            "theme": req.cookies.get("theme", "light"),
            "language": req.cookies.get("lang", req.accept_languages.best or "en"),
        }

    data = req.get_json(silent=True) or {}
    theme = data.get("theme", req.cookies.get("theme", "light"))
    if theme not in THEMES:
        abort(400, description=f"theme must be one of: {', '.join(THEMES)}")
    language = data.get("language", req.cookies.get("lang", "en"))
    if not isinstance(language, str) or not 2 <= len(language) <= 5:
        abort(400, description="language must be a 2-5 character language tag")
    response = make_response({"theme": theme, "language": language})
    response.set_cookie("theme", theme, max_age=365 * 24 * 3600)
    response.set_cookie("lang", language, max_age=365 * 24 * 3600)
    return response
