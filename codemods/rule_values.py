"""FM028: a view whose decorators hand it other arguments than the rule's values.

Flask calls the view it registered with the values of the rule, by name (`view(**request.
view_args)`). A decorator may hand the view something else: the `token_required` of many
tutorials calls `view(current_user, *args, **kwargs)`, ihatemoney's `need_auth` pops `project_id`
and passes `project=`, a decorator sets `kwargs["user"]`. The view's parameters are then not the
rule's values, so they cannot be the endpoint's: FastAPI would read `current_user` from the
query string. (Nor can they be where a value comes from a converter the app registers: FastAPI
gives the text it matched, Flask what `to_python` made of it, which such a decorator reads.)
The decorator stays around the view (FM025) and the view keeps its parameters as written (FM001
leaves them); the endpoint FastAPI sees takes the rule's values, typed as Flask's
converters make them, and calls the decorators with Flask's own values:

    @rule_values(todo_id=int)  # FM028: ...
    @token_required
    def todo(current_user, todo_id):

A view that takes `*args`/`**kwargs` (`def page(**values)`), whose signature FastAPI cannot read
as request parameters, gets the same: Flask calls it with the rule's values by name. So does a
view a project decorator wraps without `functools.wraps` (FM036): what FastAPI would see is the
wrapper's `(*args, **kwargs)`.

A view to which a blueprint's `url_value_preprocessor` gives a value the rule lacks
(`values["currency"] = ...`, or a parameter with a default no preprocessor gives: ihatemoney's
`authenticate(project_id=None)`) gets the same: Flask calls it with what the preprocessors left.

A view with keyword-only parameters of its own, which a decorator gives it
(`def generate_apikey(*, user, password)` under pyLoad's `@expect_json`), has them named first:
`@rule_values("user", "password")`; they are not the endpoint's.

`rule_values` (the generated package's flask_params.py) calls what it decorates with
`flask.request.view_args`, which the legacy URL map matched inside the bridge: exactly what Flask
passes, with a converter's `to_python`, a rule's `defaults` and what a `url_value_preprocessor`
left. It runs after every other rule, outermost: the guards FM020 lifted out of the decorators
above were already outside them.
"""

from __future__ import annotations

import json
import keyword

import libcst as cst

from codemods.base import ViewCodemod, commented_decorator, has_decorator, star_parameters
from codemods.path_params import rule_value_type, unmatched_converter
from codemods.query_args import FLASK_PARAMS

RULE_VALUES = "rule_values"


class RuleValues(ViewCodemod):
    RULE_ID = "FM028"
    SUMMARY = ("a view whose decorators hand it other arguments (token_required's current_user), "
               "to which a url_value_preprocessor gives values, or that takes *args/**kwargs: "
               "the endpoint takes the rule's values, @rule_values(id=int), and calls the view "
               "as Flask does, with view_args; the view keeps its parameters")

    def leave_view(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if not self.context.view_takes_other_arguments(original_node):
            return updated_node
        values: list[str] = []
        refused = False
        for parameter in self.context.route.parameters:
            typed = rule_value_type(parameter)
            if typed is None:
                self.refuse(unmatched_converter(parameter))
                refused = True
                continue
            if not parameter.name.isidentifier() or keyword.iskeyword(parameter.name):
                self.refuse(f"the rule's value {parameter.name!r} cannot be the name of an "
                            "endpoint parameter")
                refused = True
                continue
            annotation, needed = typed
            if needed:
                self.context.imports.add(needed)
            values.append(f"{parameter.name}={annotation}")
        if refused:
            return updated_node
        # The view's own keyword-only parameters, which its decorators give it (pyLoad's
        # `@expect_json` hands `def generate_apikey(*, user, password, ...)` the JSON body's
        # values): named first, so that the endpoint does not take them for the query
        # parameters the rules add after them (view.py), which FastAPI would require.
        given = [json.dumps(p.name.value) for p in updated_node.params.kwonly_params]
        code = f"{RULE_VALUES}({', '.join([*given, *values])})"
        if has_decorator(updated_node, code):
            return updated_node
        readers = self.context.arguments_read_by_decorators(original_node)
        gets = "gets" if len(readers) == 1 else "get"
        if readers:
            comment = (f"# FM028: FastAPI gives the rule's values, which "
                       f"{', '.join('@' + name for name in readers)} {gets} as in Flask; the "
                       "view keeps its parameters")
        elif star_parameters(original_node.params):
            comment = ("# FM028: FastAPI gives the rule's values; the view, which takes "
                       "*args/**kwargs, gets them by name, as in Flask")
        else:
            comment = ("# FM028: FastAPI gives the rule's values; the view gets what the "
                       "url_value_preprocessors left of them, as in Flask")
        endpoint = commented_decorator(code, comment)
        self.context.imports.add((FLASK_PARAMS, RULE_VALUES))
        self.changed()
        return updated_node.with_changes(decorators=[endpoint, *updated_node.decorators])
