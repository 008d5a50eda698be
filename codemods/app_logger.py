"""FM035: `app.logger` of the legacy app the generated package serves -> `current_app.logger`.

A Flask module that defines `app = Flask(__name__)` often logs a failure in its views with
`except Exception: app.logger.exception(...)`. The converted view runs inside that app's context
(the bridge pushes it), so `current_app` is the very app, and its `logger` the very logger
(Flask's `app.logger` is `logging.getLogger(app.name)`, one object per name). The rewrite changes
nothing the view does; it keeps the router as clean as the legacy module: there ruff takes `app`,
a name the module binds, for a logger's owner and accepts the blind `except` that logs (BLE001),
but in the router `app` is imported, ruff resolves it to the legacy module's object and flags the
handler, while `flask.current_app.logger` is one of the loggers it knows.

Only a name the view reads from its module (not one it binds, and not one a nested function or
lambda binds) that the module binds once, at the top level, to the served app (or imports from
where it is) is rewritten; nothing is, in a view that reads another `current_app` than Flask's.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from codemods.base import ViewCodemod, free_reads


class AppLogger(ViewCodemod):
    RULE_ID = "FM035"
    SUMMARY = ("app.logger of the served legacy app -> current_app.logger (the same logger, in "
               "the app's context the bridge pushes; ruff's BLE001 knows it for a logger)")

    def on_view(self, node: cst.FunctionDef) -> None:
        self.app_reads: set[int] = set()  # ids of the Name nodes that read the served app
        names = self.context.served_app_names
        # the scope analysis is costly: only for a view that writes `app.logger` at all
        if not names or not m.findall(node, m.Attribute(
                value=m.OneOf(*(m.Name(name) for name in names)), attr=m.Name("logger"))):
            return
        free = free_reads(node)
        if "current_app" in free and not self.context.is_flask(
                cst.Name("current_app"), "current_app"):
            return  # the view reads a `current_app` of its own: the new name would hide it
        self.app_reads = {id(name) for app in names for name in free.get(app, [])}

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute
                        ) -> cst.BaseExpression:
        if (original_node.attr.value != "logger" or not isinstance(original_node.value, cst.Name)
                or id(original_node.value) not in self.app_reads):
            return updated_node
        self.changed()
        self.context.imports.add(("flask", "current_app"))
        return updated_node.with_changes(value=cst.Name("current_app"))
