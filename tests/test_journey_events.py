"""Journey: Carla plans the summer party of Haus Linden, Anna signs up and gets it into her
calendar, and a change or a cancellation reaches everyone signed up.

Otto, relative of another resident, signs up too; Ben, of the care team, sees the sign-ups
but may not change anything; Dora, admin of another home, sees nothing of it. The last place
goes to exactly one of two relatives pressing at once (SQLite and PostgreSQL alike).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.domain.callbacks import Prefix, callback
from bot.domain.enums import EventAudience
from bot.domain.errors import InvalidInput
from bot.metrics import Metrics
from bot.models import Account, Delivery, DeliveryState, Event, EventSignup, Facility, Role
from bot.services import events
from bot.services.accounts.actors import Actor
from bot.web import build_web_app
from bot.web.guard import Limits
from tests import factories
from tests.conftest import StartBot
from tests.fakes import FakeMessage, FakeTelegram, FakeUser
from tests.public_server import public_client
from tests.test_journey_bad_input import forge_press

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass
class Cast:
    linden: Facility
    anna: FakeUser  # daughter of Frau M.
    otto: FakeUser  # nephew of Herr K.
    ben: FakeUser  # care staff
    carla: FakeUser  # admin
    dora: FakeUser  # admin of another home


@pytest.fixture
async def cast(telegram: FakeTelegram, start_bot: StartBot) -> Cast:
    await start_bot()
    linden = await factories.home("linden")
    eiche = await factories.home("eiche")
    anna = await factories.family_member(
        telegram, "Anna", await factories.resident(linden, "Frau M."), locale="de")
    otto = await factories.family_member(
        telegram, "Otto", await factories.resident(linden, "Herr K."))
    ben = await factories.team_member(telegram, linden, "Ben", Role.STAFF)
    carla = await factories.team_member(telegram, linden, "Carla", Role.ADMIN)
    dora = await factories.team_member(telegram, eiche, "Dora", Role.ADMIN)
    return Cast(linden, anna, otto, ben, carla, dora)


def party_day(now: dt.datetime) -> dt.datetime:
    """15:00 Berlin time, 25 days after the test's instant."""
    day = (now.astimezone(BERLIN) + dt.timedelta(days=25)).date()
    return dt.datetime(day.year, day.month, day.day, 15, 0, tzinfo=BERLIN)


async def summer_party(
    facility: Facility, now: dt.datetime, *, capacity: int = 40, public: bool = False,
    audience: EventAudience = EventAudience.RELATIVES, title: str = "Sommerfest",
) -> events.EventView:
    start = party_day(now)
    return await events.create_event(Actor.cli(), facility.id, events.NewEvent(
        title=title, starts_at=start, ends_at=start + dt.timedelta(hours=3),
        capacity=capacity, place="Garten", description="Mit Kuchen und Musik.",
        audience=audience, public=public,
    ))


async def outbox_sent(timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        busy = (DeliveryState.PENDING, DeliveryState.SENDING)
        while True:
            if not await Delivery.filter(state__in=busy).exists():
                return
            await asyncio.sleep(0.05)  # the sender works in its own task


def calendar_event(telegram: FakeTelegram, message: FakeMessage) -> icalendar.Event:
    """The one VEVENT of the .ics file attached to ``message``."""
    assert message.document is not None
    assert message.document["file_name"].endswith(".ics")
    calendar = icalendar.Calendar.from_ical(telegram.file_bytes(message.document["file_id"]))
    (event,) = calendar.walk("VEVENT")
    return event


async def test_carla_creates_the_summer_party_step_by_step(cast: Cast, now: dt.datetime) -> None:
    start = party_day(now)
    await cast.carla.send("/events")
    await cast.carla.wait_for("No events are planned yet.")
    await cast.carla.press("➕ New event")
    await cast.carla.wait_for("New event for Haus Linden. What is its title?")
    await cast.carla.send("Sommerfest")
    await cast.carla.wait_for("A few words about it?")
    await cast.carla.send("Mit Kuchen und Musik.")
    await cast.carla.wait_for("Date and time")
    await cast.carla.send("gestern")  # not a date: told how, asked again
    await cast.carla.wait_for("Please type the date and time like this")
    await cast.carla.send(f"{start:%Y-%m-%d} 15:00-18:00")
    await cast.carla.wait_for("Where?")
    await cast.carla.send("Garten")
    await cast.carla.wait_for("How many places")
    await cast.carla.send("viele")
    await cast.carla.wait_for("Please type the number of places, from 1 to 1000.")
    await cast.carla.send("40")
    await cast.carla.wait_for("Sign-up until when?")
    await cast.carla.send("-")
    await cast.carla.wait_for("Who may come?")
    await cast.carla.press("👪 Residents with relatives")
    screen = await cast.carla.wait_for("📅 Sommerfest")
    assert "Place: Garten" in screen.text
    assert "Signed up: 0 of 40 places." in screen.text

    event = await Event.get(title="Sommerfest")
    assert event.starts_at == start
    assert event.ends_at == start.replace(hour=18)
    assert event.signup_until == start
    assert (event.capacity, event.place, event.audience) == (40, "Garten", "relatives")

    # Ben of the team sees it, but has no ➕; Dora of another home does not see it.
    await cast.ben.send("/events")
    listed = await cast.ben.wait_for("Upcoming events")
    assert any("Sommerfest (0/40)" in label for label in listed.button_texts)
    await cast.dora.send("/events")
    await cast.dora.wait_for("No events are planned yet.")


async def test_anna_signs_up_gets_the_calendar_entry_and_withdraws(
    telegram: FakeTelegram, cast: Cast, now: dt.datetime
) -> None:
    party = await summer_party(cast.linden, now)
    await cast.anna.send("/events")
    listed = await cast.anna.wait_for("Anstehende Veranstaltungen")
    await cast.anna.press("Sommerfest", message=listed)
    details = await cast.anna.wait_for("Garten")
    assert "40 von 40 Plätzen sind frei." in details.text
    assert details.button_texts[:4] == ["1", "2", "3", "4"]

    await cast.anna.press("2", message=details)
    confirmation = await cast.anna.wait_for(lambda m: m.document is not None)
    assert "Sie sind für 2 Personen angemeldet" in (confirmation.caption or "")
    entry = calendar_event(telegram, confirmation)
    assert str(entry["uid"]) == party.uid
    assert entry.decoded("dtstart") == party.starts_at
    assert int(entry["sequence"]) == 0 and str(entry["status"]) == "CONFIRMED"
    assert (await Event.get(id=party.id)).taken == 2

    # Carla sees Anna with two people, and the count.
    await cast.carla.send("/events")
    await cast.carla.wait_for("Upcoming events")
    await cast.carla.press("Sommerfest (2/40)")
    screen = await cast.carla.wait_for("Signed up: 2 of 40 places.")
    assert "• Anna: 2" in screen.text

    # One tap under the confirmation: withdrawn; the calendar gets the entry cancelled.
    await cast.anna.press("↩️ Abmelden", message=confirmation)
    withdrawn = await cast.anna.wait_for(
        lambda m: m.document is not None and m is not confirmation)
    assert str(calendar_event(telegram, withdrawn)["status"]) == "CANCELLED"
    assert (await Event.get(id=party.id)).taken == 0
    assert not await EventSignup.exists()


async def test_a_change_and_a_cancellation_reach_everyone_signed_up(
    telegram: FakeTelegram, cast: Cast, now: dt.datetime
) -> None:
    party = await summer_party(cast.linden, now)
    for name in ("Anna", "Otto"):
        await events.sign_up(await Account.get(first_name=name), party.id, 1)
    await outbox_sent()

    # Ben may look, not change.
    await cast.ben.send("/events")
    await cast.ben.wait_for("Upcoming events")
    await cast.ben.press("Sommerfest (2/40)")
    ben_sees = await cast.ben.wait_for("• Otto: 1")
    assert "• Anna: 1" in ben_sees.text
    assert ben_sees.button_texts == ["◀ All events"]  # nothing to change for the care team

    later = party.starts_at + dt.timedelta(hours=1)
    await cast.carla.send("/events")
    await cast.carla.wait_for("Upcoming events")
    await cast.carla.press("Sommerfest (2/40)")
    await cast.carla.wait_for("• Otto: 1")
    await cast.carla.press("🕒 Change time")
    await cast.carla.wait_for("New date and time")
    await cast.carla.send(f"{later.astimezone(BERLIN):%d.%m.%Y} 16:00-19:00")
    await cast.carla.wait_for("4:00")
    for relative, heading in ((cast.anna, "📅 Geändert"), (cast.otto, "📅 Changed")):
        changed = await relative.wait_for(heading)
        entry = calendar_event(telegram, changed)
        assert str(entry["uid"]) == party.uid and int(entry["sequence"]) == 1
        assert entry.decoded("dtstart") == later

    await cast.carla.press("❌ Cancel event")
    await cast.carla.wait_for("Everyone signed up will be told.")
    await cast.carla.press("❌ Yes, cancel it")
    await cast.carla.wait_for("❌ This event is cancelled.")
    for relative, heading in ((cast.anna, "❌ Abgesagt"), (cast.otto, "❌ Cancelled")):
        cancelled = await relative.wait_for(heading)
        entry = calendar_event(telegram, cancelled)
        assert str(entry["status"]) == "CANCELLED" and int(entry["sequence"]) == 2
    assert cast.dora.messages == []


async def test_a_residents_only_event_is_shown_without_sign_up(
    cast: Cast, now: dt.datetime
) -> None:
    concert = await summer_party(cast.linden, now, title="Hauskonzert",
                                 audience=EventAudience.RESIDENTS)
    await cast.otto.send("/events")
    await cast.otto.wait_for("Upcoming events")
    await cast.otto.press("Hauskonzert")
    details = await cast.otto.wait_for("for the residents only")
    assert details.button_texts == ["◀ All events"]
    with pytest.raises(InvalidInput):
        await events.sign_up(await Account.get(first_name="Otto"), concert.id, 1)


async def test_the_last_place_goes_to_exactly_one_of_two_pressing_at_once(
    cast: Cast, now: dt.datetime
) -> None:
    party = await summer_party(cast.linden, now, capacity=1)
    screens = []
    for relative in (cast.anna, cast.otto):
        await relative.send("/events")
        await relative.wait_for(lambda m: "Sommerfest" in str(m.button_texts))
        await relative.press("Sommerfest")
        screens.append(await relative.wait_for(lambda m: "Garten" in m.text))
    answers = await asyncio.gather(cast.anna.press("1", message=screens[0]),
                                   cast.otto.press("1", message=screens[1]))
    refusals = [a.text for a in answers
                if a.text in ("Sorry, there are not enough places left.",
                              "Leider sind nicht mehr genug Plätze frei.")]
    assert len(refusals) == 1
    assert await EventSignup.all().count() == 1
    assert (await Event.get(id=party.id)).taken == 1


async def test_many_parallel_sign_ups_never_take_more_places_than_there_are(
    cast: Cast, now: dt.datetime
) -> None:
    party = await summer_party(cast.linden, now, capacity=5)
    home = await factories.resident(cast.linden, "Frau S.")
    relatives = [await factories.relative(f"R{n}", home) for n in range(8)]
    outcomes = await asyncio.gather(
        *(events.sign_up(relative, party.id, 2) for relative in relatives),
        return_exceptions=True,
    )
    won = [o for o in outcomes if isinstance(o, events.EventView)]
    assert len(won) == 2  # 2 + 2 of 5 places; a third pair would not fit
    assert all(isinstance(o, InvalidInput) for o in outcomes if o not in won)
    assert (await Event.get(id=party.id)).taken == 4
    assert await EventSignup.all().count() == 2


async def test_carla_announces_the_party_through_the_usual_broadcast(
    cast: Cast, now: dt.datetime
) -> None:
    await summer_party(cast.linden, now)
    await cast.carla.send("/events")
    await cast.carla.wait_for("Upcoming events")
    await cast.carla.press("Sommerfest (0/40)")
    await cast.carla.wait_for("Signed up: 0 of 40 places.")
    await cast.carla.press("📣 Announce")
    await cast.carla.wait_for("Who should receive it?")
    await cast.carla.press("All relatives")
    await cast.carla.wait_for("Add a version in another language?")
    await cast.carla.press("No, that's all")
    await cast.carla.wait_for("Is it urgent?")
    await cast.carla.press("Urgent")
    await cast.carla.wait_for("When should it go out?")
    await cast.carla.press("Now")
    await cast.carla.wait_for("This goes to 2 recipients, now.")
    await cast.carla.press("Send")
    announced = await cast.anna.wait_for("Mit Kuchen und Musik.")
    assert announced.text.startswith("Sommerfest\n")
    assert "Anmeldung unter /events bis" in announced.text  # in the home's language (de)


async def test_a_change_of_place_reaches_those_signed_up_and_a_bad_time_changes_nothing(
    telegram: FakeTelegram, cast: Cast, now: dt.datetime
) -> None:
    party = await summer_party(cast.linden, now)
    await events.sign_up(await Account.get(first_name="Otto"), party.id, 3)
    await cast.otto.wait_for(lambda m: m.document is not None)
    await cast.carla.send("/events")
    await cast.carla.wait_for("Upcoming events")
    await cast.carla.press("Sommerfest (3/40)")
    await cast.carla.wait_for("• Otto: 3")
    await cast.carla.press("🕒 Change time")
    await cast.carla.wait_for("New date and time")
    await cast.carla.send("2020-01-01 15:00")
    await cast.carla.wait_for("This time has passed. Please type a time in the future.")
    assert (await Event.get(id=party.id)).starts_at == party.starts_at

    await cast.carla.send("/events")  # she thinks again, and changes the place instead
    await cast.carla.wait_for("Upcoming events")
    await cast.carla.press("Sommerfest (3/40)")
    await cast.carla.wait_for("• Otto: 3")
    await cast.carla.press("📍 Change place")
    await cast.carla.wait_for("New place for “Sommerfest”")
    await cast.carla.send("Speisesaal (bei Regen)")
    await cast.carla.wait_for("Place: Speisesaal (bei Regen)")
    changed = await cast.otto.wait_for("📅 Changed")
    assert "Place: Speisesaal (bei Regen)" in (changed.caption or "")
    entry = calendar_event(telegram, changed)
    assert str(entry["location"]) == "Speisesaal (bei Regen)" and int(entry["sequence"]) == 1
    assert cast.anna.messages == []  # not signed up: not told


async def test_the_public_calendar_feed_lists_the_public_events(
    cast: Cast, now: dt.datetime
) -> None:
    party = await summer_party(cast.linden, now, public=True)
    await summer_party(cast.linden, now, title="Angehörigenabend")  # not public
    eiche = await Facility.get(slug="eiche")
    await summer_party(eiche, now, title="Grillfest", public=True)  # another home's
    await events.sign_up(await Account.get(first_name="Anna"), party.id, 2)

    async with public_client() as client:
        response = await client.get("/facilities/linden/events.ics")
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        assert response.headers["Cache-Control"].startswith("public, max-age=")
        body = await response.read()
        calendar = icalendar.Calendar.from_ical(body)
        assert str(calendar["x-wr-calname"]) == "Haus Linden"
        (entry,) = calendar.walk("VEVENT")
        assert str(entry["summary"]) == "Sommerfest" and str(entry["uid"]) == party.uid
        assert entry.decoded("dtstart") == party.starts_at
        assert "Anna" not in body.decode()  # no names of those signed up

        again = await client.get("/facilities/linden/events.ics",
                                 headers={"If-None-Match": response.headers["ETag"]})
        assert again.status == 304

        await events.cancel_event(Actor.cli(), party.id)
        cancelled = await client.get("/facilities/linden/events.ics")
        (entry,) = icalendar.Calendar.from_ical(await cancelled.read()).walk("VEVENT")
        assert str(entry["status"]) == "CANCELLED" and int(entry["sequence"]) == 1
        assert cancelled.headers["ETag"] != response.headers["ETag"]

        for unknown in ("/facilities/nowhere/events.ics", "/facilities/NO%20SLUG/events.ics"):
            assert (await client.get(unknown)).status == 404

        # Carla puts the evening for families into the public calendar too.
        await cast.carla.send("/events")
        await cast.carla.wait_for("Upcoming events")
        await cast.carla.press("Angehörigenabend (0/40)")
        await cast.carla.wait_for("In the public calendar: no.")
        await cast.carla.press("🌐 Make public")
        await cast.carla.wait_for("In the public calendar: yes.")
        feed = await client.get("/facilities/linden/events.ics")
        entries = icalendar.Calendar.from_ical(await feed.read()).walk("VEVENT")
        assert sorted(str(e["summary"]) for e in entries) == ["Angehörigenabend", "Sommerfest"]


async def test_mydata_shows_the_sign_ups_and_deleteme_frees_the_places(
    telegram: FakeTelegram, cast: Cast, now: dt.datetime
) -> None:
    party = await summer_party(cast.linden, now)
    otto = await Account.get(first_name="Otto")
    await events.sign_up(otto, party.id, 3)
    await cast.otto.wait_for(lambda m: m.document is not None)

    await cast.otto.send("/mydata")
    export = await cast.otto.wait_for(lambda m: m.document is not None
                                      and m.document["file_name"].endswith(".json"))
    assert export.document is not None
    data = json.loads(telegram.file_bytes(export.document["file_id"]))
    assert data["event_signups"] == [{
        "facility": "Haus Linden", "event": "Sommerfest",
        "starts_at": party.starts_at.isoformat(), "people": 3,
        "signed_up_at": data["event_signups"][0]["signed_up_at"],
    }]

    await cast.otto.send("/deleteme")
    await cast.otto.wait_for("Shall I delete everything about you?")
    await cast.otto.press("Yes, delete everything")
    await cast.otto.wait_for("Everything about you has been deleted. Goodbye!")
    assert (await Event.get(id=party.id)).taken == 0
    assert not await EventSignup.exists()


async def test_the_calendar_feed_is_rate_limited_like_every_public_page(
    cast: Cast, now: dt.datetime
) -> None:
    await summer_party(cast.linden, now, public=True)
    app = build_web_app(Metrics(), limits=Limits(requests_per_second=0.5, burst=2))
    async with TestClient(TestServer(app)) as client:
        answers = [await client.get("/facilities/linden/events.ics") for _ in range(3)]
        assert [a.status for a in answers] == [200, 200, 429]
        assert answers[-1].headers["Retry-After"] == "2"


async def test_a_team_member_whose_mother_lives_there_signs_up_as_family(
    cast: Cast, now: dt.datetime
) -> None:
    await summer_party(cast.linden, now)
    ben = await Account.get(first_name="Ben")
    await factories.link(ben, await factories.resident(cast.linden, "Frau B."))
    await cast.ben.send("/events")
    await cast.ben.wait_for("Upcoming events – tap one for its sign-ups")
    await cast.ben.press("👪 Sign up as family")
    await cast.ben.wait_for("Upcoming events – tap one for details and to sign up")
    await cast.ben.press("Sommerfest")
    await cast.ben.wait_for("How many people are coming")
    await cast.ben.press("1")
    await cast.ben.wait_for(lambda m: m.document is not None)
    assert (await EventSignup.get()).account_id == ben.id


async def test_a_relative_of_another_home_forging_buttons_reaches_nothing(
    telegram: FakeTelegram, cast: Cast, now: dt.datetime
) -> None:
    party = await summer_party(cast.linden, now, capacity=40)
    eiche = await Facility.get(slug="eiche")
    grillfest = await summer_party(eiche, now, title="Grillfest")
    eva = await factories.family_member(
        telegram, "Eva", await factories.resident(eiche, "Frau E."), locale="de")
    await eva.send("/events")
    screen = await eva.wait_for(lambda m: "Grillfest" in str(m.button_texts))
    assert "Sommerfest" not in str(screen.button_texts)  # only her home's events

    refusals = set()
    for press in (("show", party.id), ("join", party.id, 1), ("withdraw", party.id),
                  ("ev", party.id), ("cancelok", party.id), ("public", party.id, 1),
                  ("time", party.id), ("home", cast.linden.id)):
        answer = await forge_press(telegram, eva, screen, callback(Prefix.EVENTS, *press))
        assert answer.show_alert, press
        refusals.add(answer.text)
    assert "Diese Veranstaltung ist nicht mehr verfügbar." in refusals
    stored = await Event.get(id=party.id)
    assert (stored.taken, stored.sequence, stored.public, stored.cancelled_at) == (
        0, 0, False, None)
    assert not await EventSignup.exists()
    assert await Delivery.filter(purpose__startswith="event.").count() == 0
    # Her own home's event she may sign up for.
    assert (await events.sign_up(await Account.get(first_name="Eva"), grillfest.id, 2)).mine == 2
