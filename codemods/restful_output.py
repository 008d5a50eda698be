"""FM027: a Flask-RESTful (or Flask-RESTX) `Resource` method answers through the legacy Api's own
output.

Flask-RESTful registers each resource as `Api.output(Resource.as_view(endpoint))`: what a method
returns (`{"id": 1}`, `(data, 201)`, `(data, 201, headers)`) is made into a response by the Api,
with its representations (`output_json`: `json.dumps` with the app's `RESTFUL_JSON` settings,
keys in insertion order, a trailing newline) and content negotiation by `Accept`. That is not
what Flask's `make_response` makes of the same value (sorted keys, `jsonify`'s encoding). So the
converted endpoint keeps the Api's output, in the place Flask-RESTful puts it, inside the Api's
own `decorators` and around the class's `decorators` and `method_decorators`:

    @restful_output("todo")  # FM027: ...
    def todo_get(todo_id: str):

`restful_output` (the generated package's flask_params.py) calls the very Api the legacy app
registered the resource with. Errors need nothing: the bridge hands them to the legacy app's
error handling, which the Api routes to its own `handle_error` for its endpoints, as in Flask.

Flask-RESTX registers its resources the same way (`Api.output`, with the Namespace's and the Api's
`decorators` around it); its resource's dispatch also validates the payload against the models
the method expects before calling it, which the converter writes as `@restx_payload(endpoint)`
where the dispatch does it (inside the class's `decorators`, around its `method_decorators`).

The rules after this one see a decorator the scan has nothing on, around the view: FM003 leaves
`return jsonify(x)` alone (the Api would encode a dict differently) and FM004 leaves `abort`
alone, and FM020 lifts only the guards outside it (the Api's `decorators`).
"""

from __future__ import annotations

import json

import libcst as cst

from codemods.base import RESTFUL_OUTPUT, ViewCodemod, commented_decorator, has_decorator
from codemods.query_args import FLASK_PARAMS
from migrator.scan.classify import RESOURCE_APIS


class RestfulOutput(ViewCodemod):
    RULE_ID = "FM027"
    SUMMARY = ("a Flask-RESTful/RESTX Resource method answers through the legacy Api's output "
               "(representations, RESTFUL_JSON): @restful_output(endpoint), where Api.output "
               "wraps the view")

    def leave_view(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        route = self.context.route
        if route.kind != "resource" or route.resource_api not in RESOURCE_APIS:
            return updated_node
        code = f"{RESTFUL_OUTPUT}({json.dumps(route.endpoint)})"
        if has_decorator(updated_node, code):
            return updated_node
        # the Api's own `decorators` are registration wrappers, written first (outermost)
        at = len(route.wrapped_at_registration)
        output = commented_decorator(code, "# FM027: the legacy Api makes the answer")
        decorators = list(updated_node.decorators)
        self.context.imports.add((FLASK_PARAMS, RESTFUL_OUTPUT))
        self.changed()
        return updated_node.with_changes(decorators=[*decorators[:at], output, *decorators[at:]])
