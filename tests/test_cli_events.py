"""``heimbote events``: the operator plans the summer party, reads who signed up, cancels it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.db import database
from bot.models import AuditEntry, Delivery, Event
from bot.services import events
from tests import factories
from tests.test_cli_admin import heimbote


async def test_the_operator_adds_lists_shows_and_cancels_an_event(
    tmp_path: Path, database_url: str, now: dt.datetime
) -> None:
    url = database_url  # the test's database, as in tests/test_cli_conversations.py
    env = {"HEIMBOTE_DATABASE_URL": url}
    day = (now.astimezone(ZoneInfo("Europe/Berlin")) + dt.timedelta(days=20)).date()
    async with database(url):
        linden = await factories.home("linden")
        anna = await factories.relative("Anna", await factories.resident(linden, "Frau M."))

    added = (await heimbote(
        tmp_path, "events", "add", "--facility", "linden", "--title", "Sommerfest",
        "--at", f"{day} 15:00", "--until", "18:00", "--capacity", "40", "--place", "Garten",
        "--public", "--json", **env)).json()
    assert isinstance(added, dict)
    assert (added["title"], added["capacity"], added["public"]) == ("Sommerfest", 40, True)
    start = dt.datetime.combine(day, dt.time(15), ZoneInfo("Europe/Berlin"))
    assert added["starts_at"] == start.astimezone(dt.UTC).isoformat()
    assert added["ends_at"] == (start + dt.timedelta(hours=3)).astimezone(dt.UTC).isoformat()

    async with database(url):
        await events.sign_up(anna, int(added["id"]), 2)

    listed = (await heimbote(tmp_path, "events", "list", "--facility", "linden", "--json",
                             **env)).json()
    assert isinstance(listed, list) and [e["taken"] for e in listed] == [2]
    readable = await heimbote(tmp_path, "events", "show", str(added["id"]), **env)
    assert "signed up:    2 of 40 places" in readable.stdout and "  Anna: 2" in readable.stdout
    shown = (await heimbote(tmp_path, "events", "show", str(added["id"]), "--json",
                            **env)).json()
    assert isinstance(shown, dict) and shown["signups"] == [{"name": "Anna", "people": 2}]

    cancelled = (await heimbote(tmp_path, "events", "cancel", str(added["id"]), "--json",
                                **env)).json()
    assert isinstance(cancelled, dict) and cancelled["cancelled"] is True
    async with database(url):
        assert (await Event.get(id=added["id"])).sequence == 1
        told = await Delivery.filter(purpose=events.CHANGED).count()
        actions = sorted(await AuditEntry.filter(via="cli").values_list("action", flat=True))
    assert told == 1  # Anna, through the outbox the running bot sends
    assert actions == ["event.cancel", "event.create"]

    wrong = await heimbote(tmp_path, "events", "add", "--facility", "linden", "--title", "X",
                           "--at", "tomorrow", "--capacity", "5", **env)
    assert wrong.returncode == 2 and "--at must be" in wrong.stderr
    past = await heimbote(tmp_path, "events", "add", "--facility", "linden", "--title", "X",
                          "--at", "2020-01-01 10:00", "--capacity", "5", **env)
    assert past.returncode == 1 and len(past.error_lines) == 1
    unknown = await heimbote(tmp_path, "events", "list", "--facility", "nowhere", **env)
    assert unknown.returncode == 1


async def test_the_operator_changes_an_events_time_and_place(
    tmp_path: Path, database_url: str, now: dt.datetime
) -> None:
    url = database_url
    env = {"HEIMBOTE_DATABASE_URL": url}
    berlin = ZoneInfo("Europe/Berlin")
    day = (now.astimezone(berlin) + dt.timedelta(days=20)).date()
    async with database(url):
        linden = await factories.home("linden")
        eiche = await factories.home("eiche")
        anna = await factories.relative("Anna", await factories.resident(linden, "Frau M."))
    added = (await heimbote(
        tmp_path, "events", "add", "--facility", "linden", "--title", "Sommerfest",
        "--at", f"{day} 15:00", "--until", "18:00", "--capacity", "40", "--place", "Garten",
        "--json", **env)).json()
    assert isinstance(added, dict)
    event_id = str(added["id"])
    async with database(url):
        await events.sign_up(anna, int(event_id), 2)

    later = day + dt.timedelta(days=1)
    moved = (await heimbote(
        tmp_path, "events", "change", "--facility", "linden", "--event", event_id,
        "--at", f"{later} 16:00", "--json", **env)).json()
    assert isinstance(moved, dict)
    start = dt.datetime.combine(later, dt.time(16), berlin)
    assert moved["starts_at"] == start.astimezone(dt.UTC).isoformat()
    # Without --until the event keeps its length (three hours), in the home's time zone.
    assert moved["ends_at"] == (start + dt.timedelta(hours=3)).astimezone(dt.UTC).isoformat()
    assert moved["signup_until"] == moved["starts_at"]  # "until the start" moved with it
    assert (moved["sequence"], moved["place"]) == (1, "Garten")

    readable = await heimbote(tmp_path, "events", "change", "--facility", "linden",
                              "--event", event_id, "--place", "Speisesaal", **env)
    assert readable.returncode == 0, readable.stderr
    assert f"event {event_id} changed: Sommerfest" in readable.stdout
    assert "Speisesaal" in readable.stdout
    same = await heimbote(tmp_path, "events", "change", "--facility", "linden",
                          "--event", event_id, "--place", "Speisesaal", **env)
    assert f"event {event_id} unchanged" in same.stdout

    async with database(url):
        event = await Event.get(id=int(event_id))
        told = await Delivery.filter(purpose=events.CHANGED).count()
        actions = sorted(await AuditEntry.filter(via="cli").values_list("action", flat=True))
    assert (event.sequence, event.place) == (2, "Speisesaal")
    assert told == 2  # Anna, once per change, through the outbox
    assert actions == ["event.change", "event.change", "event.create"]

    nothing = await heimbote(tmp_path, "events", "change", "--facility", "linden",
                             "--event", event_id, **env)
    assert nothing.returncode == 2 and "--at, --place" in nothing.stderr
    until_alone = await heimbote(tmp_path, "events", "change", "--facility", "linden",
                                 "--event", event_id, "--until", "18:00", **env)
    assert until_alone.returncode == 2
    other_home = await heimbote(tmp_path, "events", "change", "--facility", eiche.slug,
                                "--event", event_id, "--place", "Keller", **env)
    assert other_home.returncode == 1 and "not an event of eiche" in other_home.stderr
    past = await heimbote(tmp_path, "events", "change", "--facility", "linden",
                          "--event", event_id, "--at", "2020-01-01 10:00", **env)
    assert past.returncode == 1 and len(past.error_lines) == 1
    wrong = await heimbote(tmp_path, "events", "change", "--facility", "linden",
                           "--event", event_id, "--at", "soon", **env)
    assert wrong.returncode == 2 and "--at must be" in wrong.stderr
    async with database(url):
        assert (await Event.get(id=int(event_id))).sequence == 2  # refusals changed nothing
