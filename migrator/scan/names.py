"""Names as written in a LibCST tree, and whether a statement is a docstring, for the scan and
the codemods alike."""

from __future__ import annotations

import libcst as cst


def dotted_name(node: cst.BaseExpression) -> str | None:
    """`a.b.c` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


class NameReader(cst.CSTVisitor):
    """Visits the names written under a node as names: an attribute's name (`request.args`)
    and a keyword argument's (`as_view(name=...)`) are none."""

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False


def name_nodes(node: cst.CSTNode, name: str) -> list[cst.Name]:
    """The Name nodes under `node` that write `name` as a name (NameReader), nested functions,
    lambdas and classes included."""

    class Collect(NameReader):
        def __init__(self) -> None:
            super().__init__()
            self.found: list[cst.Name] = []

        def visit_Name(self, node: cst.Name) -> None:
            if node.value == name:
                self.found.append(node)

    collector = Collect()
    node.visit(collector)
    return collector.found


def name_uses(node: cst.CSTNode, name: str) -> int:
    """How many times `name` is written as a name under `node` (name_nodes)."""
    return len(name_nodes(node, name))


def is_docstring(statement: cst.BaseStatement) -> bool:
    return (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
            and isinstance(statement.body[0], cst.Expr)
            and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString)))
