"""Authentication: the ``auth`` blueprint (``/auth``) and the access decorators.

* ``login_required``   -- session based; redirects (302) to the login page.
* ``require_api_key``  -- header based (``X-API-Key``); 401 when missing, 403 when wrong.
* ``roles_required``   -- role check on the logged-in user; 403 otherwise.
* ``token_user_required`` -- ``Authorization: Bearer <token>`` (from ``POST /auth/token``); hands
  the view the token's user first, as the well-known ``token_required`` recipe does; 401 otherwise.
* ``signed_link``      -- a link that carries its own proof (``?expires=...&signature=...``, made
  by ``sign_link``) for partners without an account; 401 unsigned, 403 expired or forged.
"""

import functools
import hashlib
import hmac
import time

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from .db import get_db
from .validation import validate_password

auth_bp = Blueprint("auth", __name__, url_prefix="/auth")


# --------------------------------------------------------------------------- #
# helpers / decorators
# --------------------------------------------------------------------------- #


def user_to_dict(row):
    return {
        "id": row["id"],
        "username": row["username"],
        "email": row["email"],
        "role": row["role"],
        "verified": bool(row["verified"]),
    }


def login_required(view):
    @functools.wraps(view)
    def wrapped_view(*args, **kwargs):
        if g.user is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped_view


def require_api_key(view):
    @functools.wraps(view)
    def wrapped_view(*args, **kwargs):
        supplied = request.headers.get("X-API-Key")
        if not supplied:
            abort(401, description="Missing X-API-Key header")
        expected = current_app.config["API_KEY"]
        if not hmac.compare_digest(supplied.encode(), expected.encode()):
            abort(403, description="Invalid API key")
        return view(*args, **kwargs)

    return wrapped_view


def _token_serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="api-token")


def token_user_required(view):
    @functools.wraps(view)
    def wrapped_view(*args, **kwargs):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return jsonify(error="a bearer token is required"), 401
        try:
            user_id = _token_serializer().loads(token)
        except BadSignature:
            return jsonify(error="invalid token"), 401
        user = get_db().execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
        if user is None:
            return jsonify(error="invalid token"), 401
        return view(user, *args, **kwargs)

    return wrapped_view


def roles_required(*roles):
    """Only let users with one of ``roles`` through (use below ``login_required``)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped_view(*args, **kwargs):
            if g.user is None or g.user["role"] not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped_view

    return decorator


admin_required = roles_required("admin")


def link_signature(path, expires):
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{path}|{expires}".encode(), hashlib.sha256).hexdigest()


def sign_link(path, expires):
    """The query string that makes ``path`` a link good until ``expires`` (unix time)."""
    return f"expires={expires}&signature={link_signature(path, expires)}"


class ViewDecorator:
    """Base of the view decorators written as classes (in 2019, "so they can hold per-view
    settings later"): the decorated view is an instance of the subclass, and ``view.view`` is the
    plain function underneath. A subclass defines ``__call__``.
    """

    def __init__(self, view):
        functools.update_wrapper(self, view)
        self.view = view


class signed_link(ViewDecorator):
    """Only let a request through on a link signed by ``sign_link`` that has not expired."""

    def __call__(self, *args, **kwargs):
        expires = request.args.get("expires", type=int)
        signature = request.args.get("signature", "")
        if expires is None or not signature:
            abort(401, description="This link is not signed")
        if expires < time.time():
            abort(403, description="This link has expired")
        if not hmac.compare_digest(signature, link_signature(request.path, expires)):
            abort(403, description="Invalid link signature")
        return self.view(*args, **kwargs)


def authenticate(username, password):
    """Return the user row for valid credentials, else None."""
    if not username or not password:
        return None
    user = get_db().execute("SELECT * FROM users WHERE username = ?", (username,)).fetchone()
    if user is None or not check_password_hash(user["password_hash"], password):
        return None
    return user


@auth_bp.before_app_request
def load_logged_in_user():
    user_id = session.get("user_id")
    if user_id is None:
        g.user = None
    else:
        g.user = get_db().execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()


# --------------------------------------------------------------------------- #
# routes
# --------------------------------------------------------------------------- #


@auth_bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = request.values.get("next", "")
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        user = authenticate(username, password)
        if user is None:
            error = "Incorrect username or password."
            return render_template("auth/login.html", error=error, next=next_url), 401
        session.clear()
        session["user_id"] = user["id"]
        # only follow local redirects
        if next_url.startswith("/") and not next_url.startswith("//"):
            return redirect(next_url)
        if user["role"] == "admin":
            return redirect(url_for("admin.dashboard"))
        return redirect(url_for("index"))
    return render_template("auth/login.html", error=None, next=next_url)


@auth_bp.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("auth.login"))


@auth_bp.post("/session")
def create_session():
    """JSON login for the single-page frontend."""
    data = request.get_json(silent=True) or {}
    user = authenticate(data.get("username"), data.get("password"))
    if user is None:
        return jsonify(error="invalid credentials"), 401
    session.clear()
    session["user_id"] = user["id"]
    response = make_response(jsonify(user=user_to_dict(user)))
    response.set_cookie("last_user", user["username"], max_age=30 * 24 * 3600, samesite="Lax")
    return response


@auth_bp.delete("/session")
def delete_session():
    had_session = "user_id" in session
    session.clear()
    return {"logged_out": had_session}


@auth_bp.post("/token")
def issue_token():
    """A bearer token for the JSON API (``token_user_required``)."""
    data = request.get_json(silent=True) or {}
    user = authenticate(data.get("username"), data.get("password"))
    if user is None:
        return jsonify(error="invalid credentials"), 401
    return {"token": _token_serializer().dumps(user["id"])}


@auth_bp.get("/me")
@login_required
def me():
    return jsonify(user_to_dict(g.user))


@auth_bp.post("/password")
@login_required
def change_password():
    data = request.get_json()
    if not isinstance(data, dict):
        abort(400, description="Request body must be a JSON object")
    if not check_password_hash(g.user["password_hash"], data.get("current_password") or ""):
        abort(403, description="Current password is wrong")
    new_password = validate_password(data.get("new_password"), field="new_password")
    db = get_db()
    db.execute(
        "UPDATE users SET password_hash = ? WHERE id = ?",
        (generate_password_hash(new_password), g.user["id"]),
    )
    db.commit()
    return {"message": "password changed"}
