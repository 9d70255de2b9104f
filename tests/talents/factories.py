"""Factories for talents and what hangs off them. They go through the intake service."""

import itertools
from typing import Any

from faker import Faker

from silverpool.accounts.models import User
from silverpool.talents import services
from silverpool.talents.models import Pool, Tag, Talent

fake = Faker(["de_DE", "en_GB"])
_numbers = itertools.count(1)


def make_talent(actor: User | None = None, **fields: Any) -> Talent:
    """A valid talent created through the manual channel, with any field overridden."""
    pools = fields.pop("pools", ())
    tags = fields.pop("tags", ())
    owner = fields.pop("owner", None)
    status = fields.pop("status", None)
    source_kind = fields.pop("source_kind", Talent.SourceKind.MANUAL)
    data = {
        "first_name": fake.first_name(),
        "last_name": fake.last_name(),
        # Not a generated address: one that starts with a word a test searches for
        # ("schmitt.jan@…" for "schmi") would make that test fail now and then.
        "email": f"talent{next(_numbers)}@example.org",
        **fields,
    }
    return services.intake_talent(
        data,
        actor=actor,
        source_kind=source_kind,
        pools=pools,
        tags=tags,
        owner=owner,
        status=status,
    ).talent


def make_pool(name: str | None = None, **fields: Any) -> Pool:
    return Pool.objects.create(name=name or fake.unique.word().title() + " pool", **fields)


def make_tag(name: str | None = None) -> Tag:
    return Tag.objects.create(name=name or fake.unique.word().title())
