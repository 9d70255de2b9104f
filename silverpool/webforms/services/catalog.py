"""What a form can ask: the talent fields, the custom fields, a CV, the last recruiter
contact and free-text questions, with the labels candidates read when the builder leaves
them empty."""

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ...talents.models import CustomField, Talent
from ...talents.validation import EDITABLE_FIELDS
from ..models import FormField

TALENT_FIELDS = tuple(name for name in EDITABLE_FIELDS if name != "custom_values")
# Every talent and application form has these, required: intake needs them.
ESSENTIAL = ("first_name", "email")
RECRUITER_LABEL = _("Which recruiter were you last in touch with?")
CV_LABEL = _("CV")
SALARY_LABEL = _("Salary expectation")


def default_label(field: FormField) -> str:
    """The label a field has in the active language when the builder gave none."""
    match field.kind:
        case FormField.Kind.TALENT:
            if field.key == "salary_amount":
                return str(SALARY_LABEL)
            model_field = Talent._meta.get_field(field.key)
            assert isinstance(model_field, models.Field)
            return str(capfirst(model_field.verbose_name))
        case FormField.Kind.CUSTOM:
            custom = CustomField.objects.filter(key=field.key).first()
            return custom.label if custom is not None else field.key
        case FormField.Kind.CV:
            return str(CV_LABEL)
        case FormField.Kind.RECRUITER:
            return str(RECRUITER_LABEL)
    return field.key
