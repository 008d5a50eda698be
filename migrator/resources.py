"""Where packaged data lives: templates ship inside the installed package."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import jinja2


def templates_dir() -> Path:
    """`migrator/templates` in an installed wheel; the repository's `templates/` in a checkout.

    The wheel build maps the top-level `templates/` folder into the package (pyproject.toml,
    `force-include`), so both layouts hold the same files.
    """
    packaged = Path(str(resources.files("migrator"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"


def template_environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # generates Markdown and source code, never HTML
    )
