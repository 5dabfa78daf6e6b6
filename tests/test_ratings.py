"""Rating a home: who may, once per interval, the draft, publication, erasure and invitations."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from tortoise import Tortoise

from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.models import (
    Delivery,
    Facility,
    RatingInvitation,
    RelativeLink,
    ResidentStatus,
    Review,
    ReviewState,
    StreamEvent,
)
from bot.services.accounts.actors import Actor
from bot.services.accounts.facilities import update_facility
from bot.services.privacy import privacy
from bot.services.reviews import ratings
from bot.services.reviews.invitations import send_rating_invitations
from bot.services.stream import events as stream
from tests import factories
from tests.rating_homes import rate, relative_of, sonnenhof

pytestmark = [pytest.mark.usefixtures("db"), pytest.mark.calendar]

NOW = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)


async def test_anna_publishes_four_stars_under_a_pseudonym_without_her_name() -> None:
    home = await sonnenhof()
    review = await rate(home.anna, home.facility, 4, categories={"care": 5, "food": 3},
                        comment="Sehr liebevolle Pflege, das Essen könnte wärmer sein.")

    assert review.state == ReviewState.PUBLISHED and review.published_at is not None
    assert review.pseudonym.startswith("Angehörige/r ")
    event = await StreamEvent.get(subject=f"review:{review.id}")
    assert event.kind == "review.published"
    assert event.payload is not None
    assert event.payload["reviewer"] == review.pseudonym
    assert event.payload["overall"] == 4
    assert event.payload["categories"] == {"care": 5, "food": 3}
    assert "Anna" not in str(event.payload)
    assert str(home.anna.telegram_id) not in str(event.payload)
    assert (await stream.verify(stream.stored_events())).ok
    assert not await Delivery.exists()  # a good rating bothers nobody


async def test_only_linked_relatives_rate_and_staff_do_not() -> None:
    home = await sonnenhof()
    stranger = await relative_of(
        await factories.resident(home.facility, "Herr K.", status=ResidentStatus.MOVED_OUT),
        700_000_050, "Sam")

    with pytest.raises(ratings.StaffMember):
        await ratings.rateable_facilities(home.carla)
    with pytest.raises(ratings.StaffMember):
        await ratings.may_rate(home.ben, home.facility.id)
    with pytest.raises(ratings.NotARelative):  # his resident moved out
        await ratings.rateable_facilities(stranger)
    await RelativeLink.filter(account=home.anna).update(active=False)
    with pytest.raises(ratings.NotARelative):
        await ratings.start(home.anna, home.facility.id)
    assert not await Review.exists()


async def test_a_relative_of_two_homes_may_rate_each() -> None:
    home = await sonnenhof()
    linden = await factories.home("linden")
    uncle = await factories.resident(linden, "Herr B.")
    await factories.link(home.anna, uncle)

    homes = await ratings.rateable_facilities(home.anna)

    assert [facility.slug for facility in homes] == ["linden", "sonnenhof"]


async def test_a_second_rating_within_the_interval_is_refused_with_the_date() -> None:
    home = await sonnenhof()
    first = await rate(home.anna, home.facility, 4, now=NOW)
    await Review.filter(id=first.id).update(created_at=NOW)

    with pytest.raises(ratings.AlreadyRated) as refused:
        await ratings.start(home.anna, home.facility.id, NOW + dt.timedelta(days=89))
    assert refused.value.again_at == NOW + dt.timedelta(days=90)

    later = await rate(home.anna, home.facility, 5, now=NOW + dt.timedelta(days=90, seconds=1))
    assert later.pseudonym == first.pseudonym  # the same relative, the same pseudonym


async def test_sending_twice_makes_one_rating() -> None:
    home = await sonnenhof()
    draft = await ratings.start(home.anna, home.facility.id)
    ratings.with_overall(draft, 5)
    draft.public = True
    await ratings.save_draft(home.anna, draft)
    await ratings.submit(home.anna)

    with pytest.raises(NotFound):  # the draft is gone with the first Send
        await ratings.submit(home.anna)
    assert await Review.all().count() == 1


async def test_the_draft_is_kept_in_the_database_and_checked() -> None:
    home = await sonnenhof()
    draft = await ratings.start(home.anna, home.facility.id)
    ratings.with_overall(draft, 3)
    ratings.with_category(draft, "staff", 4)
    ratings.with_category(draft, "care", None)
    await ratings.save_draft(home.anna, draft)

    stored = await ratings.draft_of(home.anna)
    assert (stored.overall, stored.categories) == (3, {"staff": 4, "care": None})
    with pytest.raises(InvalidInput):
        ratings.with_overall(stored, 6)
    with pytest.raises(InvalidInput):
        ratings.with_category(stored, "parking", 3)
    with pytest.raises(InvalidInput):
        ratings.with_comment(stored, "x" * 1001)
    assert stored.comment == "" and stored.overall == 3  # a refused change changes nothing
    with pytest.raises(InvalidInput):  # not yet chosen: public or for the home only
        await ratings.submit(home.anna)


async def test_pseudonyms_differ_between_relatives() -> None:
    home = await sonnenhof()
    ben_relative = await relative_of(home.frau_m, 700_000_060, "Paul")
    one = await rate(home.anna, home.facility, 4)
    other = await rate(ben_relative, home.facility, 5)
    assert one.pseudonym != other.pseudonym


async def test_a_rating_for_the_home_only_reaches_its_admins_and_is_never_published() -> None:
    home = await sonnenhof()
    review = await rate(home.anna, home.facility, 4, comment="Danke an das Team!", public=False)

    assert review.state == ReviewState.PRIVATE
    assert not await StreamEvent.exists()
    sent = await Delivery.get(purpose="review_private")
    assert sent.chat_id == home.carla.telegram_id
    assert "Danke an das Team!" in sent.content["text"]
    assert "Anna" not in sent.content["text"]


async def test_erasure_retracts_published_ratings_and_keeps_the_stars() -> None:
    home = await sonnenhof()
    published = await rate(home.anna, home.facility, 4, comment="Annas Meinung zum Heim")
    linden = await factories.home("linden")
    await factories.link(home.anna, await factories.resident(linden, "B."))
    waiting = await rate(home.anna, linden, 1, comment="Annas Beschwerde")

    await privacy.erase_account(home.anna)

    kept = await Review.get(id=published.id)
    assert (kept.state, kept.overall, kept.comment, kept.author_id) == (  # type: ignore[attr-defined]
        ReviewState.RETRACTED, 4, "", None)
    assert not await Review.exists(id=waiting.id)  # never published: gone
    events = await StreamEvent.filter(subject=f"review:{published.id}").order_by("seq")
    assert [event.kind for event in events] == ["review.published", "review.retracted"]
    assert events[0].payload is None  # the text is no longer served
    assert (await stream.verify(stream.stored_events())).ok
    values = [str(value) for models in Tortoise.apps.values() for model in models.values()
              for row in await model.all().values() for value in row.values()]
    assert not any("Annas" in value for value in values)
    assert not any(str(home.anna.telegram_id) in value for value in values)


async def test_my_data_lists_my_ratings() -> None:
    home = await sonnenhof()
    await rate(home.anna, home.facility, 4, categories={"care": 5}, comment="Gut")

    exported = await privacy.export_account(home.anna)

    assert exported["ratings"] == [{
        "facility": "Haus Sonnenhof", "overall": 4, "categories": {"care": 5}, "comment": "Gut",
        "public": True, "pseudonym": exported["ratings"][0]["pseudonym"], "state": "published",
        "created_at": exported["ratings"][0]["created_at"],
        "published_at": exported["ratings"][0]["published_at"], "response_of_the_home": None,
        "public_reply_of_the_home": None,
    }]


async def test_relatives_are_invited_after_two_weeks_and_once_per_interval() -> None:
    home = await sonnenhof()
    await RelativeLink.filter(account=home.anna).update(created_at=NOW - dt.timedelta(days=13))

    assert await send_rating_invitations(NOW) == 0  # linked 13 days ago: not yet
    assert await send_rating_invitations(NOW + dt.timedelta(days=1)) == 1
    assert await send_rating_invitations(NOW + dt.timedelta(days=2)) == 0  # never twice
    invitation = await Delivery.get(purpose="rating_invitation")
    assert invitation.chat_id == home.anna.telegram_id
    rate_now = invitation.content["buttons"][0][0]
    assert rate_now == {"text": "Rate now", "callback_data": f"rate:1:start:{home.facility.id}"}

    assert await send_rating_invitations(NOW + dt.timedelta(days=91)) == 1  # the next interval
    assert await RatingInvitation.filter(account=home.anna).count() == 2
    assert await Delivery.filter(purpose="rating_invitation").count() == 2


async def test_who_rated_recently_or_works_there_is_not_invited() -> None:
    home = await sonnenhof()
    await rate(home.anna, home.facility, 5)
    await factories.link(home.ben, home.frau_m)
    await RelativeLink.all().update(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=30))

    assert await send_rating_invitations() == 0


async def test_an_invitation_waits_for_the_end_of_quiet_hours() -> None:
    home = await sonnenhof()
    home.anna.quiet_from = home.anna.quiet_until = None  # the default: 21:00-08:00
    await home.anna.save()
    berlin = ZoneInfo("Europe/Berlin")
    tomorrow = dt.datetime.now(berlin).date() + dt.timedelta(days=1)
    night = dt.datetime.combine(tomorrow, dt.time(23, 30), berlin)
    await RelativeLink.filter(account=home.anna).update(created_at=night - dt.timedelta(days=20))

    await send_rating_invitations(night)

    invitation = await Delivery.get(purpose="rating_invitation")
    morning = dt.datetime.combine(tomorrow + dt.timedelta(days=1), dt.time(8, 0), berlin)
    assert invitation.next_attempt_at == morning
    assert not invitation.urgent


async def test_the_rating_settings_are_the_homes_within_fair_bounds() -> None:
    home = await sonnenhof()

    changed = await update_facility(home.admin, home.facility.id, rating_interval_days=120,
                                    complaint_window_hours=48, rating_invite_after_days=30)

    assert (changed.rating_interval_days, changed.complaint_window_hours,
            changed.rating_invite_after_days) == (120, 48, 30)
    for setting, value in (("rating_interval_days", 7), ("complaint_window_hours", 500),
                           ("rating_invite_after_days", 0), ("rating_interval_days", "90")):
        with pytest.raises(InvalidInput):
            await update_facility(home.admin, home.facility.id, **{setting: value})
    with pytest.raises(NotAllowed):  # care staff do not change the home's settings
        await update_facility(Actor(home.ben), home.facility.id, complaint_window_hours=24)
    assert (await Facility.get(id=home.facility.id)).complaint_window_hours == 48
