"""Hand-written request validation.

Three generations of style live here, as in most long-lived Flask apps:

* ``validate_item_data`` returns ``(ok, message)`` (the oldest one),
* ``validate_user_data`` returns a list of error strings,
* ``validate_role`` / ``validate_pagination`` / ``validate_upload_filename`` /
  ``validate_password`` raise :class:`~legacy_flask_app.errors.ValidationError`,
  which the app-level error handler turns into a 400.

Reviews are validated by a marshmallow schema instead (see ``schemas.py``).
"""

import re

from .errors import ValidationError

ROLES = ("admin", "editor", "viewer")
USERNAME_RE = re.compile(r"^[A-Za-z0-9_]+$")

NAME_MAX = 100
DESCRIPTION_MAX = 500
MIN_PASSWORD_LENGTH = 8


def _is_number(value):
    # bool is a subclass of int; a price of `true` is not a price.
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def validate_item_data(data: dict, partial: bool = False) -> tuple[bool, str]:
    """Validate the JSON body of an item create/update.

    Rules:
      * ``name``: required, string, 1..100 characters
      * ``description``: optional (may be null), string, at most 500 characters
      * ``price``: required, number (int or float, not bool), > 0
      * ``in_stock``: optional boolean; callers default it to ``True``

    With ``partial=True`` (PATCH) required fields may be missing, but any field
    that *is* present must still be valid.

    Returns ``(True, "")`` or ``(False, "<first problem found>")``.
    """
    if not isinstance(data, dict):
        return False, "body must be a JSON object"

    if "name" not in data:
        if not partial:
            return False, "name is required"
    else:
        name = data["name"]
        if not isinstance(name, str):
            return False, "name must be a string"
        if not 1 <= len(name) <= NAME_MAX:
            return False, f"name must be between 1 and {NAME_MAX} characters"

    description = data.get("description")
    if description is not None:
        if not isinstance(description, str):
            return False, "description must be a string"
        if len(description) > DESCRIPTION_MAX:
            return False, f"description must be at most {DESCRIPTION_MAX} characters"

    if "price" not in data:
        if not partial:
            return False, "price is required"
    else:
        price = data["price"]
        if not _is_number(price):
            return False, "price must be a number"
        if price <= 0:
            return False, "price must be greater than 0"

    if "in_stock" in data and not isinstance(data["in_stock"], bool):
        return False, "in_stock must be a boolean"

    return True, ""


def validate_user_data(data: dict, require_password: bool = True) -> list[str]:
    """Validate a user create payload; returns every problem found (empty list = valid).

    * ``username``: required, 3..30 characters of ``[A-Za-z0-9_]``
    * ``email``: required, must contain ``@``
    * ``password``: required unless ``require_password=False``, >= 8 characters
    * ``role``: optional, one of ``admin``, ``editor``, ``viewer``
    """
    if not isinstance(data, dict):
        return ["body must be a JSON object"]

    errors = []
    username = data.get("username")
    if not username:
        errors.append("username is required")
    elif not isinstance(username, str):
        errors.append("username must be a string")
    else:
        if not 3 <= len(username) <= 30:
            errors.append("username must be between 3 and 30 characters")
        if not USERNAME_RE.match(username):
            errors.append("username may only contain letters, digits and underscores")

    email = data.get("email")
    if not email:
        errors.append("email is required")
    elif not isinstance(email, str) or "@" not in email:
        errors.append("email must be a valid email address")

    password = data.get("password")
    if require_password and not password:
        errors.append("password is required")
    elif password is not None:
        if not isinstance(password, str):
            errors.append("password must be a string")
        elif len(password) < MIN_PASSWORD_LENGTH:
            errors.append(f"password must be at least {MIN_PASSWORD_LENGTH} characters")

    role = data.get("role", "viewer")
    if role not in ROLES:
        errors.append(f"role must be one of: {', '.join(ROLES)}")

    return errors


def validate_role(role):
    """Raise ValidationError unless ``role`` is a known role; returns it unchanged."""
    if not isinstance(role, str) or role not in ROLES:
        raise ValidationError(f"role must be one of: {', '.join(ROLES)}", field="role")
    return role


def validate_password(password, field="password"):
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"password must be at least {MIN_PASSWORD_LENGTH} characters", field=field
        )
    return password


def validate_pagination(page, per_page, max_per_page=100):
    if page < 1:
        raise ValidationError("page must be >= 1", field="page")
    if not 1 <= per_page <= max_per_page:
        raise ValidationError(f"per_page must be between 1 and {max_per_page}", field="per_page")
    return page, per_page


def validate_upload_filename(filename, allowed_extensions):
    if "." not in filename:
        raise ValidationError("file has no extension", field="image")
    ext = filename.rsplit(".", 1)[1].lower()
    if ext not in allowed_extensions:
        raise ValidationError(
            f"file type .{ext} is not allowed (allowed: {', '.join(sorted(allowed_extensions))})",
            field="image",
        )
    return ext


def parse_bool(value):
    """``type=`` callable for query strings: ``?in_stock=true`` / ``0`` / ``no``.

    Raising ValueError makes ``request.args.get(..., type=parse_bool)`` fall back
    to the default, exactly like ``type=int`` does for ``?page=abc``.
    """
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(value)


def slugify(text):
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "item"
