"""Flask extensions that add routes to the app when it starts, from their own code.

No scan of the project's source lists those routes: Flask-Admin's pages, flasgger's
documentation, prometheus-flask-exporter's `/metrics` exist only in the `url_map` of the running
app. The generated app serves them from the legacy app, through its mount, as every route that
was not converted; the scan names the extension (`scan.extension_routes`) so that the report does
not pass them over in silence.
"""

from __future__ import annotations

#: (the extension's top-level package, the class or function made or called with the app) ->
#: what it adds. Matched on the package and the last name, so that `flask_admin.Admin` and
#: `flask_admin.base.Admin` are one.
ROUTE_ADDING_EXTENSIONS: dict[tuple[str, str], str] = {
    ("flask_admin", "Admin"): "Flask-Admin's index (`/admin/` unless `url=` says otherwise) and "
                              "the pages of every view given to `add_view`",
    ("flask_appbuilder", "AppBuilder"): "Flask-AppBuilder's security and menu views "
                                        "(`/login/`, `/users/list/`, ...) and every view given "
                                        "to `add_view`",
    ("flasgger", "Swagger"): "flasgger's documentation pages (`/apidocs/`, `/apispec_1.json` "
                             "and their static files, unless its config says otherwise)",
    ("flask_security", "Security"): "Flask-Security's views (`/login`, `/logout`, and those its "
                                    "config enables)",
    ("flask_user", "UserManager"): "Flask-User's views (`/user/sign-in`, `/user/sign-out`, ...)",
    ("flask_debugtoolbar", "DebugToolbarExtension"): "the debug toolbar's views "
                                                     "(`/_debug_toolbar/...`), in debug mode",
    **{("prometheus_flask_exporter", name): "its metrics page (`/metrics` unless `path=` says "
                                            "otherwise)"
       for name in ("PrometheusMetrics", "RESTfulPrometheusMetrics", "UWsgiPrometheusMetrics",
                    "GunicornPrometheusMetrics", "GunicornInternalPrometheusMetrics")},
    ("flask_restless", "APIManager"): "the API of every model given to `create_api`",
    ("flask_uploads", "configure_uploads"): "the `/_uploads/<set>/<filename>` view of its "
                                            "upload sets",
    ("flask_autoindex", "AutoIndex"): "the folder listings it serves",
    ("flask_monitoringdashboard", "bind"): "its dashboard's pages and API (`/dashboard/...`)",
    ("dash", "Dash"): "Dash's page, its `/_dash-layout`, `/_dash-dependencies`, "
                      "`/_dash-update-component` and `/_dash-component-suites/...` endpoints and "
                      "a catch-all `<path:path>`, under its `url_base_pathname` (`/` unless "
                      "given)",
    ("flask_sock", "Sock"): "flask-sock's WebSocket routes (those given to `sock.route`), which "
                            "the generated app's legacy mount cannot serve (a WSGI app under "
                            "ASGI gets no WebSocket): serve them from the Flask app's own server "
                            "(the proxy's legacy upstream)",
    ("flask_apispec", "FlaskApiSpec"): "flask-apispec's documentation pages (`/swagger/`, "
                                       "`/swagger-ui/` and `/flask-apispec/static/...`, unless "
                                       "its config says otherwise)",
    ("flask_simplelogin", "SimpleLogin"): "flask_simplelogin's login and logout views "
                                          "(`/login/`, `/logout/` unless its config says "
                                          "otherwise)",
}


#: Base classes whose subclasses make their routes from their methods when registered
#: (`QuotesView.register(app)`): (package, class) -> what the routes are.
ROUTE_MAKING_VIEW_BASES: dict[tuple[str, str], str] = {
    ("flask_classy", "FlaskView"): "Flask-Classy's routes from the class's methods "
                                   "(`index`, `get`, `post`, ... and those with `@route`)",
}


def _known(table: dict[tuple[str, str], str], qualified: str) -> str | None:
    top, _, rest = qualified.partition(".")
    return table.get((top, rest.rpartition(".")[2])) if rest else None


def routes_made_by_view_base(qualified_base: str) -> str | None:
    """What registering a subclass of `qualified_base` adds, if it makes routes of its own."""
    return _known(ROUTE_MAKING_VIEW_BASES, qualified_base)


def routes_added_by(extension: str) -> str | None:
    """What the extension made or called as `extension` (a qualified name, as the scan
    resolved it) adds to the app's routes, if it is one known to add some."""
    return _known(ROUTE_ADDING_EXTENSIONS, extension)
