"""FM026: a view defined inside a function takes that function's names from the legacy view.

Flask apps define views inside functions: the tutorial's `/hello` inside `create_app`,
changedetection.io's blueprints inside `construct_blueprint(datastore, ...)`, locust's inside
`WebUI.__init__`. Such a view reads the function's names (`datastore`, `app`, `self`, a helper
defined there) through its closure: cells held by the function object that the factory made and
the legacy app registered. A router can import only module-level names. The legacy app runs in
the same process, so the converted view takes each of those names from that function object when
it is called:

    datastore = enclosing_value("ui.index", "datastore")  # FM026: ...

That is the cell's value at the time of the call. The factory may have rebound the name after the
`def`, and the closure sees the last value, so this does too. The generated app's start-up check
(`changed_legacy_views`) makes sure the legacy app registered that very function.

What the factory evaluated when it ran the `def` cannot be run again by a router: the view's
decorators, its defaults and its annotations. A view that reads the factory's names there stays
on Flask. So does one that rebinds them (`nonlocal`), because that writes to the factory's cell.
The rule runs first, so the names it binds are taken when later rules name new parameters.
"""

from __future__ import annotations

import json

import libcst as cst
import libcst.matchers as m

from codemods.base import ViewCodemod, free_names
from codemods.query_args import FLASK_PARAMS
from migrator.scan.names import is_docstring


class EnclosingValues(ViewCodemod):
    RULE_ID = "FM026"
    SUMMARY = ("a view defined inside a function (an app or blueprint factory) takes that "
               "function's names from the legacy view's closure: x = enclosing_value(endpoint, 'x')")

    def leave_view(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        enclosing = self.context.enclosing
        if enclosing is None:
            return updated_node
        owner = f"{enclosing.function}()"
        rebound = sorted({name.name.value for node in m.findall(updated_node.body, m.Nonlocal())
                          for name in node.names} & enclosing.names)
        if rebound:
            self.refuse(f"the view rebinds {', '.join(rebound)} of {owner} (`nonlocal`), which "
                        "a converted view cannot")
            return updated_node
        signature = updated_node.with_changes(body=cst.IndentedBlock([cst.SimpleStatementLine(
            [cst.Pass()])]))
        at_definition = sorted(set(free_names(signature)) & enclosing.names)
        if at_definition:
            self.refuse(
                f"the view's decorators, defaults or annotations read {', '.join(at_definition)} "
                f"of {owner}, which {owner} evaluated when it defined the view; a router cannot")
            return updated_node
        reads = sorted(set(free_names(updated_node)) & enclosing.names)
        if not reads:
            return updated_node
        body = updated_node.body
        lines: list[cst.BaseStatement] = list(body.body) if isinstance(body, cst.IndentedBlock) \
            else [cst.SimpleStatementLine(body.body, trailing_whitespace=body.trailing_whitespace)]
        # (that was a one-line body: `def hello(): return app.name`)
        at = 1 if lines and is_docstring(lines[0]) else 0
        route = self.context.route
        # `@wraps(func)` on the view names `func` as its `__wrapped__`: the cells are the view's,
        # found in that chain by its own name
        below = f", view={json.dumps(route.function)}" if route.view_wraps else ""
        lines[at:at] = [
            cst.parse_statement(
                f"{name} = enclosing_value({json.dumps(route.endpoint)}, {json.dumps(name)}"
                f"{below})  # FM026: {owner}'s `{name}`, from the legacy view's closure\n")
            for name in reads]
        self.context.imports.add((FLASK_PARAMS, "enclosing_value"))
        self.changed()
        return updated_node.with_changes(body=cst.IndentedBlock(lines) if not isinstance(
            body, cst.IndentedBlock) else body.with_changes(body=lines))
