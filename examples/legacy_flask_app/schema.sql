-- Schema for the legacy catalog app.  Executed by db.init_db(); it drops
-- everything first, so running it resets the database.

DROP TABLE IF EXISTS reviews;
DROP TABLE IF EXISTS item_tags;
DROP TABLE IF EXISTS items;
DROP TABLE IF EXISTS categories;
DROP TABLE IF EXISTS users;

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT UNIQUE NOT NULL,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'viewer',
    verified INTEGER NOT NULL DEFAULT 0,
    verify_token TEXT UNIQUE,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT UNIQUE NOT NULL,
    name TEXT NOT NULL
);

CREATE TABLE items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    slug TEXT UNIQUE NOT NULL,
    description TEXT,
    price REAL NOT NULL,
    in_stock INTEGER NOT NULL DEFAULT 1,
    category_id INTEGER REFERENCES categories (id),
    image TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
);

CREATE TABLE item_tags (
    item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (item_id, tag)
);

CREATE TABLE reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    author_email TEXT NOT NULL,
    title TEXT,
    body TEXT NOT NULL,
    rating INTEGER NOT NULL,
    helpful INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
);

CREATE INDEX idx_items_category ON items (category_id);
CREATE INDEX idx_reviews_item ON reviews (item_id);

-- Categories are reference data and always present.
INSERT INTO categories (slug, name) VALUES ('tools', 'Tools');
INSERT INTO categories (slug, name) VALUES ('garden', 'Garden');
INSERT INTO categories (slug, name) VALUES ('kitchen', 'Kitchen');
