"""WSGI entry point: ``gunicorn 'legacy_flask_app.wsgi:app'`` (with examples/ on PYTHONPATH)."""

import os

from legacy_flask_app import create_app
from legacy_flask_app.fixtures import load_fixtures

app = create_app()

# First start on a fresh machine: create the database with the demo data
# (normally done with `flask --app legacy_flask_app init-db --seed`).
if not os.path.exists(app.config["DATABASE"]):
    load_fixtures(app)
