"""FM003: `return jsonify(x)` -> `return x` (also inside `(body, status[, headers])` tuples).

The generated endpoint renders dicts and lists with the legacy app's JSON provider, so the bytes
on the wire stay Flask's (sorted keys, compact, trailing newline, HTTP dates). Only `return`
values are rewritten: a `jsonify(...)` whose Response object is used further (`resp =
jsonify(x); resp.status_code = 201`) is left as it is.
"""

from __future__ import annotations

import json

import libcst as cst

from codemods.base import ViewCodemod


class JsonifyReturn(ViewCodemod):
    RULE_ID = "FM003"
    SUMMARY = "return jsonify(x) -> return x, rendered with Flask's JSON encoding"

    def payload(self, call: cst.BaseExpression) -> cst.BaseExpression | None:
        if not isinstance(call, cst.Call) or not self.context.is_flask(call.func, "jsonify"):
            return None
        positional = [a for a in call.args if a.keyword is None and not a.star]
        keywords = [a for a in call.args if a.keyword is not None]
        if any(a.star for a in call.args) or (positional and keywords):
            return None
        if len(positional) == 1:
            return positional[0].value
        if len(positional) > 1:
            return cst.List([cst.Element(a.value) for a in positional])
        if keywords:
            return cst.Dict(
                [
                    cst.DictElement(cst.SimpleString(json.dumps(a.keyword.value)), a.value)
                    for a in keywords
                    if a.keyword is not None
                ]
            )
        return None  # jsonify() with no arguments renders `null`: left as it is

    def leave_Return(self, original_node: cst.Return, updated_node: cst.Return) -> cst.Return:
        value = updated_node.value
        if value is None:
            return updated_node
        payload = self.payload(value)
        if payload is not None:
            self.changed()
            return updated_node.with_changes(value=payload)
        if isinstance(value, cst.Tuple) and value.elements:
            first = self.payload(value.elements[0].value)
            if first is not None:
                self.changed()
                elements = [value.elements[0].with_changes(value=first), *value.elements[1:]]
                return updated_node.with_changes(value=value.with_changes(elements=elements))
        return updated_node
