"""Complaints: the home hears first, answers within the window, and cannot change a rating."""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect

import pytest

from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.models import ComplaintState, Delivery, Review, ReviewReply, ReviewState, StreamEvent
from bot.services.accounts.actors import Actor
from bot.services.reviews import complaints
from bot.services.stream import events as stream
from tests.rating_homes import rate, sonnenhof

pytestmark = [pytest.mark.usefixtures("db"), pytest.mark.calendar]

NOW = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)
WINDOW = dt.timedelta(hours=72)


async def test_a_one_star_rating_reaches_the_homes_admins_first() -> None:
    home = await sonnenhof()
    review = await rate(home.anna, home.facility, 1, categories={"communication": 1},
                        comment="Niemand informiert uns über Stürze.", now=NOW)

    assert review.state == ReviewState.AWAITING_RESPONSE
    assert review.complaint_state == ComplaintState.OPEN
    assert review.window_ends_at == NOW + WINDOW
    assert not await StreamEvent.exists()
    complaint = await Delivery.get(purpose="review_complaint")
    assert complaint.chat_id == home.carla.telegram_id  # the admin, not Ben (care staff)
    assert "Niemand informiert uns über Stürze." in complaint.content["text"]
    labels = [button["text"] for row in complaint.content["buttons"] for button in row]
    assert labels == ["Answer", "In progress", "Resolved"]


async def test_the_comment_stays_with_the_relative_when_she_says_so() -> None:
    home = await sonnenhof()
    await rate(home.anna, home.facility, 2, comment="Nur für die Öffentlichkeit", now=NOW,
               share_comment=False)

    complaint = await Delivery.get(purpose="review_complaint")
    assert "Nur für die Öffentlichkeit" not in complaint.content["text"]
    assert "keeps the comment for the publication" in complaint.content["text"]


async def test_after_the_window_it_is_published_with_the_answer_once() -> None:
    home = await sonnenhof()
    review = await rate(home.anna, home.facility, 1, comment="Zu wenig Personal.", now=NOW)
    await complaints.respond(home.admin, review.id, "Wir stellen zwei Pflegekräfte ein.",
                             now=NOW + dt.timedelta(hours=1))
    told = await Delivery.get(purpose="review_response")
    assert "Wir stellen zwei Pflegekräfte ein." in told.content["text"]

    assert await complaints.publish_due(NOW + WINDOW - dt.timedelta(seconds=1)) == 0
    assert await complaints.publish_due(NOW + WINDOW) == 1
    assert await complaints.publish_due(NOW + WINDOW + dt.timedelta(minutes=5)) == 0

    published = await Review.get(id=review.id)
    assert published.state == ReviewState.PUBLISHED
    assert published.published_at == NOW + WINDOW
    event = await StreamEvent.get(subject=f"review:{review.id}")
    assert event.payload is not None
    assert event.payload["response"] == "Wir stellen zwei Pflegekräfte ein."
    assert event.payload["comment"] == "Zu wenig Personal."
    with pytest.raises(InvalidInput):  # the window is over: a public reply is what remains
        await complaints.respond(home.admin, review.id, "Noch etwas")


async def test_two_processes_running_the_window_job_publish_once() -> None:
    home = await sonnenhof()
    await rate(home.anna, home.facility, 2, now=NOW)

    results = await asyncio.gather(*(complaints.publish_due(NOW + WINDOW) for _ in range(3)))

    assert sorted(results) == [0, 0, 1]
    assert await StreamEvent.filter(kind="review.published").count() == 1
    assert (await stream.verify(stream.stored_events())).ok


async def test_admins_set_the_complaint_state_and_list_open_ones() -> None:
    home = await sonnenhof()
    review = await rate(home.anna, home.facility, 1, now=NOW)
    assert [r.id for r in await complaints.open_complaints(home.admin, home.facility.id)] == [
        review.id]

    await complaints.set_complaint_state(home.admin, review.id, ComplaintState.IN_PROGRESS)
    assert len(await complaints.open_complaints(home.admin, home.facility.id)) == 1
    resolved = await complaints.set_complaint_state(
        home.admin, review.id, ComplaintState.RESOLVED)

    assert resolved.complaint_resolved_at is not None
    assert await complaints.open_complaints(home.admin, home.facility.id) == []
    with pytest.raises(NotAllowed):  # care staff are not the home's admins
        await complaints.set_complaint_state(Actor(home.ben), review.id, ComplaintState.OPEN)
    with pytest.raises(NotAllowed):
        await complaints.open_complaints(Actor(home.anna), home.facility.id)


async def test_another_homes_admin_and_held_ratings_stay_out_of_reach() -> None:
    home = await sonnenhof()
    other = await sonnenhof("linden", first_id=700_000_100)
    review = await rate(home.anna, home.facility, 1, now=NOW)
    held = await rate(other.anna, other.facility, 1, comment="Carla? 030 1234567")

    with pytest.raises(NotAllowed):
        await complaints.respond(other.admin, review.id, "Wir sind nicht gemeint")
    with pytest.raises(NotFound):  # the home never sees a held rating
        await complaints.review_for_home(other.admin, held.id)
    assert await complaints.open_complaints(other.admin, other.facility.id) == []


async def test_one_public_reply_editable_for_24_hours() -> None:
    home = await sonnenhof()
    review = await rate(home.anna, home.facility, 5, comment="Wunderbar", now=NOW)

    first = await complaints.reply(home.admin, review.id, "Vielen Dank!", now=NOW)
    edited = await complaints.reply(home.admin, review.id, "Vielen herzlichen Dank!",
                                    now=NOW + dt.timedelta(hours=23))

    assert edited.id == first.id and edited.edited_at is not None
    assert await ReviewReply.filter(review_id=review.id).count() == 1
    replies = await StreamEvent.filter(kind="reply.published").order_by("seq")
    assert [event.payload["text"] for event in replies] == [  # type: ignore[index]
        "Vielen Dank!", "Vielen herzlichen Dank!"]
    with pytest.raises(InvalidInput) as late:
        await complaints.reply(home.admin, review.id, "Zu spät", now=NOW + dt.timedelta(hours=25))
    assert late.value.reason == "too late"
    with pytest.raises(InvalidInput):
        await complaints.reply(home.admin, review.id, "   ", now=NOW)
    assert (await stream.verify(stream.stored_events())).ok


async def test_no_reply_before_publication() -> None:
    home = await sonnenhof()
    waiting = await rate(home.anna, home.facility, 1, now=NOW)
    with pytest.raises(InvalidInput):
        await complaints.reply(home.admin, waiting.id, "Schon öffentlich?")


# --- the home cannot delete or edit a rating -----------------------------------------------

HOME_ACTIONS = {"open_complaints", "recent_published", "reply", "reply_of", "respond",
                "review_for_home", "set_complaint_state", "publish_due"}


def test_the_homes_service_offers_no_way_to_delete_or_edit_a_rating() -> None:
    public = {name for name, member in inspect.getmembers(complaints, inspect.isfunction)
              if member.__module__ == complaints.__name__ and not name.startswith("_")}
    # A new function here must be reviewed: it must not touch a rating's stars or comment.
    assert public == HOME_ACTIONS
    source = inspect.getsource(complaints)
    assert ".delete(" not in source
    for column in ("overall", "comment", "care", "food", "activities", "communication"):
        assert f"{column}=" not in source


async def test_everything_the_home_can_do_leaves_stars_and_comment_as_they_were() -> None:
    home = await sonnenhof()
    review = await rate(home.anna, home.facility, 1, categories={"care": 2},
                        comment="Das stimmt so nicht", now=NOW)
    before = await Review.get(id=review.id).values(
        "overall", "care", "comment", "pseudonym", "author_id")

    await complaints.respond(home.admin, review.id, "Bitte rufen Sie uns an.", now=NOW)
    await complaints.set_complaint_state(home.admin, review.id, ComplaintState.RESOLVED)
    await complaints.publish_due(NOW + WINDOW)
    await complaints.reply(home.admin, review.id, "Wir sehen das anders.",
                           now=NOW + WINDOW)

    after = await Review.get(id=review.id).values(
        "overall", "care", "comment", "pseudonym", "author_id")
    assert after == before
