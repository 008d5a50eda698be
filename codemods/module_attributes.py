"""FM038: a view's reads of its own module's attributes (`__name__`, `__file__`, `__doc__`...) are
read on that module.

OctoPrint's API views log with `logging.getLogger(__name__)`, and one finds its timelapse folder
from `__file__`. In a router, both names are the router's own: the converted views logged to
`octoprint_fastapi.routers.api`, under other logging settings than Flask's. So each read becomes
one of the legacy module's attribute, which is what the name reads in Flask's view (its globals
are the module's dict):

    import octoprint.server.api.system as system_module

    def performSystemAction():
        logging.getLogger(system_module.__name__).info(...)

The same import FM037 makes for module state, under the same name. LibCST's scope analysis
resolves `__name__`, `__doc__`, `__package__`, `__spec__` and `__loader__` to the builtins (the
`builtins` module has them too); `__file__`, `__cached__`, `__path__` and `__builtins__` are
free names. A view that binds such a name itself, or uses it for a name of its own too (a
local of a function inside it), stays on Flask.
"""

from __future__ import annotations

import libcst as cst

from codemods.base import ViewCodemod, module_attribute_names
from codemods.module_state import on_the_module


class ModuleAttributes(ViewCodemod):
    RULE_ID = "FM038"
    SUMMARY = ("the view's reads of its module's own attributes (`__name__`, `__file__`, "
               "`__doc__`) are read on the legacy module: `views_module.__name__`")

    def transform(self, function: cst.FunctionDef) -> cst.FunctionDef:
        names = module_attribute_names(function)
        if not names:
            return function
        rewritten = on_the_module(function, names, self.context)
        if isinstance(rewritten, str):
            self.refuse(f"{rewritten}; a router would read its own {', '.join(sorted(names))}, "
                        f"not {self.context.route.view_module}'s")
            return function
        self.changed()
        return rewritten
