"""Shapes of the talents API: what comes in (`…In`, `…Patch`, `…Query`) and goes out (`…Out`).

Input schemas forbid unknown fields, so read-only ones (id, created_at, source, …) answer
422 instead of being silently assigned. The services still validate every value (one set of
rules for pages, API and imports); the types here document the API and catch shape errors.
"""

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Protocol

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict

from ..accounts.models import User
from .models import Event, Pool, Tag, Talent

MAX_ID = 2**63 - 1  # BigAutoField; larger numbers crash SQLite's integer binding
MAX_PAGE_SIZE = 200


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("Null characters are not allowed."))
    return value


# Every free text: PostgreSQL cannot store NUL characters.
Text = Annotated[str, AfterValidator(_no_nul)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# The keys of search.SORTS (a test keeps the two in step).
# The states of privacy's LegalBasis, and `legal_hold` (a test keeps them in step).
LegalState = Literal[
    "application_hold",
    "awaiting_consent",
    "consent_valid",
    "consent_expired",
    "declined",
    "withdrawn",
    "legal_hold",
]
Sort = Literal[
    "updated",
    "-updated",
    "created",
    "-created",
    "activity",
    "-activity",
    "name",
    "-name",
    "available",
    "-available",
]
SourceKind = Literal["manual", "import", "form", "ats", "api"]
SalaryPeriod = Literal["year", "month"]
CustomValue = Text | int | Annotated[float, Field(allow_inf_nan=False)] | None


class InSchema(Schema):
    model_config = ConfigDict(extra="forbid")


# ---- shared pieces --------------------------------------------------------------------------


class UserRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj: User) -> str:
        return str(obj)


class PoolRef(Schema):
    id: int
    name: str


class TagRef(Schema):
    id: int
    name: str


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class PageOut(Schema):
    total: int = Field(description="How many match; an estimate when total_is_exact is false.")
    total_is_exact: bool
    page: int
    page_size: int


# ---- talents --------------------------------------------------------------------------------


class TalentListQuery(PageQuery):
    """The talent list's search, filters and sort: the same as the talent list page."""

    q: Text = Field("", max_length=200, description="Words matched as prefixes, all required.")
    pool: Id | None = None
    tag: Id | None = None
    status: Text | None = Field(None, max_length=40, description="A status key, e.g. `new`.")
    source_kind: SourceKind | None = None
    source_label: Text = Field("", max_length=200, description="Exact, case ignored.")
    owner: Id | None = Field(None, description="Owner's user id.")
    unowned: bool = Field(False, description="Only talents without an owner.")
    available_from_min: datetime.date | None = None
    available_from_max: datetime.date | None = None
    created_min: datetime.date | None = None
    created_max: datetime.date | None = None
    city: Text = Field("", max_length=100, description="Exact, case ignored.")
    country: Text = Field("", max_length=2, description="ISO 3166 code, e.g. DE.")
    legal_state: LegalState | None = Field(
        None, description="The legal basis (GDPR) state, or `legal_hold` for talents on hold."
    )
    sort: Sort = Field(
        "updated",
        description="updated, created, activity: newest first; name: A to Z; available: "
        "soonest first. A leading `-` reverses.",
    )


class TalentFields(InSchema):
    """The talent fields a client may set; every one is checked again by the services."""

    last_name: Text | None = Field(None, max_length=100)
    email: Text | None = Field(None, max_length=254, description="Unique, case ignored.")
    phone: Text | None = Field(None, max_length=64, description="Stored as E.164.")
    postcode: Text | None = Field(None, max_length=20)
    city: Text | None = Field(None, max_length=100)
    country: Text | None = Field(None, max_length=2, description="ISO 3166 code, e.g. DE.")
    job_title: Text | None = Field(None, max_length=200)
    skills: list[Text] | None = Field(None, max_length=100)
    linkedin_url: Text | None = Field(None, max_length=300)
    profile_urls: list[Text] | None = Field(None, max_length=20)
    salary_amount: Decimal | None = Field(None, ge=0, lt=Decimal("1e10"), decimal_places=2)
    salary_currency: Text | None = Field(None, max_length=3, description="ISO 4217, e.g. EUR.")
    salary_period: SalaryPeriod | None = None
    available_from: datetime.date | None = None
    custom_values: dict[Text, CustomValue] | None = Field(
        None, description="Admin-defined fields by key; null or empty removes a value."
    )
    status: Text | None = Field(None, max_length=40, description="A status key, e.g. `new`.")
    owner: Id | None = Field(None, description="User id of an active admin or recruiter.")


class TalentIn(TalentFields):
    """A new talent. An email that is already known updates that talent instead."""

    first_name: Text = Field(..., max_length=100)
    pools: list[Id] = Field(default_factory=list, max_length=50, description="Pool ids.")
    tags: list[Id] = Field(default_factory=list, max_length=50, description="Tag ids.")


class TalentPatch(TalentFields):
    """Only the fields sent change; null clears a field (first name excepted)."""

    first_name: Text | None = Field(None, max_length=100)


class LoadedRelations(Protocol):
    """A talent as services.with_list_relations loads it: its pools and tags as plain lists."""

    visible_pools: list[Pool]  # only those the user may see
    visible_tags: list[Tag]


class TalentOut(Schema):
    id: int
    first_name: str
    last_name: str
    full_name: str
    email: str
    phone: str
    postcode: str
    city: str
    country: str
    job_title: str
    skills: list[str]
    linkedin_url: str
    profile_urls: list[str]
    salary_amount: Decimal | None
    salary_currency: str
    salary_period: str
    available_from: datetime.date | None
    custom_values: dict[str, Any]
    status: str = Field(description="The status key.")
    source_kind: str
    source_label: str
    owner: UserRef | None
    legal_state: str | None = Field(
        description="The legal basis (GDPR) state; details at /talents/{id}/legal-basis."
    )
    pools: list[PoolRef] = Field(description="The pools you may see.")
    tags: list[TagRef]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    last_activity_at: datetime.datetime
    data_confirmed_at: datetime.datetime | None = Field(
        description="When the talent last confirmed their data by sending in a form."
    )

    @staticmethod
    def resolve_country(obj: Talent) -> str:
        return obj.country.code or ""

    @staticmethod
    def resolve_status(obj: Talent) -> str:
        return obj.status.key

    @staticmethod
    def resolve_legal_state(obj: Talent) -> str | None:
        basis = getattr(obj, "legal_basis", None)
        return basis.state if basis is not None else None

    @staticmethod
    def resolve_pools(obj: LoadedRelations) -> list[Pool]:
        return obj.visible_pools

    @staticmethod
    def resolve_tags(obj: LoadedRelations) -> list[Tag]:
        return obj.visible_tags


class TalentIntakeOut(TalentOut):
    created: bool = Field(description="False when the email matched a talent that was updated.")

    @staticmethod
    def resolve_created(obj: Talent, context: dict[str, Any]) -> bool:
        return bool(context["response_status"] == 201)


class TalentPage(PageOut):
    items: list[TalentOut]


class StatusOut(Schema):
    key: str
    name: str
    position: int
    is_default: bool


# ---- notes ----------------------------------------------------------------------------------


class NoteIn(InSchema):
    text: Text = Field(..., max_length=20_000)


class NotePatch(NoteIn):
    pass


class NoteOut(Schema):
    id: int
    text: str
    author: UserRef | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class NotePage(PageOut):
    items: list[NoteOut]


# ---- timeline -------------------------------------------------------------------------------


class EventOut(Schema):
    id: int
    kind: str = Field(description="One of: " + ", ".join(Event.Kind.values))
    actor: UserRef | None
    actor_label: str = Field(description="Who acted when it was not a user (a form, the API).")
    data: dict[str, Any]
    created_at: datetime.datetime


class EventPage(PageOut):
    items: list[EventOut]


# ---- pools and tags -------------------------------------------------------------------------


class PoolIn(InSchema):
    name: Text = Field(..., max_length=120)
    description: Text = Field("", max_length=5000)
    is_private: bool = False
    members: list[Id] = Field(
        default_factory=list,
        max_length=500,
        description="User ids; private pools only. You stay a member of a private pool you save.",
    )


class PoolPatch(InSchema):
    name: Text | None = Field(None, max_length=120)
    description: Text | None = Field(None, max_length=5000)
    is_private: bool | None = None
    members: list[Id] | None = Field(None, max_length=500)


class PoolOut(Schema):
    id: int
    name: str
    description: str
    is_private: bool
    members: list[UserRef]
    talent_count: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_members(obj: Pool) -> list[User]:
        return list(obj.members.all()) if obj.is_private else []


class PoolPage(PageOut):
    items: list[PoolOut]


class TagIn(InSchema):
    name: Text = Field(..., max_length=80)


class TagPatch(TagIn):
    pass


class TagOut(Schema):
    id: int
    name: str
    talent_count: int
    created_at: datetime.datetime


class TagPage(PageOut):
    items: list[TagOut]
