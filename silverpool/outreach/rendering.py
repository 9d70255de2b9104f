"""Rendering email texts that admins write: Django's template syntax, cut down to
placeholders, `if` and `firstof`, with no autoescaping (the emails are plain text) and
nothing in reach but the values given.

Django's variable lookup already refuses names starting with an underscore; without
`load`, `include` or `extends` a template cannot reach other templates or tag libraries.
"""

import re
from collections.abc import Iterator, Mapping
from typing import Any, cast

from django.template import Context, Engine, Library, Template, defaultfilters, defaulttags
from django.template.base import FilterExpression, Variable, VariableNode
from django.template.defaulttags import FirstOfNode, IfNode, TemplateLiteral
from django.utils import translation

ALLOWED_TAGS = ("if", "firstof", "comment")
SPACE_BEFORE_COMMA = re.compile(r"[ \t]+,")
BLANK_LINES = re.compile(r"\n{3,}")


def _library() -> Library:
    library = Library()
    library.filters = dict(defaultfilters.register.filters)
    library.tags = {name: defaulttags.register.tags[name] for name in ALLOWED_TAGS}
    return library


class _MailEngine(Engine):
    def __init__(self) -> None:
        super().__init__(autoescape=False, string_if_invalid="", libraries={})
        # Engine always adds Django's built-in tags; replace them with the allowed few.
        self.template_builtins = [_library()]


ENGINE = _MailEngine()


def compile_text(source: str) -> Template:
    """The template, or TemplateSyntaxError."""
    return ENGINE.from_string(source)


def placeholders_used(template: Template) -> set[str]:
    """The names a template reads: in `{{ … }}`, in `if` conditions, in `firstof` and
    as filter arguments."""
    nodes = template.nodelist
    expressions: list[FilterExpression] = [
        node.filter_expression
        for node in nodes.get_nodes_by_type(VariableNode)
        if isinstance(node, VariableNode)
    ]
    for node in nodes.get_nodes_by_type(IfNode):
        if isinstance(node, IfNode):
            for condition, _nodelist in node.conditions_nodelists:
                expressions.extend(_condition_expressions(condition))
    for node in nodes.get_nodes_by_type(FirstOfNode):
        if isinstance(node, FirstOfNode):
            expressions.extend(node.vars)
    names: set[str] = set()
    for expression in expressions:
        variables = [expression.var] + [
            arg for _func, args in expression.filters for is_var, arg in args if is_var
        ]
        names |= {v.lookups[0] for v in variables if isinstance(v, Variable) and v.lookups}
    return names


def _condition_expressions(condition: Any) -> Iterator[FilterExpression]:
    # `if` conditions are trees of operators (`.first`, `.second`) over literals.
    if isinstance(condition, TemplateLiteral):
        yield cast(FilterExpression, condition.value)
    for part in (getattr(condition, "first", None), getattr(condition, "second", None)):
        if part is not None:
            yield from _condition_expressions(part)


def render_text(template: Template, values: Mapping[str, Any], language: str) -> str:
    """The text in `language`: dates are written the way that language writes them."""
    with translation.override(language):
        return template.render(Context(dict(values), autoescape=False))


def one_line(text: str) -> str:
    """A header value: whitespace, line breaks included, collapsed to single spaces, so
    that no value can start a header of its own."""
    return " ".join(text.split())


def tidy_body(text: str) -> str:
    """Unix line ends, no trailing spaces, at most one blank line in a row: lines holding
    only an `{% if %}` leave no gaps; an empty placeholder before a comma leaves no space
    ("Guten Tag Lena ," for a talent without a last name)."""
    text = SPACE_BEFORE_COMMA.sub(",", text)
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")
