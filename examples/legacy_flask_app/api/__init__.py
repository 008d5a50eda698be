"""The JSON API blueprint, mounted at ``/api/v1``.

The view modules import ``api_bp`` from here and attach their routes to it, so
they are imported at the bottom (the classic Flask circular-import pattern).
The ``reviews`` blueprint is nested: its routes end up under
``/api/v1/reviews`` with endpoints named ``api.reviews.<view>``. ``stock`` adds its
Flask-RESTful resources to this blueprint (endpoints ``api.stocklist``, ``api.itemstock``).
"""

from flask import Blueprint

api_bp = Blueprint("api", __name__, url_prefix="/api/v1")


@api_bp.after_request
def add_api_headers(response):
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers["X-API-Version"] = "1"
    return response


from . import catalog, items, stock  # noqa: F401  (importing registers the routes)
from .reviews import reviews_bp

api_bp.register_blueprint(reviews_bp, url_prefix="/reviews")
