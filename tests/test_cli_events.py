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
