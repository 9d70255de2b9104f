from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from silverpool.accounts.models import User
from silverpool.talents import services
from silverpool.talents.models import DuplicateFlag, Event, Note, Pool, Talent
from silverpool.talents.search import TalentFilters, filter_talents


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_demo_fills_an_empty_database_through_the_services() -> None:
    output = seed("--talents", "30", "--seed", "3")

    roles = dict(User.objects.values_list("username", "role"))
    assert roles == {
        "admin": User.Role.ADMIN,
        "rita": User.Role.RECRUITER,
        "robert": User.Role.RECRUITER,
        "viktor": User.Role.VIEWER,
    }
    assert User.objects.get(username="viktor").check_password("demo-viktor-2026")
    assert Talent.objects.count() == 30
    assert Talent.objects.filter(events__kind=Event.Kind.CREATED).distinct().count() == 30
    assert Note.objects.exists()
    assert Event.objects.filter(kind=Event.Kind.STATUS_CHANGED).exists()
    assert Pool.objects.filter(name="Sales DACH").exists()
    assert Pool.objects.filter(name="SuccessFactors_2ndBestCandidates").exists()
    assert set(Talent.objects.values_list("country", flat=True)) <= {"DE", "GB", "US"}
    assert (
        "Log in at http://127.0.0.1:8000 with: admin / demo-admin-2026 (admin), "
        "rita / demo-rita-2026 (recruiter), viktor / demo-viktor-2026 (viewer)" in output
    )


@pytest.mark.django_db
def test_seed_demo_flags_a_likely_duplicate_with_the_same_name_and_phone() -> None:
    seed("--talents", "30", "--seed", "3")

    flag = DuplicateFlag.objects.get(reason=DuplicateFlag.Reason.NAME_AND_PHONE)
    assert flag.talent.phone == flag.other.phone
    assert flag.talent.name_key == flag.other.name_key
    assert services.open_duplicate_flags(flag.talent).exists()


@pytest.mark.django_db
def test_seed_demo_hides_the_confidential_pool_from_robert_but_not_from_rita() -> None:
    seed("--talents", "30", "--seed", "3")

    pool = Pool.objects.get(is_private=True)
    hidden = Talent.objects.filter(pool_memberships__pool=pool)
    rita, robert = User.objects.get(username="rita"), User.objects.get(username="robert")
    assert hidden.exists()
    assert list(pool.members.all()) == [rita]
    assert not Talent.objects.visible_to(robert).filter(pk__in=hidden.values("pk")).exists()
    assert Talent.objects.visible_to(rita).filter(pk__in=hidden.values("pk")).exists()


@pytest.mark.django_db
def test_seed_demo_talents_are_found_by_search_and_spread_over_the_past() -> None:
    seed("--talents", "30", "--seed", "3")
    talent = Talent.objects.exclude(city="").first()
    assert talent is not None

    found = filter_talents(Talent.objects.all(), TalentFilters(q=talent.last_name))

    assert talent in found
    oldest = Talent.objects.order_by("created_at").first()
    assert oldest is not None
    assert (timezone.now() - oldest.created_at).days > 30
    newest_event = Event.objects.order_by("-created_at").first()
    assert newest_event is not None
    assert newest_event.created_at <= timezone.now()


@pytest.mark.django_db
def test_seed_demo_if_empty_adds_nothing_the_second_time_but_prints_the_logins() -> None:
    seed("--talents", "30")
    counts = (Talent.objects.count(), Event.objects.count(), User.objects.count())

    output = seed("--if-empty", "--talents", "30")

    assert (Talent.objects.count(), Event.objects.count(), User.objects.count()) == counts
    assert "rita / demo-rita-2026 (recruiter)" in output


@pytest.mark.django_db
def test_seed_demo_never_prints_a_password_that_was_changed() -> None:
    seed("--talents", "5")
    admin = User.objects.get(username="admin")
    admin.set_password("something-else-entirely")
    admin.save()

    output = seed("--if-empty")

    assert "demo-admin-2026" not in output
    assert "admin / (the password you set) (admin)" in output
