"""Building forms: creating one, its settings, its fields and their order, deleting and
copying it, and the branding of the public pages. The views check that the user may edit
(`get_form_for`, `require_editor`, `require_admin`); these functions check the form."""

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ...accounts.models import User
from ...privacy.models import Purpose
from ...talents.models import CustomField
from ...talents.services import pools_visible_to, require_editor
from ..models import Branding, Form, FormField, Language, new_public_id
from .catalog import ESSENTIAL, TALENT_FIELDS

# The settings update_form takes; many-to-many ones are lists of rows.
SETTINGS = (
    "title",
    "heading_en",
    "heading_de",
    "description_en",
    "description_de",
    "languages",
    "thank_you_en",
    "thank_you_de",
    "redirect_url",
    "pools",
    "tags",
    "status",
    "owner",
    "notify",
    "purposes",
    "allowed_origins",
    "second_step",
    "is_active",
)
MANY_TO_MANY = ("pools", "tags", "notify", "purposes")
# Fields a form has at most once, whose key is their kind.
SINGLE_KINDS = (FormField.Kind.CV, FormField.Kind.RECRUITER)
QUESTION_KEY = "question_"
LOGO_MAX_BYTES = 1024 * 1024
# Image types a browser shows without running anything (no SVG: it may carry script);
# WebP too, whose signature has the file size in the middle (see logo_type).
LOGO_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)
COLOUR = re.compile(r"#[0-9a-f]{6}")
# Buttons on the public pages are white text on the brand colour, links and headings the
# colour on white: WCAG AA asks 4.5:1 for text of their size.
MIN_CONTRAST = 4.5
# A host name (or IPv4 address) as frame-ancestors takes it: no wildcards, no spaces.
HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")
DEFAULT_PORTS = {"http": 80, "https": 443}


def get_form_for(user: User, pk: int) -> Form:
    """The form `pk` for the builder's pages; raises PermissionDenied for a user who may
    only read, Http404 for a form that does not exist."""
    require_editor(user)
    form = Form.objects.filter(pk=pk).first()
    if form is None:
        raise Http404(_("No such form."))
    return form


def has_essential_fields(form: Form) -> bool:
    """Whether the form brings new talents, so needs a first name and an email."""
    return form.kind != Form.Kind.FOLLOW_UP


def is_essential(field: FormField) -> bool:
    """First name or email on a form that adds talents: never removed, always required."""
    return (
        field.kind == FormField.Kind.TALENT
        and field.key in ESSENTIAL
        and has_essential_fields(field.form)
    )


@transaction.atomic
def create_form(*, kind: str, title: str, actor: User) -> Form:
    """A new form offered in German and English. Talent and application forms start with
    the fields intake needs (required, for good); a talent form with a consent box for
    every purpose, since joining the pool needs consent."""
    title = title.strip()
    if not title:
        raise ValidationError({"title": [_("Give the form a title.")]})
    if kind not in Form.Kind.values:
        raise ValidationError({"kind": [_("Choose what kind of form this is.")]})
    form = Form.objects.create(
        kind=kind, title=title, languages=list(Language.values), created_by=actor
    )
    if has_essential_fields(form):
        FormField.objects.bulk_create(
            FormField(form=form, kind=FormField.Kind.TALENT, key=key, required=True, position=i)
            for i, key in enumerate(ESSENTIAL)
        )
    if kind == Form.Kind.TALENT:
        form.purposes.set(Purpose.objects.all())
    return form


@transaction.atomic
def update_form(form: Form, values: Mapping[str, Any], *, actor: User) -> Form:
    """Change the settings in `values` (names from SETTINGS; others are ignored), all or
    none: raises ValidationError naming each setting that cannot be saved.

    Pools the actor may not see stay on the form as they were: a recruiter cannot see a
    private pool an admin chose, and must not drop it by saving."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name in SETTINGS:
        if name not in values:
            continue
        try:
            cleaned[name] = _clean_setting(form, name, values[name])
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    many = {name: cleaned.pop(name) for name in MANY_TO_MANY if name in cleaned}
    for name, value in cleaned.items():
        setattr(form, name, value)
    # Only these columns: the settings and the sites are saved from different forms of the
    # page, and neither may write back the other's values as they were when it loaded.
    form.save(update_fields=[*cleaned, "updated_at"])
    if "pools" in many:
        hidden = form.pools.exclude(pk__in=pools_visible_to(actor).values("pk"))
        many["pools"] = [*many["pools"], *hidden]
    for name, rows in many.items():
        getattr(form, name).set(rows)
    return form


def _clean_setting(form: Form, name: str, value: Any) -> Any:
    """One setting as it is stored; raises ValidationError with the message to show."""
    follow_up = form.kind == Form.Kind.FOLLOW_UP
    match name:
        case "title":
            value = str(value).strip()
            if not value:
                raise ValidationError(_("Give the form a title."))
        case "languages":
            chosen = set(value)
            value = [code for code in Language.values if code in chosen]
            if not value or len(value) != len(chosen):
                raise ValidationError(_("Choose at least one language: German or English."))
        case "redirect_url":
            value = str(value).strip()
            if value and urlsplit(value).scheme not in DEFAULT_PORTS:
                raise ValidationError(_("Enter an address that starts with https:// or http://."))
        case "allowed_origins":
            value = normalise_origins(value)
        case "second_step":
            if value is not None:
                if follow_up:
                    raise ValidationError(_("A follow-up form cannot have a second step."))
                # This also refuses the form itself, which is no follow-up form here.
                if value.kind != Form.Kind.FOLLOW_UP:
                    raise ValidationError(_("The second step must be a follow-up form."))
        case "purposes":
            value = list(value)
            if follow_up and value:
                raise ValidationError(
                    _("A follow-up form asks for no consent: the talent gave it already.")
                )
        case "description_en" | "description_de" | "thank_you_en" | "thank_you_de":
            value = str(value).strip()
        case "pools" | "tags" | "notify":
            value = list(value)
        case "is_active":
            value = bool(value)
    return value


def normalise_origins(lines: Iterable[str]) -> list[str]:
    """Sites as frame-ancestors takes them, "https://example.com" or
    "http://localhost:8000", without duplicates; raises ValidationError with a message for
    each entry that is not one."""
    origins: list[str] = []
    problems: list[str] = []
    for line in lines:
        entry = line.strip()
        if not entry:
            continue
        try:
            origin = _origin(entry)
        except ValidationError as error:
            problems.extend(error.messages)
            continue
        if origin not in origins:
            origins.append(origin)
    if problems:
        raise ValidationError(problems)
    return origins


def _origin(entry: str) -> str:
    try:
        parts = urlsplit(entry)
        port = parts.port
    except ValueError as exc:
        raise ValidationError(_("“%(entry)s” is not a web address.") % {"entry": entry}) from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.netloc:
        example = "https://" + entry.split("://")[-1].split("/")[0]
        raise ValidationError(
            _("“%(entry)s”: start with https:// (or http://), e.g. %(example)s.")
            % {"entry": entry, "example": example}
        )
    host = parts.hostname or ""
    try:
        # frame-ancestors takes ASCII only: karriere.müller.de is karriere.xn--mller-kva.de.
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        host = ""
    if parts.username or parts.password or not HOST.fullmatch(host):
        raise ValidationError(
            _("“%(entry)s”: enter the site's address only, e.g. https://www.example.com.")
            % {"entry": entry}
        )
    origin = f"{scheme}://{host}"
    if port is not None and port != DEFAULT_PORTS[scheme]:
        origin += f":{port}"
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValidationError(
            _("“%(entry)s”: enter the site without a path, e.g. %(origin)s.")
            % {"entry": entry, "origin": origin}
        )
    return origin


def public_url(form: Form) -> str:
    return settings.SITE_URL + reverse("webforms:form", args=[form.public_id])


def embed_snippet(form: Form) -> str:
    """The HTML a site puts on its page to show the form (as text: the page shows it to
    copy). The script, embed.js, fits the iframe's height to the form and hands the page's
    utm_* and ref parameters on."""
    url, title, public_id = escape(public_url(form)), escape(form.title), escape(form.public_id)
    return (
        f'<iframe src="{url}?embed=1" title="{title}" data-silverpool-form="{public_id}" '
        f'style="width:100%;border:0" loading="lazy"></iframe>'
        f'<script src="{escape(settings.SITE_URL)}/static/silverpool/embed.js" async></script>'
    )


# --- fields --------------------------------------------------------------------------------


def addable_talent_fields(form: Form) -> list[str]:
    """The talent fields not on the form yet, in the profile's order."""
    taken = _keys(form)
    return [name for name in TALENT_FIELDS if name not in taken]


def addable_custom_fields(form: Form) -> list[CustomField]:
    taken = _keys(form)
    return [custom for custom in CustomField.objects.all() if custom.key not in taken]


def addable_single_kinds(form: Form) -> list[str]:
    """CV and recruiter, unless the form has them already."""
    taken = _keys(form)
    return [kind for kind in SINGLE_KINDS if kind not in taken]


def _keys(form: Form) -> set[str]:
    return set(form.fields.values_list("key", flat=True))


@transaction.atomic
def add_field(
    form: Form, *, kind: str, key: str = "", label_en: str = "", label_de: str = ""
) -> FormField:
    """Add a field at the end of the form, optional. A question gets a key of its own and
    needs a label in at least one language; the other kinds say which field by `key`."""
    # Holding the form's row makes concurrent additions take turns for position and key.
    Form.objects.select_for_update().filter(pk=form.pk).first()
    label_en, label_de = label_en.strip(), label_de.strip()
    taken = _keys(form)
    match kind:
        case FormField.Kind.TALENT:
            if key not in TALENT_FIELDS:
                raise ValidationError(_("There is no such talent field."))
        case FormField.Kind.CUSTOM:
            if not CustomField.objects.filter(key=key).exists():
                raise ValidationError(_("There is no such custom field."))
        case FormField.Kind.CV | FormField.Kind.RECRUITER:
            key = kind
        case FormField.Kind.QUESTION:
            if not (label_en or label_de):
                raise ValidationError(_("Write the question in German or English."))
            key = next(
                f"{QUESTION_KEY}{n}"
                for n in range(1, len(taken) + 2)
                if f"{QUESTION_KEY}{n}" not in taken
            )
        case _:
            raise ValidationError(_("There is no such kind of field."))
    if key in taken:
        raise ValidationError(_("The form has this field already."))
    position = form.fields.aggregate(last=Max("position"))["last"]
    return FormField.objects.create(
        form=form,
        kind=kind,
        key=key,
        label_en=label_en,
        label_de=label_de,
        position=0 if position is None else position + 1,
    )


@transaction.atomic
def edit_field(field: FormField, values: Mapping[str, Any]) -> FormField:
    """Change a field's labels, help texts or whether it is required (the ones in
    `values`). A form that brings new talents always requires first name and email."""
    if "required" in values and not values["required"] and is_essential(field):
        raise ValidationError(
            _("Forms that add talents always require the first name and the email address.")
        )
    changed = []
    for name in ("label_en", "label_de", "help_en", "help_de"):
        if name in values:
            setattr(field, name, str(values[name]).strip())
            changed.append(name)
    if "required" in values:
        field.required = bool(values["required"])
        changed.append("required")
    if field.kind == FormField.Kind.QUESTION and not (field.label_en or field.label_de):
        raise ValidationError(_("Write the question in German or English."))
    field.full_clean(exclude=["form", "kind", "key", "position"])
    field.save(update_fields=changed)
    return field


@transaction.atomic
def move_field(field: FormField, *, up: bool) -> int:
    """Swap the field with the one above (or below) it; the first stays first. Returns
    its place now, from 1."""
    fields = list(FormField.objects.select_for_update().filter(form_id=field.form_id))
    index = next((i for i, f in enumerate(fields) if f.pk == field.pk), None)
    if index is None:  # removed by someone else meanwhile
        raise ValidationError(_("The field is no longer on the form."))
    other = index - 1 if up else index + 1
    if 0 <= other < len(fields):
        fields[index], fields[other] = fields[other], fields[index]
        index = other
    _renumber(fields)
    return index + 1


@transaction.atomic
def remove_field(field: FormField) -> None:
    """Remove the field from the form; what talents sent in stays on their profiles."""
    if is_essential(field):
        raise ValidationError(
            _("Forms that add talents always have the first name and the email address.")
        )
    form_id = field.form_id
    field.delete()
    _renumber(list(FormField.objects.select_for_update().filter(form_id=form_id)))


def _renumber(fields: list[FormField]) -> None:
    """Positions 0, 1, 2, … in the given order, so "up" and "down" always have a neighbour
    to swap with."""
    for position, field in enumerate(fields):
        field.position = position
    FormField.objects.bulk_update(fields, ["position"])


# --- the form as a whole -------------------------------------------------------------------


def form_delete_blocker(form: Form) -> str:
    """Why `form` cannot be deleted, or "" if it can."""
    count = form.submissions.count()
    if count:
        return ngettext(
            "This form was sent %(count)d time. Its submission belongs to a talent's "
            "history, so the form stays: deactivate it instead.",
            "This form was sent %(count)d times. Its submissions belong to the talents' "
            "history, so the form stays: deactivate it instead.",
            count,
        ) % {"count": count}
    return ""


def form_delete_consequence(form: Form) -> str:
    """What stops working when `form` is deleted, for the question before it."""
    if form.kind != Form.Kind.FOLLOW_UP:
        return _("Its public address stops working, also on sites that embed it.")
    consequence = _("The personal links already emailed to talents stop working.")
    # delete_form leaves the talent forms that send it as their second step without one.
    firsts = Form.objects.filter(second_step=form).values_list("title", flat=True)
    if firsts:
        consequence += " " + _("These forms then send no second step: %(titles)s.") % {
            "titles": ", ".join(firsts)
        }
    return consequence


@transaction.atomic
def delete_form(form: Form) -> None:
    """Delete a form nobody has sent yet; raises ValidationError otherwise. Forms that
    use it as their second step then have none."""
    # A submission being stored waits for this lock (its foreign key takes a share lock on
    # the form), so none slips in between the count and the delete.
    Form.objects.select_for_update().filter(pk=form.pk).first()
    if blocker := form_delete_blocker(form):
        raise ValidationError(blocker)
    form.delete()


@transaction.atomic
def duplicate_form(form: Form, *, actor: User) -> Form:
    """A copy of the form with its settings and fields, under a new public address and
    without submissions; inactive, so it goes live only once it is ready."""
    copy = Form.objects.get(pk=form.pk)
    copy.pk = None
    copy.public_id = new_public_id()
    copy.title = _copy_title(form.title)
    copy.is_active = False
    copy.created_by = actor
    copy.save()
    for name in MANY_TO_MANY:
        getattr(copy, name).set(getattr(form, name).all())
    FormField.objects.bulk_create(
        FormField(
            form=copy,
            kind=f.kind,
            key=f.key,
            label_en=f.label_en,
            label_de=f.label_de,
            help_en=f.help_en,
            help_de=f.help_de,
            required=f.required,
            position=f.position,
        )
        for f in form.fields.all()
    )
    return copy


def _copy_title(title: str) -> str:
    """The copy's title, "Careers page (copy)"; a long original is cut short with "…" so
    that the whole fits the column."""
    limit = Form._meta.get_field("title").max_length or 200
    copy = _("%(title)s (copy)") % {"title": title}
    excess = len(copy) - limit
    if excess > 0:
        copy = _("%(title)s (copy)") % {"title": title[: len(title) - excess - 1] + "…"}
    return copy


def second_step_choices(form: Form) -> QuerySet[Form]:
    """The forms `form` can send as its second step: follow-up forms, active or not."""
    return Form.objects.filter(kind=Form.Kind.FOLLOW_UP).exclude(pk=form.pk)


# --- branding ------------------------------------------------------------------------------


def logo_type(upload: UploadedFile[bytes]) -> tuple[str, str]:
    """The image's MIME type and file extension, read from its first bytes; raises
    ValidationError for anything but a PNG, JPEG or WebP image of at most 1 MB."""
    size = upload.size or 0
    if size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo is %(size)s MB; at most 1 MB is allowed.")
            % {"size": number_format(size / 1048576, decimal_pos=1)}
        )
    if size == 0:
        raise ValidationError(_("The file is empty."))
    upload.seek(0)
    head = upload.read(12)
    upload.seek(0)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    for signature, mime, extension in LOGO_SIGNATURES:
        if head.startswith(signature):
            return mime, extension
    raise ValidationError(_("The logo must be a PNG, JPEG or WebP image."))


def contrast_with_white(colour: str) -> float:
    """The WCAG contrast ratio of "#rrggbb" and white, from 1 (white) to 21 (black)."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)


@transaction.atomic
def save_branding(
    *, colour: str, logo: UploadedFile[bytes] | None = None, remove_logo: bool = False
) -> Branding:
    """Set the colour, and a new logo (or none) for the public form pages. The file of a
    replaced logo is deleted once the change is committed."""
    colour = colour.strip().lower()
    if not COLOUR.fullmatch(colour):
        raise ValidationError({"colour": [_("Enter a colour as #rrggbb, e.g. #1d5c87.")]})
    if (contrast := contrast_with_white(colour)) < MIN_CONTRAST:
        message = _(
            "White text on %(colour)s is hard to read (contrast %(contrast)s to 1, at least "
            "4.5 to 1 is needed): choose a darker colour."
        ) % {"colour": colour, "contrast": number_format(contrast, decimal_pos=1)}
        raise ValidationError({"colour": [message]})
    mime = extension = ""
    if logo is not None:
        try:
            mime, extension = logo_type(logo)
        except ValidationError as error:
            raise ValidationError({"logo": error.messages}) from error
    brand = Branding.objects.select_for_update().first() or Branding()
    old = brand.logo.name if brand.logo else ""
    brand.colour = colour
    if logo is not None:
        # A name of our own: the uploaded one is the user's and may be anything.
        brand.logo.save(f"logo-{get_random_string(12).lower()}.{extension}", logo, save=False)
        brand.logo_type = mime
    elif remove_logo:
        brand.logo = ""
        brand.logo_type = ""
    brand.save()
    if old and old != brand.logo.name:
        storage = brand.logo.storage
        transaction.on_commit(lambda: storage.delete(old))
    return brand
