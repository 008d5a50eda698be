"""Deterministic demo/test data.

``load_fixtures(app)`` recreates the schema and inserts the same rows every
time, so ids, slugs, timestamps and counts are stable.  The differential tester
calls it on the Flask side (and the equivalent on the FastAPI side) before each
case.

Known credentials::

    admin  / admin-password   (role admin)
    editor / editor-password  (role editor)
    alice  / alice-password   (role viewer, verified)
    bob    / bob-password     (role viewer, NOT verified; token BOB_VERIFY_TOKEN)

API key: ``app.config["API_KEY"]`` (``dev-api-key`` by default).
"""

import functools

from werkzeug.security import generate_password_hash

from .db import get_db, init_db

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "admin-password"
BOB_VERIFY_TOKEN = "6f1c2d4e-8a9b-4c3d-9e8f-0123456789ab"

# username, email, password, role, verified, verify_token, created_at
USERS = [
    ("admin", "admin@example.com", ADMIN_PASSWORD, "admin", 1, None, "2023-01-02T08:00:00"),
    ("editor", "editor@example.com", "editor-password", "editor", 1, None, "2023-02-03T09:00:00"),
    ("alice", "alice@example.com", "alice-password", "viewer", 1, None, "2023-03-04T10:00:00"),
    (
        "bob",
        "bob@example.com",
        "bob-password",
        "viewer",
        0,
        BOB_VERIFY_TOKEN,
        "2023-04-05T11:00:00",
    ),
]

# name, slug, description, price, in_stock, category slug, tags, created_at
ITEMS = [
    (
        "Claw Hammer",
        "claw-hammer",
        "16 oz steel claw hammer.",
        19.99,
        1,
        "tools",
        ["steel", "hand-tool"],
        "2024-01-10T10:00:00",
    ),
    (
        "Screwdriver Set",
        "screwdriver-set",
        "Six precision screwdrivers.",
        24.5,
        1,
        "tools",
        ["hand-tool", "precision"],
        "2024-01-11T10:00:00",
    ),
    (
        "Cordless Drill",
        "cordless-drill",
        "18V drill with two batteries.",
        89.0,
        0,
        "tools",
        ["power-tool"],
        "2024-01-12T10:00:00",
    ),
    ("Tape Measure", "tape-measure", None, 7.25, 1, "tools", ["hand-tool"], "2024-01-13T10:00:00"),
    (
        "Garden Hose",
        "garden-hose",
        "25 m expandable hose.",
        34.99,
        1,
        "garden",
        ["outdoor", "watering"],
        "2024-01-14T10:00:00",
    ),
    (
        "Pruning Shears",
        "pruning-shears",
        "Bypass pruner, steel blades.",
        15.0,
        1,
        "garden",
        ["outdoor", "steel"],
        "2024-01-15T10:00:00",
    ),
    (
        "Watering Can",
        "watering-can",
        "10 litre galvanised can.",
        22.0,
        0,
        "garden",
        ["watering"],
        "2024-01-16T10:00:00",
    ),
    (
        "Chef Knife",
        "chef-knife",
        "8 inch chef's knife.",
        59.95,
        1,
        "kitchen",
        ["steel", "precision"],
        "2024-01-17T10:00:00",
    ),
    (
        "Cutting Board",
        "cutting-board",
        "End-grain walnut board.",
        45.0,
        1,
        "kitchen",
        ["wood"],
        "2024-01-18T10:00:00",
    ),
    (
        "Cast Iron Skillet",
        "cast-iron-skillet",
        "Pre-seasoned 12 inch skillet.",
        39.9,
        1,
        "kitchen",
        [],
        "2024-01-19T10:00:00",
    ),
    (
        "Espresso Tamper",
        "espresso-tamper",
        "58 mm stainless tamper.",
        18.0,
        1,
        "kitchen",
        ["steel"],
        "2024-01-20T10:00:00",
    ),
    (
        "Mystery Box",
        "mystery-box",
        "Uncategorised clearance item.",
        5.0,
        1,
        None,
        [],
        "2024-01-21T10:00:00",
    ),
]

# item slug, username (or None), author_email, title, body, rating, helpful, created_at
REVIEWS = [
    (
        "claw-hammer",
        "alice",
        "alice@example.com",
        "Solid",
        "Feels great in the hand.",
        5,
        3,
        "2024-02-01T12:00:00",
    ),
    (
        "claw-hammer",
        None,
        "guest@example.net",
        None,
        "Handle cracked after a month.",
        2,
        0,
        "2024-02-02T12:00:00",
    ),
    (
        "chef-knife",
        "alice",
        "alice@example.com",
        "Sharp!",
        "Cuts tomatoes like butter.",
        5,
        7,
        "2024-02-03T12:00:00",
    ),
    (
        "garden-hose",
        "bob",
        "bob@example.com",
        "Okay",
        "Kinks sometimes.",
        3,
        1,
        "2024-02-04T12:00:00",
    ),
    (
        "cordless-drill",
        "editor",
        "editor@example.com",
        "Back in stock when?",
        "Great drill but always sold out.",
        4,
        0,
        "2024-02-05T12:00:00",
    ),
]


@functools.cache
def _password_hash(password):
    # Hashing is deliberately slow; the fixtures are reloaded before every
    # differential-test case, so hash each known password only once per process.
    return generate_password_hash(password)


def load_fixtures(app) -> None:
    """(Re)initialise ``app``'s database to the known demo state."""
    with app.app_context():
        init_db()
        db = get_db()
        user_ids = {}
        for username, email, password, role, verified, token, created in USERS:
            cur = db.execute(
                "INSERT INTO users (username, email, password_hash, role, verified,"
                " verify_token, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (username, email, _password_hash(password), role, verified, token, created),
            )
            user_ids[username] = cur.lastrowid

        categories = {
            row["slug"]: row["id"] for row in db.execute("SELECT id, slug FROM categories")
        }
        item_ids = {}
        for name, slug, description, price, in_stock, category, tags, created in ITEMS:
            cur = db.execute(
                "INSERT INTO items (name, slug, description, price, in_stock, category_id,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (name, slug, description, price, in_stock, categories.get(category), created),
            )
            item_ids[slug] = cur.lastrowid
            db.executemany(
                "INSERT INTO item_tags (item_id, tag) VALUES (?, ?)",
                [(cur.lastrowid, tag) for tag in tags],
            )

        for slug, username, email, title, body, rating, helpful, created in REVIEWS:
            db.execute(
                "INSERT INTO reviews (item_id, user_id, author_email, title, body, rating,"
                " helpful, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    item_ids[slug],
                    user_ids.get(username),
                    email,
                    title,
                    body,
                    rating,
                    helpful,
                    created,
                ),
            )
        db.commit()

    # the @cached views must not serve data from before the reset
    app.extensions.pop("legacy_view_cache", None)
