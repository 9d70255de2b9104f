"""The form renderer: every `{{ field.as_field_group }}` comes from one project template."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Django's renderer, loading from settings.TEMPLATES so the project template is found."""

    field_template_name = "forms/field.html"
