"""A user's named talent-list filters."""

from ...accounts.models import User
from ..models import SavedSearch


def save_search(user: User, *, name: str, query: str) -> SavedSearch:
    """Save `query` under `name`; saving the same name again replaces the old filters."""
    saved, _created = SavedSearch.objects.update_or_create(
        user=user, name=name.strip(), defaults={"query": query}
    )
    return saved


def delete_search(saved: SavedSearch) -> None:
    saved.delete()
