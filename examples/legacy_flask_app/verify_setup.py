"""The starting state `migrate verify` gives both apps before each case.

    migrate verify --legacy legacy_flask_app:create_app --new migrated_app.main:app \\
        --setup legacy_flask_app.verify_setup:fresh_database \\
        --cases examples/legacy_flask_app/verify_cases.yaml

`fresh_database(app)` is called with the legacy Flask app and with the Flask app the generated
FastAPI app wraps: each gets its own temporary database (and upload folder), reset to the
fixtures, and an empty view cache. Both sides therefore start every case from the same rows.

The fixtures are loaded once per app into a template database, which is then copied before each
case: recreating the schema costs a few synced writes (~0.2 s on a slow disk), a copy does not.
"""

import atexit
import shutil
import tempfile
from pathlib import Path

from .fixtures import load_fixtures


def fresh_database(app) -> None:
    folder = app.config.get("VERIFY_FOLDER")
    if folder is None:
        folder = tempfile.mkdtemp(prefix="legacy-verify-")
        atexit.register(shutil.rmtree, folder, True)
        app.config.update(VERIFY_FOLDER=folder, DATABASE=str(Path(folder) / "template.sqlite3"),
                          UPLOAD_FOLDER=str(Path(folder) / "uploads"))
        load_fixtures(app)
        app.config["DATABASE"] = str(Path(folder) / "db.sqlite3")
    shutil.copyfile(Path(folder) / "template.sqlite3", app.config["DATABASE"])
    uploads = Path(app.config["UPLOAD_FOLDER"])
    if not uploads.is_dir() or any(uploads.iterdir()):  # most cases upload nothing
        shutil.rmtree(uploads, ignore_errors=True)
        uploads.mkdir(parents=True)
    app.extensions.pop("legacy_view_cache", None)  # decorators.cached keeps answers per app
