"""Every view rule, in the order they run. `migrate rules` prints this table.

Order matters: a view defined inside a function first binds the names it reads from there
(FM026), so that no later rule names a new parameter after one of them; module state that the
view's module rebinds while the app runs is then read on that module (FM037), and so are the
module's own attributes the view reads (FM038, `__name__`, under the same name), whose name later
rules see taken; a Flask-RESTful
resource's method gets the Api's output around it (FM027), which the later rules then see as a
decorator that works on the answer. Path parameters are typed next (their names are then taken),
then query, header and cookie parameters (each avoiding the names taken before it). The
body-model rules (FM011, FM032 for the schemas of flask-smorest's and APIFlask's decorators,
FM012, then FM010, and FM013 for answers), FM031 (flask-expects-json's schema) and FM033
(Flask-RESTX's models) run before FM030 (a Flask-RESTful parser's arguments) and FM007, which
document what no model described, and FM039 puts the form the view reads beside a JSON body
they document (or in place of one, where the view falls back to the form). The return, abort
and `app.logger` rewrites (FM003, FM004, FM035) do not depend on each other; guard decorators becoming route dependencies (FM020) only
move decorators. Last, a view whose decorators hand it other arguments gets the rule's values on
the endpoint (FM028), outermost: the guards FM020 lifted were outside those decorators.
"""

from __future__ import annotations

from codemods.abort_raise import AbortRaise
from codemods.app_logger import AppLogger
from codemods.base import ViewCodemod
from codemods.body_models import HelperBodyModel
from codemods.enclosing_values import EnclosingValues
from codemods.form_fields import FormFieldsDoc
from codemods.framework_schemas import FrameworkSchemaDocs
from codemods.guards import GuardDependencies
from codemods.json_body import JsonBodyDoc
from codemods.json_schema_doc import JsonSchemaDoc
from codemods.jsonify_return import JsonifyReturn
from codemods.marshmallow_model import MarshmallowModel
from codemods.module_attributes import ModuleAttributes
from codemods.module_state import ModuleState
from codemods.path_params import PathParameters
from codemods.query_args import CookieValues, HeaderValues, QueryArgs
from codemods.reqparse_doc import RequestParserDoc
from codemods.response_models import ResponseShapeModel
from codemods.restful_output import RestfulOutput
from codemods.restx_doc import RestxModelDoc
from codemods.rule_values import RuleValues
from codemods.wtforms_models import WTFormsModel

VIEW_RULES: tuple[type[ViewCodemod], ...] = (
    EnclosingValues,
    ModuleState,
    ModuleAttributes,
    RestfulOutput,
    PathParameters,
    QueryArgs,
    HeaderValues,
    CookieValues,
    MarshmallowModel,
    FrameworkSchemaDocs,
    WTFormsModel,
    HelperBodyModel,
    ResponseShapeModel,
    JsonSchemaDoc,
    RestxModelDoc,
    RequestParserDoc,
    JsonBodyDoc,
    FormFieldsDoc,
    JsonifyReturn,
    AbortRaise,
    AppLogger,
    GuardDependencies,
    RuleValues,
)


def select_rules(only: set[str] | None = None, skip: set[str] | None = None
                 ) -> tuple[type[ViewCodemod], ...]:
    """The rules to run; unknown IDs raise ValueError (a usage error for the CLI)."""
    known = {rule.RULE_ID for rule in VIEW_RULES}
    unknown = ((only or set()) | (skip or set())) - known
    if unknown:
        raise ValueError(f"unknown rule id(s): {', '.join(sorted(unknown))}; see `migrate rules`")
    return tuple(
        rule for rule in VIEW_RULES
        if (not only or rule.RULE_ID in only) and rule.RULE_ID not in (skip or set())
    )
