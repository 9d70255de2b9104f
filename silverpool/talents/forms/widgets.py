"""Form widgets of the talent pages."""

from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe


class FastSelect(forms.Select):
    """Django's `Select`, with the markup written here instead of by its templates.

    The template renderer includes two templates for every <option>: the talent list's
    filter and bulk forms have about 300 options (250 countries), which took half the
    page's rendering time (docs/benchmarks.md). The HTML is Django's to the byte, blank
    lines included (tests/talents/test_widgets.py compares them); the options, the
    selected one and the attributes come from `Select.get_context` as before.
    """

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{conditional_escape(name)}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{_text(group_name)}">')
            html.extend(
                # The option template's own line break is part of Django's output.
                f'\n  <option value="{conditional_escape(_format(option["value"]))}"'
                f"{_attrs(option['attrs'])}>{_text(option['label'])}</option>\n"
                for option in options
            )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))  # noqa: S308 - every value above is escaped


def _text(value: Any) -> str:
    """A label (text or a number) as `{{ label }}` writes it: localized, escaped unless safe."""
    return conditional_escape(localize(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """Attributes as django/forms/widgets/attrs.html writes them."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(_format(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _format(value: Any) -> Any:
    # `value|stringformat:"s"` keeps a safe string safe and makes anything else a str.
    return value if isinstance(value, SafeData) else str(value)
