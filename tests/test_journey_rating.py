"""Journeys: Anna rates Haus Sonnenhof, where her mother Frau M. lives.

Carla runs the home; Maria moderates for the platform. Everyone's quiet hours are off, so the
bot's own messages arrive at any time of day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from bot.app import Heimbote
from bot.models import (
    Facility,
    RelativeLink,
    Resident,
    Review,
    ReviewState,
    Role,
    StreamEvent,
)
from bot.services.reviews import complaints
from bot.services.reviews.invitations import send_rating_invitations
from bot.services.stream import events as stream
from tests import factories
from tests.fakes import FakeTelegram, FakeUser

pytestmark = pytest.mark.calendar  # run at every instant of tests.conftest.CLOCKS

StartBot = Callable[..., Awaitable[Heimbote]]


@dataclass
class Sonnenhof:
    facility: Facility
    anna: FakeUser  # Frau M.'s daughter
    carla: FakeUser  # the home's admin
    maria: FakeUser  # the platform's moderator
    bot: Heimbote


async def start(start_bot: StartBot, telegram: FakeTelegram) -> Sonnenhof:
    """Maria is the platform's moderator (HEIMBOTE_ADMIN_IDS); then the home is set up."""
    maria = telegram.user("Maria", language_code="en", started=True)
    heimbote = await start_bot(admin_ids=str(maria.id))
    await factories.account("Maria", telegram_id=maria.id, locale="en", anytime=True)
    facility = await factories.home("sonnenhof")
    frau_m = await factories.resident(facility, "Frau M.")
    anna = await factories.family_member(telegram, "Anna", frau_m)
    carla = await factories.team_member(telegram, facility, "Carla", Role.ADMIN)
    return Sonnenhof(facility, anna, carla, maria, heimbote)


async def rates(anna: FakeUser, overall: str, comment: str | None, publish: bool = True) -> None:
    """Anna's quick way through /rate: overall stars, every category skipped, a comment."""
    await anna.send("/rate")
    await anna.wait_for("overall?")
    await anna.press(overall)
    for number in range(1, 6):
        await anna.wait_for(f"Question {number} of 5")
        await anna.press("Skip")
    await anna.wait_for("Would you like to add a comment?")
    if comment is None:
        await anna.press("No comment")
    else:
        await anna.send(comment)
    await anna.wait_for("Who should read your rating?")
    await anna.press("Publish under a pseudonym" if publish else "Only for the home")


async def test_anna_rates_four_stars_and_her_rating_is_published_without_her_name(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    home = await start(start_bot, telegram)
    anna = home.anna

    await anna.send("/rate")
    await anna.wait_for("How satisfied are you with Haus Sonnenhof overall?")
    await anna.press("4 ★")
    await anna.wait_for("Question 1 of 5: Care")
    await anna.press("5 ★")
    await anna.wait_for("Question 2 of 5: Staff")
    await anna.press("Skip")
    await anna.wait_for("Question 3 of 5: Food & drink")
    await anna.press("◀ Back")  # she wants to rate the staff after all
    await anna.wait_for("Question 2 of 5: Staff")
    await anna.press("Skip")
    await anna.wait_for("Question 3 of 5: Food & drink")
    await anna.press("3 ★")
    await anna.wait_for("Question 4 of 5: Activities")
    await anna.press("Skip")
    await anna.wait_for("Question 5 of 5: Communication with relatives")
    await anna.press("Skip")
    await anna.wait_for("Would you like to add a comment?")
    await anna.send("x" * 1001)
    await anna.wait_for("Your comment has 1,001 characters; at most 1,000 fit.")
    await anna.send("Mama wird liebevoll gepflegt, das Essen könnte wärmer sein.")
    await anna.wait_for("Who should read your rating?")
    await anna.press("Publish under a pseudonym")
    summary = await anna.wait_for("Your rating of Haus Sonnenhof:")
    assert "Overall: ★★★★☆ (4 of 5)" in summary.text
    assert "Care: ★★★★★" in summary.text and "Food & drink: ★★★☆☆" in summary.text
    assert "Staff:" not in summary.text  # skipped
    await anna.press("Send")
    thanks = await anna.wait_for("Thank you! Your rating of Haus Sonnenhof is published")

    review = await Review.get()
    code = review.pseudonym.removeprefix("Angehörige/r ")
    assert f"pseudonym Relative {code}." in thanks.text  # in her language; stored unchanged
    event = await StreamEvent.get(kind="review.published")
    assert event.payload is not None
    assert event.payload["reviewer"] == review.pseudonym
    assert event.payload["categories"] == {"care": 5, "food": 3}
    assert event.payload["comment"] == "Mama wird liebevoll gepflegt, das Essen könnte wärmer sein."
    assert "Anna" not in str(event.payload) and str(anna.id) not in str(event.payload)
    assert home.carla.messages == []  # a good rating needs nothing from the home


async def test_a_one_star_rating_reaches_carla_first_and_is_published_with_her_answer(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    home = await start(start_bot, telegram)
    anna, carla = home.anna, home.carla

    await rates(anna, "1 ★", "Nach dem Sturz hat uns niemand angerufen.")
    await anna.wait_for("May the home read your comment already now?")
    await anna.press("Yes, the home may read it")
    await anna.wait_for("Your rating of Haus Sonnenhof:")
    await anna.press("Send")
    await anna.wait_for("Haus Sonnenhof hears about it first and can answer until")

    notice = await carla.wait_for("Complaint about Haus Sonnenhof", timeout=10)
    assert "Nach dem Sturz hat uns niemand angerufen." in notice.text
    assert not await StreamEvent.exists()  # not public yet
    await carla.press("Answer", message=notice)
    await carla.wait_for("Please type your answer.")
    await carla.send("Das tut uns leid. Wir rufen Sie ab jetzt nach jedem Vorfall an.")
    await carla.wait_for("Your answer is saved and sent to the relative.")
    await anna.wait_for("Haus Sonnenhof answered your rating", timeout=10)
    await carla.press("In progress")
    await carla.wait_for("Status: In progress")

    review = await Review.get()
    assert review.window_ends_at is not None
    assert await complaints.publish_due(review.window_ends_at) == 1  # the window job

    event = await StreamEvent.get(kind="review.published")
    assert event.payload is not None
    assert event.payload["overall"] == 1
    assert event.payload["response"] == (
        "Das tut uns leid. Wir rufen Sie ab jetzt nach jedem Vorfall an.")
    assert (await stream.verify(stream.stored_events())).ok


async def test_a_phone_number_is_held_and_maria_publishes_without_the_comment(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    home = await start(start_bot, telegram)
    anna, maria = home.anna, home.maria

    await rates(anna, "5 ★", "Rufen Sie mich gern an: 0171 1234567")
    await anna.wait_for("Your rating of Haus Sonnenhof:")
    await anna.press("Send")
    await anna.wait_for("a moderator checks your comment")

    held = await maria.wait_for("A rating of Haus Sonnenhof waits for moderation.", timeout=10)
    assert "Held because it contains: a phone number." in held.text
    assert not await StreamEvent.exists()
    await maria.press("Publish without comment")
    await maria.wait_for("✓ Published without the comment.")
    told = await anna.wait_for("checked and is now published", timeout=10)
    assert "Your comment is left out" in told.text

    event = await StreamEvent.get(kind="review.published")
    assert event.payload is not None and event.payload["comment"] is None
    assert home.carla.messages == []  # the home never sees a held comment
    assert held.button_texts == []  # decided: no buttons left to press twice


async def test_a_second_rating_within_90_days_is_refused_with_the_date(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    home = await start(start_bot, telegram)
    await rates(home.anna, "4 ★", None)
    await home.anna.wait_for("Your rating of Haus Sonnenhof:")
    await home.anna.press("Send")
    await home.anna.wait_for("is published")
    rated_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=10)
    await Review.all().update(created_at=rated_at)

    await home.anna.send("/rate")

    again = (rated_at + dt.timedelta(days=90)).astimezone(ZoneInfo("Europe/Berlin")).date()
    await home.anna.wait_for("You have already rated Haus Sonnenhof. You can rate it again "
                             f"from {again:%B} {again.day}, {again.year}.")


async def test_staff_and_strangers_get_a_clear_answer(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    home = await start(start_bot, telegram)
    stranger, _ = await factories.person(telegram, "Sam")

    await home.carla.send("/rate")
    await home.carla.wait_for("Staff do not rate their own care home")
    await stranger.send("/rate")
    await stranger.wait_for("Ratings come from relatives of the residents.")
    assert not await Review.exists()


async def test_the_home_cannot_delete_or_change_a_rating(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    home = await start(start_bot, telegram)
    await rates(home.anna, "2 ★", "Zu wenig Personal am Wochenende.")
    await home.anna.press("No, only the stars for now")
    await home.anna.wait_for("Your rating of Haus Sonnenhof:")
    await home.anna.press("Send")
    carla = home.carla
    notice = await carla.wait_for("Complaint about Haus Sonnenhof", timeout=10)
    assert "Zu wenig Personal" not in notice.text  # Anna keeps it for the publication
    offered = set(notice.button_texts)

    await carla.send("/complaints")
    await carla.wait_for("1 open complaint")
    offered |= set(carla.last_message.button_texts)  # type: ignore[union-attr]
    await carla.press("★★☆☆☆", message=carla.last_message)
    card = await carla.wait_for("Rating by")
    offered |= set(card.button_texts)
    await complaints.publish_due((await Review.get()).window_ends_at)
    await carla.send("/reviews")
    await carla.wait_for("Published ratings")
    await carla.press("★★☆☆☆")
    card = await carla.wait_for("Zu wenig Personal am Wochenende.")
    offered |= set(card.button_texts)
    await carla.press("Reply publicly")
    await carla.wait_for("Please type your public reply.")
    await carla.send("Wir haben zwei Kräfte für das Wochenende eingestellt.")
    await carla.wait_for("Your reply is published.")
    offered |= set(carla.last_message.button_texts)  # type: ignore[union-attr]

    rating_buttons = {label for label in offered if not label.startswith("★")}
    assert rating_buttons <= {"Answer", "Open", "✓ Open", "In progress", "✓ In progress",
                              "Resolved", "Reply publicly", "Change the reply", "◀ All ratings"}
    review = await Review.get()
    assert (review.overall, review.comment) == (2, "Zu wenig Personal am Wochenende.")
    assert await StreamEvent.filter(kind="reply.published").count() == 1


async def test_after_deleteme_the_rating_is_retracted_and_the_chain_still_verifies(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    home = await start(start_bot, telegram)
    await rates(home.anna, "4 ★", "Ich heiße Anna und finde es gut.")
    await home.anna.wait_for("Your rating of Haus Sonnenhof:")
    await home.anna.press("Send")
    await home.anna.wait_for("is published")

    await home.anna.send("/deleteme")
    await home.anna.wait_for("Shall I delete everything about you?")
    await home.anna.press("Yes, delete everything")
    await home.anna.wait_for("Everything about you has been deleted.")

    review = await Review.get()
    assert (review.state, review.overall, review.comment) == (ReviewState.RETRACTED, 4, "")
    kinds = [e.kind for e in await StreamEvent.all().order_by("seq")]
    assert kinds == ["review.published", "review.retracted"]
    assert (await StreamEvent.get(kind="review.published")).payload is None
    assert (await stream.verify(stream.stored_events())).ok


async def test_an_invitation_to_rate_starts_the_rating_with_one_tap(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    home = await start(start_bot, telegram)
    await RelativeLink.all().update(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=15))

    assert await send_rating_invitations() == 1  # the invitation job

    invitation = await home.anna.wait_for("How are things at Haus Sonnenhof?", timeout=10)
    await home.anna.press("Rate now", message=invitation)
    await home.anna.wait_for("How satisfied are you with Haus Sonnenhof overall?")
    assert await send_rating_invitations() == 0  # never twice


async def test_a_restart_in_the_middle_keeps_the_draft(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    home = await start(start_bot, telegram)
    await home.anna.send("/rate")
    await home.anna.wait_for("overall?")
    await home.anna.press("3 ★")
    await home.anna.wait_for("Question 1 of 5: Care")
    await home.bot.stop()

    await start_bot()
    await home.anna.press("4 ★")
    await home.anna.wait_for("Question 2 of 5: Staff")
    for _ in range(4):
        await home.anna.press("Skip")
    await home.anna.wait_for("Would you like to add a comment?")
    await home.anna.press("No comment")
    await home.anna.press("Publish under a pseudonym")
    summary = await home.anna.wait_for("Your rating of Haus Sonnenhof:")
    assert "Overall: ★★★☆☆ (3 of 5)" in summary.text and "Care: ★★★★☆" in summary.text


async def test_jonas_rates_in_german(telegram: FakeTelegram, start_bot: StartBot) -> None:
    home = await start(start_bot, telegram)
    frau_m = await Resident.get(display_name="Frau M.")
    jonas = await factories.family_member(telegram, "Jonas", frau_m, locale="de")

    await jonas.send("/rate")
    await jonas.wait_for("Wie zufrieden sind Sie insgesamt mit Haus Sonnenhof?")
    await jonas.press("5 ★")
    await jonas.wait_for("Frage 1 von 5: Pflege. Wie viele Sterne?")
    for _ in range(5):
        await jonas.press("Überspringen")
    await jonas.wait_for("Möchten Sie einen Kommentar hinzufügen?")
    await jonas.press("Kein Kommentar")
    await jonas.press("Unter einem Pseudonym veröffentlichen")
    await jonas.wait_for("Ihre Bewertung von Haus Sonnenhof:")
    await jonas.press("Senden")
    await jonas.wait_for("Vielen Dank! Ihre Bewertung von Haus Sonnenhof ist unter dem Pseudonym")
    assert home.carla.messages == []
