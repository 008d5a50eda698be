"""Custom exceptions and the app-wide error handlers."""

import json

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException


class ValidationError(Exception):
    """Raised by the validators in :mod:`legacy_flask_app.validation`.

    Turned into ``400 {"error": message, "field": field}`` by the handler below.
    """

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def _wants_html():
    # The admin pages are the only HTML part of the app.
    return request.path.startswith("/admin")


def register_error_handlers(app):
    @app.errorhandler(ValidationError)
    def handle_validation_error(err):
        return jsonify({"error": err.message, "field": err.field}), 400

    @app.errorhandler(404)
    def not_found(err):
        if _wants_html():
            return render_template("404.html", path=request.path), 404
        return jsonify(error="not_found", message=err.description, path=request.path), 404

    @app.errorhandler(HTTPException)
    def handle_http_exception(err):
        """JSON instead of the HTML error pages, for everything but /admin.

        Straight from the Flask docs: start from the exception's own response so
        headers such as ``Allow`` (405) and ``WWW-Authenticate`` are kept.
        """
        if _wants_html():
            return err
        response = err.get_response()
        response.data = json.dumps(
            {"code": err.code, "name": err.name, "description": err.description}
        )
        response.content_type = "application/json"
        return response
