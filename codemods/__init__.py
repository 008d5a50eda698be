"""LibCST codemods that turn Flask views into FastAPI routes (one concern per module).

Filled by the `migrate convert` work; `migrate scan` (migrator/scan) is their single source of
facts about the Flask app.
"""
