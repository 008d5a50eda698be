"""Render the generated FastAPI package from converted views (Jinja2 templates in templates/)."""

from __future__ import annotations

import hashlib
import json
import keyword
import re
import sys
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import libcst as cst

from codemods.base import BODILESS_METHODS
from migrator.convert.dependencies import render_dependencies
from migrator.convert.order import may_match, precedence_order
from migrator.convert.output import GeneratedFile
from migrator.convert.schemas import render_schemas
from migrator.convert.view import ConvertedView
from migrator.model import (
    ARGUMENT_CONVERTER_TYPES,
    ONE_SEGMENT,
    RULE_PARAMETER,
    App,
    DecoratorInfo,
    PathParameter,
    Route,
)
from migrator.resources import template_environment, templates_dir
from migrator.scan.classify import NAME_MARKING_DECORATORS, RESTX_API
from migrator.scan.link import APP_FRAMEWORK_CLASSES, SMOREST_API_CLASSES

# Flask converter -> Starlette convertor (flask_params.py registers the flask_* ones).
STARLETTE_CONVERTORS = {
    "default": "",
    "string": "",
    "int": ":int",
    "uuid": ":flask_uuid",
    "float": ":flask_float",
    "path": ":flask_path",
}
VERB_DECORATORS = {"GET": "get", "POST": "post", "PUT": "put", "PATCH": "patch",
                   "DELETE": "delete"}
# Route decorator options that describe a request body (left off GET and DELETE: BODILESS_METHODS).
BODY_OPTIONS = frozenset({"openapi_extra"})
# Route decorator options that describe the answer (written right after the path).
ANSWER_OPTIONS = frozenset({"response_model", "responses"})
# Copied verbatim into every generated package.
RUNTIME_FILES = ("flask_compat.py", "flask_params.py")


def to_fastapi_path(route: Route) -> str:
    """`/items/<int:item_id>` -> `/items/{item_id:int}`, with convertors matching Werkzeug's."""
    parameters = {p.name: p for p in route.parameters}

    def replace(match: re.Match[str]) -> str:
        name = match["name"]
        parameter = parameters.get(name)
        if parameter is not None and needs_rule_convertor(parameter):
            return "{" + name + ":" + rule_convertor(parameter)[0] + "}"
        if parameter is not None and parameter.custom is not None:
            return "{" + name + "}"  # one path segment, as Starlette's default
        converter = parameter.converter if parameter is not None else "default"
        return "{" + name + STARLETTE_CONVERTORS[converter] + "}"

    return RULE_PARAMETER.sub(replace, route.served_rule)


def needs_rule_convertor(parameter: PathParameter) -> bool:
    """Whether the parameter's path part needs a convertor registered by the package: a
    converter with arguments, or one the app registers whose regex is not one path segment."""
    if parameter.custom is not None:
        return parameter.custom.regex != ONE_SEGMENT
    return bool(parameter.arguments)


def rule_convertor(parameter: PathParameter) -> tuple[str, str, str]:
    """(name, regex, value type) of the Starlette convertor for a converter with arguments
    (FM001 converts only those `converter_regex` gives a regex for) or one the app registers
    (its value, a string, is only what FastAPI matched: the view takes Werkzeug's). The name is
    the converter and a hash of the regex, so the same converter gets the same name in every
    run."""
    regex = parameter.regex
    assert regex is not None, parameter
    digest = hashlib.sha256(regex.encode()).hexdigest()[:10]
    if parameter.custom is not None:
        return f"flask_custom_{parameter.converter}_{digest}", regex, "str"
    return f"flask_{parameter.converter}_{digest}", regex, ARGUMENT_CONVERTER_TYPES[parameter.converter]


def render_routers_package(views: list[ConvertedView], app_module: str) -> str:
    """`routers/__init__.py`: it imports the module that makes the legacy app (`app_module`)
    before any router imports a view's module; registers the convertors of the converters with
    arguments (and of the app's own) the routes use, before any router builds its paths; and
    names each converted endpoint's legacy view (`LEGACY_VIEWS`), which the generated app checks
    against the legacy app at start-up."""
    convertors = sorted({rule_convertor(p) for view in views for p in view.route.parameters
                         if needs_rule_convertor(p)})
    lines = ['"""One APIRouter per converted Flask blueprint."""', "",
             "# The module that makes the legacy app, first, as serving the legacy app imports it",
             "# first: the modules it imports may have to be loaded before a view's module is",
             "# (moin 2.0's views and items import each other, and its views cannot be imported",
             "# first). Bound to a name no router has (a router named after the legacy package,",
             "# rq_dashboard's, must stay this package's attribute).",
             f"import {app_module} as _legacy_app_module  # noqa: F401"]
    if convertors:
        lines += ["", "from ..flask_params import register_rule_convertor", "",
                  "# Werkzeug converters with arguments, and the app's own, by the regex they match"]
        for name, regex, value_type in convertors:
            lines.append(f"register_rule_convertor({_string(name)}, {_raw_string(regex)}, "
                         f"{value_type})")
    legacy_views = legacy_view_table(views)
    if legacy_views:
        lines += ["", "# Each converted endpoint's legacy view: its module, its name there, and how many",
                  "# wrappers its rule's registration puts around it (for a view defined inside a",
                  "# function, then how many its decorators put). At start-up the app checks that",
                  "# the legacy app runs exactly these; a route whose view was wrapped or replaced",
                  "# while the legacy app was set up (by an extension, say) is answered by Flask."]
        if any(len(entry) == 5 for entry in legacy_views.values()):
            lines += ["# Last, where `functools.wraps(func)` is written on such a view, the function",
                      "# passed for `func`, which the view's `__wrapped__` names."]
        lines += ["LEGACY_VIEWS = {"]
        for endpoint, (module, name, *counts) in sorted(legacy_views.items()):
            shown = ", ".join(_string(count) if isinstance(count, str) else str(count)
                              for count in counts)
            lines.append(f"    {_string(endpoint)}: ({_string(module)}, {_string(name)}, {shown}),")
        lines.append("}")
        lines += ["", "# The Flask rules each converted endpoint was converted from. At start-up the app",
                  "# checks that the legacy app serves each of them for that endpoint; where it does",
                  "# not (a prefix changed since, a rule registered only under some setting), Flask",
                  "# answers the endpoint, so no converted route answers where Flask would not.",
                  "LEGACY_RULES = {"]
        for endpoint, rules in sorted(legacy_rule_table(views).items()):
            lines.append(f"    {_string(endpoint)}: {_string_tuple(rules)},")
        lines.append("}")
    converted_values = legacy_converted_values(views)
    if converted_values:
        lines += ["", "# The path values each converted endpoint takes from the legacy request",
                  "# (`request.view_args`): a converter the app registers gives them. At start-up",
                  "# the app checks that no other value of the endpoint's rules has one (a converter",
                  "# registered where `migrate scan` could not see it); if one has, Flask answers.",
                  "LEGACY_CONVERTED_VALUES = {"]
        for endpoint, names in sorted(converted_values.items()):
            lines.append(f"    {_string(endpoint)}: {_string_tuple(names)},")
        lines.append("}")
    return "\n".join(lines) + "\n"


def legacy_rule_table(views: list[ConvertedView]) -> dict[str, tuple[str, ...]]:
    """Each converted endpoint's Flask rules, as Werkzeug matches them: one that merges slashes
    at its path with them merged (`Route.served_rule`), which the start-up check then finds
    served only where the legacy app does merge them."""
    rules: dict[str, set[str]] = {}
    for view in views:
        rules.setdefault(view.route.endpoint, set()).add(view.route.served_rule)
    return {endpoint: tuple(sorted(found)) for endpoint, found in rules.items()}


def legacy_converted_values(views: list[ConvertedView]) -> dict[str, tuple[str, ...]]:
    """Each converted endpoint's path values that a converter of the app's own gives, in any
    of its rules (moin's `/+feed/atom/<itemname:item_name>` above `/+feed/atom` with
    `defaults=`: the second rule's view, with none, took the endpoint's entry)."""
    found: dict[str, dict[str, None]] = {}
    for view in views:
        names = found.setdefault(view.route.endpoint, {})
        names.update(dict.fromkeys(p.name for p in view.route.parameters
                                   if p.custom is not None))
    return {endpoint: tuple(names) for endpoint, names in found.items() if names}


def legacy_view_table(views: list[ConvertedView]) -> dict[str, tuple[str, str, int] |
                                                            tuple[str, str, int, int] |
                                                            tuple[str, str, int, int, str]]:
    """Each converted endpoint's view: (module, name in it, registration wrappers: one each,
    none for one that only marks the view and returns it, one more for the Api.output a
    Flask-RESTful resource is registered in). A view defined inside a function (FM026), which
    its module does not bind, is found below the registered view's wrappers by its qualified
    name; its entry adds the number of wrappers its decorators put around it, and the function
    `functools.wraps` on the view names as its `__wrapped__` (`Route.view_wraps`), if any."""
    table: dict[str, tuple[str, str, int] | tuple[str, str, int, int] |
                tuple[str, str, int, int, str]] = {}
    for view in views:
        route = view.route
        at = len(route.wrapped_at_registration)
        wrappers = _wrapping(route.decorator_details[:at])
        if route.kind == "resource":
            wrappers += 1  # Api.output, which FM027's restful_output stands for
        entry = (route.view_module or route.module, route.function, wrappers)
        if "." in route.function:
            table[route.endpoint] = (*entry, _wrapping(route.decorator_details[at:]),
                                     *((route.view_wraps,) if route.view_wraps else ()))
        else:
            table[route.endpoint] = entry
    return table


def _wrapping(decorators: list[DecoratorInfo]) -> int:
    """How many wrappers `decorators` put around a view: one each, none for one that only
    marks the view and returns it (`csrf.exempt`)."""
    return sum(d.qualified not in NAME_MARKING_DECORATORS for d in decorators)


def _raw_string(value: str) -> str:
    """A Python literal of `value`, raw when that is the same text (a regex, perhaps a class's
    own `regex`: any text at all)."""
    raw = '"' not in value and not value.endswith("\\") and value.isprintable()
    return 'r"' + value + '"' if raw else repr(value)


# FastAPI's own pages (FastAPI() argument -> default path). The generated app must answer every
# URL the legacy app answers as Flask does, so a page whose path a legacy rule may answer moves
# under the first of PAGE_PREFIXES that no legacy rule answers, or is turned off.
FASTAPI_PAGES = {"openapi_url": "/openapi.json", "docs_url": "/docs", "redoc_url": "/redoc"}
PAGE_PREFIXES = ("", "/fastapi", "/_fastapi")
SWAGGER_OAUTH2_REDIRECT = "/oauth2-redirect"  # below docs_url, as FastAPI's default puts it
# Extensions (as the scan names them) that add their own OpenAPI and documentation pages while
# the app runs, at paths no scan sees: flask-smorest serves /openapi.json, /redoc, /swagger-ui
# under its OPENAPI_URL_PREFIX; an APIFlask app serves /openapi.json and /docs (its class is
# recorded as the app's extension); a Flask-RESTX Api its Swagger UI at its `doc=` path and
# /swagger.json. With one on the app, FastAPI's pages leave the default paths.
DOCS_SERVING_EXTENSIONS = SMOREST_API_CLASSES | APP_FRAMEWORK_CLASSES | {RESTX_API}


def fastapi_page_urls(legacy_rules: Sequence[str], extensions: Sequence[str] = ()
                      ) -> dict[str, str | None]:
    """The FastAPI() arguments that keep its pages off the paths legacy rules answer (and off
    the default paths when one of `extensions`, the app's, serves pages of its own): empty
    when the defaults are free, else each moved page's path (None: no free path, page off)."""
    # (a rule the scan could not read, `<unresolved: ...>`, says nothing about these paths)
    readable = [rule for rule in legacy_rules if not rule.startswith("<unresolved")]

    def free(*paths: str) -> bool:
        return not any(may_match(rule, path) for rule in readable for path in paths)

    prefixes = PAGE_PREFIXES[1:] if DOCS_SERVING_EXTENSIONS & set(extensions) else PAGE_PREFIXES
    chosen: dict[str, str | None] = {}
    for option, path in FASTAPI_PAGES.items():
        extra = (SWAGGER_OAUTH2_REDIRECT,) if option == "docs_url" else ()
        chosen[option] = next((prefix + path for prefix in prefixes
                               if free(prefix + path, *(prefix + path + e for e in extra))), None)
    if chosen["openapi_url"] is None:  # the documentation pages read the schema
        chosen["docs_url"] = chosen["redoc_url"] = None
    moved = {option: url for option, url in chosen.items() if url != FASTAPI_PAGES[option]}
    if "docs_url" in moved and moved["docs_url"] is not None:
        moved["swagger_ui_oauth2_redirect_url"] = moved["docs_url"] + SWAGGER_OAUTH2_REDIRECT
    return moved


def fastapi_page_paths(legacy_rules: Sequence[str], extensions: Sequence[str] = ()
                       ) -> list[str]:
    """Every path the generated app serves one of FastAPI's own pages at (the schema, Swagger UI
    and its OAuth2 redirect, ReDoc), where `fastapi_page_urls` puts them."""
    moved = fastapi_page_urls(legacy_rules, extensions)
    paths = []
    for option, default in FASTAPI_PAGES.items():
        url = moved.get(option, default)
        if url is None:
            continue
        paths.append(url)
        if option == "docs_url":  # FastAPI serves the redirect below the docs, wherever they are
            paths.append(url + SWAGGER_OAUTH2_REDIRECT)
    return paths


# Names main.py binds itself, and the package's own modules: a router module must not shadow them.
_RESERVED_MODULE_NAMES = frozenset({
    "app", "legacy_app", "create_app", "load_legacy_app", "FastAPI", "Flask", "main", "bridge",
    "flask_compat", "flask_params", "mount_legacy", "FlaskMethodsMiddleware",
    "register_flask_convertors", "routers", "schemas",
})


def router_module_name(blueprint: str | None) -> str:
    """`routers/<name>.py` for a blueprint; the app's own routes go to `app_routes`. Module
    names are lower case with underscores (PEP 8, ruff's N999): lemur's `healthCheck` blueprint
    goes to `health_check`."""
    name = re.sub(r"\W", "_", blueprint or "app")
    name = re.sub(r"(?<=[^\W_A-Z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][^\W_A-Z])", "_", name).lower()
    name = re.sub(r"_+", "_", name).strip("_") or "app"
    if name[0].isdigit() or name in _RESERVED_MODULE_NAMES or keyword.iskeyword(name):
        name = f"{name}_routes"
    return name


def router_module_names(blueprints: list[str | None]) -> dict[str | None, str]:
    """Each blueprint's router module; blueprints whose names differ only in case or
    punctuation (`api` and `API`, `a-b` and `a_b`) get `_2`, `_3`... in name order."""
    modules: dict[str | None, str] = {}
    taken: set[str] = set()
    for blueprint in sorted(blueprints, key=lambda b: (b is not None, b or "")):
        module = base = router_module_name(blueprint)
        count = 1
        while module in taken:
            count += 1
            module = f"{base}_{count}"
        taken.add(module)
        modules[blueprint] = module
    return modules


@dataclass
class LegacyApp:
    module: str
    name: str
    factory: str | None
    description: str
    # why the generated package cannot make the app itself (create_app(legacy_app) takes it)
    unloadable: str | None = None
    # WSGI middleware around its wsgi_app that converted routes run too (App.middleware)
    middleware: dict[str, str] = field(default_factory=dict)
    # the factory call that makes it, as the project states it (App.stated_app); None: bare
    call: str | None = None
    # a module imported first, which imports the modules that add to the app (App.loaded_with)
    imports_first: str | None = None
    # gevent or eventlet, whose monkey patching loading it runs (App.green_threads): uvicorn
    # then serves with its asyncio loop
    green_threads: str | None = None

    @property
    def uvicorn_options(self) -> str:
        """What the uvicorn command line adds for this app: `--loop asyncio` where loading it
        makes the standard library green, under which uvloop answers no request."""
        return " --loop asyncio" if self.green_threads else ""


def legacy_app_spec(app: App) -> LegacyApp:
    """How the generated package gets the legacy app: the module's app; or its factory, called
    as the project states (`[tool.migrate] legacy-app`), else bare; or, when the factory needs
    arguments (or is a method or nested function, which no import reaches), a module-level name
    the project binds to what it made with it (`app = create_app("production")` in wsgi.py, the
    app production serves); or nothing."""
    spec = _legacy_app_source(app)
    spec.middleware = dict(sorted(app.middleware.items()))
    spec.green_threads = app.green_threads
    if app.unloaded_middleware and spec.unloadable is None:
        # an import, or the function found returning the app, would give it without the
        # middleware production runs (an auth check perhaps): every route would skip it
        spec.unloadable = (f"{spec.description} lacks the WSGI middleware production runs, "
                           "set up by code that loading it does not run: "
                           f"{_first_few(app.unloaded_middleware)}")
    if app.served_inside and spec.unloadable is None:
        # CloudKitty's `setup_app()`: an import gives the app outside the composition production
        # serves, at other paths and without the middleware around it (an auth check perhaps)
        spec.unloadable = (f"{spec.description} is served inside WSGI middleware that loading it "
                           f"does not set up: {_first_few(app.served_inside)}; give "
                           "create_app(legacy_app) the app with that middleware around its "
                           "`wsgi_app` (`app.wsgi_app = Middleware(app.wsgi_app)`), through "
                           "which the generated app serves it")
    if app.set_up_elsewhere and spec.unloadable is None:
        # a `wsgi.py` importing the app and adding an auth hook: an import of the app's own
        # module gives it without that hook, which production's app runs on every request
        spec.unloadable = (f"{spec.description} lacks what modules that importing it does not "
                           f"import add to it: {_first_few(app.set_up_elsewhere)} (state the "
                           "module production serves the app from in pyproject.toml: "
                           "`[tool.migrate]` `legacy-app = \"module:name\"`)")
    if app.run_time_registrations and spec.unloadable is None:
        # calibre-web's `main()` registers every blueprint, then starts its own server: the app
        # an import gives has none of those routes
        spec.unloadable = (f"{spec.description} lacks the blueprints registered by code that "
                           f"loading it does not run: {_first_few(app.run_time_registrations)}")
    return spec


def _first_few(entries: list[str]) -> str:
    """The first three entries, and how many more there are."""
    more = f" and {len(entries) - 3} more" if len(entries) > 3 else ""
    return ", ".join(entries[:3]) + more


def _legacy_app_source(app: App) -> LegacyApp:
    # (the line of `app = create_app()` at module level, when a project function makes the
    # app, is not known: scan.extract records only some calls' lines)
    where = f"`{app.module}` ({app.file}{'' if app.line is None else f':{app.line}'})"
    if app.stated_app:
        # the scan takes a statement only where the call makes the app with all its routes
        # (and, for an app made at module level, with the middleware production sets up)
        module, _, call = app.stated_app.partition(":")
        if "(" not in call:  # a module-level app made with the factory (terracotta's)
            made = f"made by `{app.factory}` in {where}" if app.factory else f"made in {where}"
            return LegacyApp(module, call, None,
                             f"`{call}` in `{module}`, {made}, the app production serves as "
                             "pyproject.toml states ([tool.migrate] legacy-app)")
        # the factory, a function making a Flask subclass, or one returning a module's app
        function = call.partition("(")[0]
        stated = "with the arguments pyproject.toml states ([tool.migrate] legacy-app)"
        if not app.factory:
            return LegacyApp(module, app.name, function,
                             f"`{function}` in `{module}`, which returns `{app.name}` of "
                             f"{where}, called {stated}", call=call)
        made_in = where if function == app.factory else f"`{module}`"
        return LegacyApp(module, app.name, function,
                         f"made by `{function}` in {made_in} {stated}", call=call)
    if not app.factory and app.wrapping_factory:
        # ironic-inspector's `get_app()`, which wraps `_app.wsgi_app` in its auth middleware
        module, _, function = app.wrapping_factory.partition(":")
        return LegacyApp(module, app.name, function,
                         f"`{function}()` in `{module}`, which returns `{app.name}` of {where} "
                         "with its middleware around `wsgi_app`, as production gets it")
    if not app.factory and app.loaded_with:
        return LegacyApp(app.module, app.name, None,
                         f"`{app.name}` in {where}, once `{app.loaded_with}` is imported, which "
                         "imports the modules that add to it, as serving the app from it does",
                         imports_first=app.loaded_with)
    if not app.factory:
        return LegacyApp(app.module, app.name, None, f"`{app.name}` in {where}")
    if app.instance_registrations:
        # `app = create_app()` then `app.register_blueprint(bp)` in wsgi.py: that app, the one
        # with every blueprint, when one module does both
        registering = {entry.split(":", 1)[0] for entry in app.instance_registrations}
        made_there = [instance for instance in app.instances
                      if instance.partition(":")[0] in registering]
        if len(registering) == 1 and made_there:
            module, _, name = made_there[0].partition(":")
            return LegacyApp(module, name, None, f"`{name}` in `{module}`, made by the factory "
                                                 "and given its blueprints there")
        shown = _first_few([entry.split(":", 1)[1] for entry in app.instance_registrations])
        return LegacyApp(app.module, app.name, None,
                         f"`{app.name}` of `{app.factory}` in {where}, which cannot be made here",
                         unloadable=f"blueprints are registered on apps `{app.factory}` made, by "
                                    f"module-level code that loading one does not run: {shown}")
    if app.wrapping_factory:
        # lemur's `lemur.create_app()`, which gives the factory its blueprints
        module, _, function = app.wrapping_factory.partition(":")
        return LegacyApp(module, app.name, function,
                         f"`{function}()` in `{module}`, which makes the app with "
                         f"`{app.factory}` in {where}")
    if "." not in app.factory and not app.factory_requires:
        return LegacyApp(app.module, app.name, app.factory, f"`{app.factory}()` in {where}")
    # the instance of a module-level subclass of Flask (no function making it takes no argument
    # without a default, or the scan found none); a nested class no import reaches
    subclass = app.flask_subclass if "." not in (app.flask_subclass or ".") else None
    if subclass and not app.factory_requires:  # called bare, as such a factory is
        return LegacyApp(app.module, app.name, subclass,
                         f"`{subclass}()` in {where}, the app's own subclass of Flask")
    requires = ", ".join(app.factory_requires)
    why = (f"`{subclass}` in {where}, the app's own subclass of Flask, takes arguments without "
           f"a default ({requires})" if subclass
           else f"`{app.factory}` in {where} is not a module-level function" if "." in app.factory
           else f"`{app.factory}` in {where} takes arguments without a default ({requires})")
    if app.instances:
        module, _, name = app.instances[0].partition(":")
        return LegacyApp(module, name, None,
                         f"`{name}` in `{module}`, made by the factory: {why}")
    # a module-level factory that takes arguments can be called as the project states
    returning = ", or a call of a function returning it" if subclass else ""
    stateable = "" if app.run_time_registrations or ("." in app.factory and not subclass) else (
        " (state the call that makes the production app in pyproject.toml: `[tool.migrate]` "
        f"`legacy-app = \"{app.module}:{subclass or app.factory}(...)\"`{returning}, literal "
        "arguments)")
    return LegacyApp(app.module, app.name, None,
                     f"`{app.name}` of `{app.factory}` in {where}, which cannot be made here",
                     unloadable=f"{why}, and no module binds an app made with it unconditionally, "
                                f"once, at its top level{stateable}")


def _import_section(module: str, legacy_tops: frozenset[str]) -> int:
    if module.startswith("."):
        return 3
    top = module.split(".")[0]
    if top in legacy_tops:
        return 2
    if top in sys.stdlib_module_names:
        return 0
    return 1


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """Ruff's natural order: runs of digits compare as numbers (`v2` before `v10`)."""
    return tuple((0, int(part)) if part.isdigit() else (1, part)
                 for part in re.split(r"(\d+)", text) if part)


def _module_order(module: str) -> tuple:
    """Ruff's isort order of module names: case-insensitive first, natural."""
    return (_natural(module.lower()), _natural(module))


def _name_order(name: str) -> tuple:
    """isort's order-by-type inside `from x import a, B, C_D`: constants, classes, the rest;
    inside each, case-insensitive first (`get_required` before `getLowerParams`), natural."""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return (kind, *_module_order(name))


def render_imports(imports: set[tuple[str, str | None, str]], legacy_tops: frozenset[str]) -> str:
    """isort-ordered import blocks: stdlib, third party, the legacy package, this package.

    Whether isort (ruff's `I001`) takes the legacy package for first or third party depends on
    where it runs (the package's folder under the project's `src`, or `known-first-party`): the
    legacy block is written apart from the one before it (`# isort: split`), so that it is
    sorted on its own, and passes either way (`examples/legacy_flask_app` is third party to a
    ruff run from the repository's root)."""
    sections: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    plain: dict[int, set[str]] = defaultdict(set)
    for module, name, local in imports:
        section = _import_section(module, legacy_tops)
        if name is None:
            plain[section].add(module if local == module.split(".")[0] else
                               f"{module} as {local}")
        else:
            sections[section][module].add(name if name == local else f"{name} as {local}")
    blocks = []
    for section in range(4):
        lines = [f"import {m}" for m in sorted(plain[section], key=_module_order)]
        # relative imports furthest first (`from .. import x` before `from ..bridge import y`
        # before `from . import z`), as isort and ruff order them
        for module in sorted(sections[section], key=lambda m: (
                len(m.lstrip(".")) - len(m), _module_order(m.lstrip(".")))):
            # isort keeps `x as y` imports on lines of their own, after the plain names.
            names = sorted((n for n in sections[section][module] if " as " not in n),
                           key=_name_order)
            groups = [names] if names else []
            groups += [[n] for n in sections[section][module] if " as " in n]
            # the statements of one module in the order of their first names (ruff's isort)
            groups.sort(key=lambda group: (_name_order(group[0].split(" as ")[0]),
                                           _module_order(group[0])))
            for group in groups:
                line = f"from {module} import {', '.join(group)}"
                if len(line) > 88:
                    body = "".join(f"    {n},\n" for n in group)
                    line = f"from {module} import (\n{body})"
                lines.append(line)
        if lines and section == 2 and blocks:
            lines.insert(0, "# isort: split")
        if lines:
            blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _string_tuple(values: tuple[str, ...]) -> str:
    """A tuple literal of strings, as a person writes it: `("a",)`, `("a", "b")`."""
    return f"({', '.join(map(_string, values))}{',' if len(values) == 1 else ''})"


def _string(value: str) -> str:
    """A double-quoted Python literal of any text: JSON's escapes are Python's (a rule or a
    logger name with a tab or a newline stays one line); a lone surrogate, which no file can
    hold, is written escaped."""
    text = json.dumps(value, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(value)
    return text


def router_prefix(url_prefix: str | None, routes: list[Route]) -> str:
    """The `APIRouter(prefix=...)` for a blueprint registered under `url_prefix`: the prefix
    without its trailing slash, when it is plain text (no rule parameter) and every route's path
    starts with it, so that prefix + path is each route's full path; else "" (full paths)."""
    prefix = (url_prefix or "").rstrip("/")
    if not prefix.startswith("/") or "<" in prefix or "{" in prefix:
        return ""
    paths = [to_fastapi_path(route) for route in routes]
    if all(path == prefix or path.startswith(prefix + "/") for path in paths):
        return prefix
    return ""


def _without_body(code: str) -> str | None:
    """A body option for a method that carries no body (GET, DELETE). Of the parts of an
    `openapi_extra` (joined with ` | `), FM030's `reqparse_openapi(parser)` still documents the
    parser's query, header and cookie arguments (`body=False`), FM033's `restx_openapi(...)`
    those and the answers, FM032's `query_parameters(Model)` the query string; the others
    describe a body and are left out. None: nothing is left."""
    kept = []
    for part in code.split(" | "):
        if part.startswith(("reqparse_openapi(", "restx_openapi(")) and part.endswith(")"):
            kept.append(f"{part[:-1]}, body=False)")
        elif part.startswith("query_parameters("):
            kept.append(part)
    return " | ".join(kept) or None


def default_operation_id(route: Route, method: str) -> str:
    """The OpenAPI operationId FastAPI gives the endpoint of `route` for `method`
    (`fastapi.utils.generate_unique_id`: name and path with every non-word character made `_`).
    Two rules of one endpoint that differ only there (zou's `/data/entities/guess-from-path` and
    its alias `/guess_from_path`) get the same."""
    path_format = re.sub(r"{(\w+):[^}]*}", r"{\1}", to_fastapi_path(route))
    return re.sub(r"\W", "_", f"{route.endpoint}{path_format}") + f"_{method.lower()}"


def unique_operation_ids(views: Sequence[ConvertedView]) -> list[dict[str, str]]:
    """For each view of a router, in order, the operationId to write for each of its methods
    whose default one an earlier endpoint has (FastAPI warns, and the schema would name two
    operations alike): the default with `_2`, `_3`..."""
    taken: set[str] = set()
    found = []
    for view in views:
        renamed: dict[str, str] = {}
        for method in view.route.methods:
            default = unique = default_operation_id(view.route, method)
            count = 2
            while unique in taken:
                unique = f"{default}_{count}"
                count += 1
            taken.add(unique)
            if unique != default:
                renamed[method] = unique
        found.append(renamed)
    return found


def endpoint_source(view: ConvertedView, function_name: str, prefix: str = "",
                    operation_ids: Mapping[str, str] | None = None) -> str:
    """The endpoint, decorated for a router whose prefix is `prefix`; `operation_ids`: the
    operationId to write, by method, where FastAPI's own would repeat another's."""
    route = view.route
    path = _string(to_fastapi_path(route).removeprefix(prefix))
    name = _string(route.endpoint)
    decorators = []
    # what the route answers (FM011/FM013) comes right after the path, as FastAPI's docs write
    # it; the request's options (body, FM007/FM010-FM012) after the name and dependencies
    answer = "".join(f", {key}={code}" for key, code in sorted(view.route_options.items())
                     if key in ANSWER_OPTIONS)
    path = f"{path}{answer}"
    options = "".join(f", {key}={code}" for key, code in sorted(view.route_options.items())
                      if key not in ANSWER_OPTIONS)
    # route dependencies (FM020) apply to every method
    guards = f", dependencies=[{', '.join(view.dependencies)}]" if view.dependencies else ""
    verbs = [VERB_DECORATORS.get(m) for m in route.methods]
    # a body is documented on the methods that carry one
    bodiless = {key: code if key not in BODY_OPTIONS else _without_body(code)
                for key, code in view.route_options.items() if key not in ANSWER_OPTIONS}
    bodiless_options = "".join(f", {key}={code}" for key, code in sorted(bodiless.items())
                               if code is not None)
    # one route per method: a route of several methods names them all with one operationId
    # (FastAPI warns "Duplicate Operation ID"); a method with no shortcut (HEAD, OPTIONS, a
    # WebDAV one) gets an `api_route` of its own
    for method, verb in zip(route.methods, verbs, strict=True):
        extra = bodiless_options if method in BODILESS_METHODS else options
        operation = (f", operation_id={_string(operation_ids[method])}"
                     if operation_ids and method in operation_ids else "")
        maker = f"{verb}({path}, " if verb else f"api_route({path}, methods=[{_string(method)}], "
        decorators.append(f"router.{maker}name={name}{operation}{guards}{extra})")
    decorators.append("bridge.route")
    new_decorators = [cst.Decorator(cst.parse_expression(d)) for d in decorators]
    function = view.function.with_changes(
        name=cst.Name(function_name),
        decorators=[*new_decorators, *view.function.decorators],
    )
    code = cst.Module(body=[function]).code
    return code.strip("\n")


def render_router(blueprint: str | None, views: list[ConvertedView],
                  legacy_tops: frozenset[str], url_prefix: str | None = None) -> str:
    """`routers/<blueprint>.py`; `url_prefix` is the blueprint's registered prefix."""
    views = [views[index] for index in precedence_order([[view.route] for view in views])]
    prefix = router_prefix(url_prefix, [view.route for view in views])
    imports: set[tuple[str, str | None, str]] = {("fastapi", "APIRouter", "APIRouter"),
                                                  ("..bridge", "bridge", "bridge")}
    used_names: set[str] = set()
    sources = []
    loggers: dict[str, str | None] = {}  # made here, not imported: ConvertedView.loggers
    optional: set[tuple[str, str, str]] = set()  # imported if bound: ConvertedView.optional
    type_only: set[tuple[str, str | None, str]] = set()  # ConvertedView.type_only
    for view in views:
        for module, name, local in view.imports:
            if module in (".flask_params", "."):
                module = f".{module}"  # the generated package, seen from routers/
            if (module, name) in view.loggers:
                loggers[local] = view.loggers[(module, name)]
            elif (module, name) in view.optional:
                optional.add((module, name, local))  # type: ignore[arg-type]
            elif (module, name) in view.type_only:
                type_only.add((module, name, local))
            else:
                imports.add((module, name, local))
    imported_locals = {local for _, _, local in imports} | set(loggers) | \
        {local for _, _, local in optional}
    type_only = {item for item in type_only if item[2] not in imported_locals}
    if type_only:
        imports.add(("typing", "TYPE_CHECKING", "TYPE_CHECKING"))
    imported_locals |= {local for _, _, local in type_only}
    for view, operation_ids in zip(views, unique_operation_ids(views), strict=True):
        # a view that functools.wraps names after the function it is given (fava's
        # `api_endpoint(get_changed)`) is that function to Flask, and to the reader
        function_name = view.route.view_wraps.rpartition(".")[2] if view.route.view_wraps \
            else view.function.name.value
        while function_name in used_names or function_name in imported_locals:
            function_name = f"{function_name}_"
        used_names.add(function_name)
        sources.append(endpoint_source(view, function_name, prefix, operation_ids))
    origin = f"the blueprint `{blueprint}`" if blueprint else "the app's own routes"
    template = template_environment().get_template("fastapi_app/router.py.j2")
    definitions = "\n".join([*_type_checking_imports(type_only, legacy_tops),
                              *_optional_imports(optional), *(
        f"{local} = logging.getLogger({'' if name is None else _string(name)})"
        for local, name in sorted(loggers.items(), key=lambda item: _module_order(item[0])))])
    text = template.render(origin=origin, imports=render_imports(imports, legacy_tops),
                           definitions=definitions, prefix=prefix, tag=blueprint or "app",
                           views="\n\n\n".join(sources))
    if all(view.newline == "\r\n" for view in views):
        # The legacy code uses CRLF: the router that carries its views does too.
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return text


def _type_checking_imports(type_only: set[tuple[str, str | None, str]],
                           legacy_tops: frozenset[str]) -> list[str]:
    """Names only annotations Python does not evaluate read (ConvertedView.type_only: string
    annotations, local variables'), for linters and type checkers: imported under `if
    TYPE_CHECKING:`, as the legacy module may import them (to avoid an import cycle), so that
    importing the router runs no new import."""
    if not type_only:
        return []
    block = render_imports(type_only, legacy_tops)
    return ["if TYPE_CHECKING:  # read only by annotations Python does not evaluate",
            *(f"    {line}" if line else "" for line in block.split("\n")), ""]


def _optional_imports(optional: set[tuple[str, str, str]]) -> list[str]:
    """Names the legacy module binds only on some paths (an optional dependency's import in a
    `try`) or that only its `from x import *` may bind, imported from there: the router still
    imports when they are not bound, and a view reaching one fails as in Flask (NameError)."""
    lines = []
    for module in sorted({module for module, _, _ in optional}, key=_module_order):
        names = sorted((name if name == local else f"{name} as {local}"
                        for found, name, local in optional if found == module), key=_name_order)
        for name in names:  # one at a time: a name not bound must not keep the next unbound
            lines += [("try:  # bound there only on some paths (an optional import), or by "
                       "`import *`"),
                      f"    from {module} import {name}",
                      "except ImportError:",
                      "    pass",
                      ""]
    return lines


def render_package(package: str, app: App, views: list[ConvertedView],
                   legacy_tops: frozenset[str], json_encoding: str = "flask",
                   url_prefixes: Mapping[str, str | None] | None = None,
                   legacy_rules: Sequence[str] = (), legacy_extensions: Sequence[str] = (),
                   fastapi_pages: bool = True) -> list[GeneratedFile]:
    """`legacy_tops`: the top-level modules of the scanned tree (the legacy project's own code,
    grouped as first-party imports). `url_prefixes`: each blueprint's registered prefix, by its
    dotted registration name (the router of a blueprint not in it gets full paths).
    `legacy_rules`: every rule of the legacy app, which FastAPI's own pages must not shadow;
    `legacy_extensions`: the app's extensions, some of which serve pages of their own;
    `fastapi_pages`: False turns the pages off (`--no-fastapi-pages`)."""
    legacy = legacy_app_spec(app)
    models_file = render_schemas(views)  # names the models first (deduplicated across views)
    files: list[GeneratedFile] = []
    guards = [guard for view in views for guard in view.guards]
    if guards:  # FM020: the route dependencies the views name
        content, views = render_dependencies(views, legacy_tops)
        files.append(GeneratedFile("dependencies.py", content))
    by_blueprint: dict[str | None, list[ConvertedView]] = defaultdict(list)
    for view in views:
        by_blueprint[view.route.blueprint].append(view)
    environment = template_environment()
    routers = []
    # main.py includes the routers in name order, but a router with a route that Werkzeug
    # chooses over another router's route on a shared path goes before that router
    blueprints = sorted(by_blueprint, key=lambda b: b or "")
    blueprints = [blueprints[index] for index in precedence_order(
        [[view.route for view in by_blueprint[blueprint]] for blueprint in blueprints])]
    modules = router_module_names(blueprints)
    for blueprint in blueprints:
        module = modules[blueprint]
        routers.append({"module": module, "blueprint": blueprint})
        url_prefix = (url_prefixes or {}).get(blueprint) if blueprint else None
        content = render_router(blueprint, by_blueprint[blueprint], legacy_tops, url_prefix)
        files.append(GeneratedFile(f"routers/{module}.py", content))
    files.append(GeneratedFile("routers/__init__.py", render_routers_package(views, app.module)))
    converted_values = bool(legacy_converted_values(views))  # main.py passes them on
    files.append(GeneratedFile("__init__.py", f'"""FastAPI app converted from `{legacy.module}` '
                                              'by migrate convert."""\n'))
    files.append(GeneratedFile("bridge.py", environment.get_template(
        "fastapi_app/bridge.py.j2").render(json_encoding=json_encoding)))
    files.append(GeneratedFile("main.py", environment.get_template("fastapi_app/main.py.j2")
                               .render(legacy=legacy, package=package, routers=routers,
                                       routers_import=render_imports(
                                           {(".routers", name, name) for name in (
                                               "LEGACY_RULES", "LEGACY_VIEWS",
                                               *(r["module"] for r in routers
                                                 if r["blueprint"] is None),
                                               *(["LEGACY_CONVERTED_VALUES"]
                                                 if converted_values else []))},
                                           frozenset()) if routers else "",
                                       converted_values=converted_values,
                                       title=f"{legacy.module} (migrated to FastAPI)",
                                       pages=fastapi_page_urls(legacy_rules,
                                                               legacy_extensions)
                                       if fastapi_pages else dict.fromkeys(FASTAPI_PAGES),
                                       pages_off=not fastapi_pages)))
    files.append(GeneratedFile("requirements.txt", environment.get_template(
        "fastapi_app/requirements.txt.j2").render(extra=[])))
    if models_file is not None:
        files.append(GeneratedFile("schemas.py", models_file))
    for name in RUNTIME_FILES:
        text = (templates_dir() / "fastapi_app" / name).read_text(encoding="utf-8")
        files.append(GeneratedFile(name, text))
    return sorted(files, key=lambda f: f.path)
