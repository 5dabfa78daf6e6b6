"""Announcements: who gets them, in which language, and what may not be sent."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.cli import CommandError, build_parser
from bot.cli import broadcast as cli_broadcast
from bot.config import Settings, load_settings
from bot.db import database
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.models import (
    Account,
    AnnouncementState,
    Audience,
    AuditEntry,
    Delivery,
    DeliveryState,
    Facility,
    Resident,
    ResidentStatus,
    Role,
    Unit,
)
from bot.services import announcements
from bot.services.accounts.actors import Actor
from tests import factories

pytestmark = pytest.mark.calendar  # run at every instant of tests.conftest.CLOCKS

BERLIN = ZoneInfo("Europe/Berlin")


async def account(name: str, locale: str | None = "de", **fields: object) -> Account:
    """An account reading German unless ``locale`` says otherwise."""
    return await factories.account(name, locale=locale, **fields)


async def home() -> tuple[Facility, Actor]:
    facility = await factories.home("linden")
    carla = await factories.staff("Carla", facility, Role.ADMIN, locale="de")
    return facility, Actor.of(carla, frozenset())


async def link(relative: Account, *residents: Resident, active: bool = True) -> None:
    for someone in residents:
        await factories.link(relative, someone, active=active)


async def test_each_relative_gets_it_once_even_with_two_residents(db: str) -> None:
    facility, carla = await home()
    mother = await factories.resident(facility, "Frau M.")
    father = await factories.resident(facility, "Herr M.")
    anna, ben = await account("Anna"), await account("Ben")
    await link(anna, mother, father)
    await link(ben, father)
    gone = await factories.resident(facility, "Herr K.", status=ResidentStatus.MOVED_OUT)
    await link(await account("Karl"), gone)  # no longer lives here
    await link(await account("Lena"), mother, active=False)  # unlinked
    await link(await account("Mia", unreachable=True), mother)  # blocked the bot
    other = await factories.home("eiche")
    await link(await account("Olga"), await factories.resident(other, "Frau O."))

    announcement = await announcements.draft(carla, facility.id, "Sommerfest am Samstag")
    chosen = await announcements.recipients_of(announcement)
    assert sorted(r.account.first_name for r, _ in chosen if r.account) == ["Anna", "Ben"]

    await announcements.confirm(carla, announcement.id)
    assert await Delivery.filter(reference=str(announcement.id)).count() == 2


async def test_a_unit_by_name_and_staff_only(db: str) -> None:
    facility, carla = await home()
    garden = await Unit.create(facility=facility, name="Garten")
    anna = await account("Anna")
    await link(anna, await factories.resident(facility, "Frau M.", unit=garden))
    await link(await account("Ben"), await factories.resident(facility, "Herr B."))
    ben_staff = await account("Schwester Eva")
    await factories.give_role(ben_staff, facility, Role.STAFF)

    announcement = await announcements.draft(carla, facility.id, "Im Garten wird gestrichen")
    announcement = await announcements.set_audience(
        carla, announcement.id, Audience.UNIT, "Garten"
    )
    assert [r.account for r, _ in await announcements.recipients_of(announcement)] == [anna]

    announcement = await announcements.set_audience(carla, announcement.id, Audience.STAFF)
    staff = {r.account.first_name for r, _ in await announcements.recipients_of(announcement)
             if r.account}
    assert staff == {"Carla", "Schwester Eva"}

    with pytest.raises(InvalidInput) as refused:
        await announcements.set_audience(carla, announcement.id, Audience.UNIT, "Keller")
    assert refused.value.field == "unit"


async def test_each_relative_reads_their_language_or_the_default(db: str) -> None:
    facility, carla = await home()
    mother = await factories.resident(facility, "Frau M.")
    await link(await account("Anna", "de"), mother)
    await link(await account("John", "en"), mother)
    await link(await account("Deniz", None), mother)

    bold = [{"type": "bold", "offset": 0, "length": 10}]
    announcement = await announcements.draft(carla, facility.id, "Sommerfest am Samstag", bold)
    await announcements.add_translation(carla, announcement.id, "en", "Summer fête on Saturday")
    await announcements.set_urgent(carla, announcement.id, True)
    await announcements.confirm(carla, announcement.id)

    sent = {
        row.account.first_name: row.content
        for row in await Delivery.filter(reference=str(announcement.id)).prefetch_related("account")
    }
    assert sent["Anna"] == {"text": "Sommerfest am Samstag", "entities": bold}
    assert sent["John"] == {"text": "Summer fête on Saturday"}
    assert sent["Deniz"]["text"] == "Sommerfest am Samstag"
    assert all(row.urgent for row in await Delivery.all())


async def test_confirming_twice_enqueues_once_and_is_audited_once(db: str) -> None:
    facility, carla = await home()
    await link(await account("Anna"), await factories.resident(facility, "Frau M."))
    announcement = await announcements.draft(carla, facility.id, "Grippeimpfung am Montag")

    first = await announcements.confirm(carla, announcement.id)
    again = await announcements.confirm(carla, announcement.id)

    assert first.state == again.state == AnnouncementState.SCHEDULED
    assert first.recipients == 1
    assert await Delivery.all().count() == 1
    assert await AuditEntry.filter(action="announcement.send").count() == 1
    with pytest.raises(InvalidInput):  # a confirmed announcement is not changed any more
        await announcements.set_urgent(carla, announcement.id, True)


async def test_cancel_skips_what_is_not_yet_sent(db: str) -> None:
    facility, carla = await home()
    mother = await factories.resident(facility, "Frau M.")
    for name in ("Anna", "Ben", "Cem"):
        await link(await account(name), mother)
    announcement = await announcements.draft(carla, facility.id, "Besuchszeiten ändern sich")
    await announcements.schedule(carla, announcement.id, announcements.IN_ONE_HOUR)
    await announcements.confirm(carla, announcement.id)
    first = await Delivery.filter(reference=str(announcement.id)).order_by("id").first()
    assert first is not None
    await Delivery.filter(id=first.id).update(state=DeliveryState.SENT)

    cancelled = await announcements.cancel(carla, announcement.id)

    assert cancelled.state == AnnouncementState.CANCELLED
    figures = await announcements.figures(announcement.id)
    assert (figures.sent, figures.cancelled, figures.pending, figures.total) == (1, 2, 0, 3)
    assert figures.unreachable == 0
    assert await AuditEntry.filter(action="announcement.cancel").count() == 1


async def test_figures_move_the_announcement_to_done(db: str) -> None:
    facility, carla = await home()
    mother = await factories.resident(facility, "Frau M.")
    await link(await account("Anna"), mother)
    await link(await account("Ben"), mother)
    announcement = await announcements.draft(carla, facility.id, "Hallo")
    await announcements.confirm(carla, announcement.id)
    rows = await Delivery.filter(reference=str(announcement.id)).order_by("id")

    await Delivery.filter(id=rows[0].id).update(state=DeliveryState.SENT)
    assert (await announcements.figures(announcement.id)).pending == 1
    assert await announcements.state_of(announcement.id) == AnnouncementState.SENDING

    await Delivery.filter(id=rows[1].id).update(state=DeliveryState.SKIPPED, last_error="blocked")
    figures = await announcements.figures(announcement.id)
    assert (figures.sent, figures.unreachable, figures.settled) == (1, 1, True)
    assert await announcements.state_of(announcement.id) == AnnouncementState.DONE
    listed = await announcements.recent(carla, facility.id)
    assert [(a.id, f.sent) for a, f in listed] == [(announcement.id, 1)]


def test_times_are_read_in_the_facility_timezone() -> None:
    now = dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC)  # 15:00 in Berlin
    berlin = "Europe/Berlin"

    def local(moment: dt.datetime) -> tuple[int, int, int]:
        moment = moment.astimezone(BERLIN)
        return moment.day, moment.hour, moment.minute

    assert announcements.send_time("now", berlin, now) == now
    assert local(announcements.send_time("in_1h", berlin, now)) == (23, 16, 0)
    assert local(announcements.send_time("today_18", berlin, now)) == (23, 18, 0)
    assert local(announcements.send_time("tomorrow_09", berlin, now)) == (24, 9, 0)
    assert local(announcements.send_time("17:30", berlin, now)) == (23, 17, 30)
    assert local(announcements.send_time("2026-12-24 10:00", berlin, now)) == (24, 10, 0)
    for past in ("09:00", "2026-11-22 18:00"):
        with pytest.raises(InvalidInput) as refused:
            announcements.send_time(past, berlin, now)
        assert refused.value.reason == "in the past"
    for nonsense in ("soon", "25:00", "2026-02-30 10:00"):
        with pytest.raises(InvalidInput):
            announcements.send_time(nonsense, berlin, now)


async def test_a_time_in_the_past_is_refused(db: str) -> None:
    facility, carla = await home()
    announcement = await announcements.draft(carla, facility.id, "Hallo")
    yesterday = dt.datetime.now(BERLIN) - dt.timedelta(days=1)
    with pytest.raises(InvalidInput):
        await announcements.schedule(carla, announcement.id, yesterday.strftime("%Y-%m-%d %H:%M"))


async def test_only_admins_of_the_facility_may_broadcast(db: str) -> None:
    facility, carla = await home()
    eva = await account("Eva")
    await factories.give_role(eva, facility, Role.APPROVER)
    anna = await account("Anna")
    await link(anna, await factories.resident(facility, "Frau M."))

    for someone in (Actor.of(eva, frozenset()), Actor.of(anna, frozenset())):
        with pytest.raises(NotAllowed):
            await announcements.draft(someone, facility.id, "Hallo")
    announcement = await announcements.draft(carla, facility.id, "Hallo")
    with pytest.raises(NotAllowed):
        await announcements.confirm(Actor.of(eva, frozenset()), announcement.id)
    with pytest.raises(NotAllowed):
        await announcements.cancel(Actor.of(anna, frozenset()), announcement.id)
    platform = Actor.of(anna, frozenset({anna.telegram_id}))
    await announcements.draft(platform, facility.id, "Hallo vom Betreiber")
    await announcements.draft(Actor.cli(), facility.id, "Hallo von der Kommandozeile")
    assert await Delivery.all().count() == 0


async def test_texts_and_captions_keep_telegrams_limits(db: str) -> None:
    facility, carla = await home()
    await announcements.draft(carla, facility.id, "x" * 4096)
    await announcements.draft(carla, facility.id, "x" * 1024, photo_file_id="photo-1")
    await announcements.draft(carla, facility.id, "", photo_file_id="photo-1")  # no caption
    cases = [("x" * 4097, None, "text", "4096"), ("   ", None, "text", "empty"),
             ("x" * 1025, "photo-1", "caption", "1024")]
    for text, photo, field, reason in cases:
        with pytest.raises(InvalidInput) as refused:
            await announcements.draft(carla, facility.id, text, photo_file_id=photo)
        assert refused.value.field == field and reason in refused.value.reason
    announcement = await announcements.draft(carla, facility.id, "Hallo")
    with pytest.raises(InvalidInput):
        await announcements.add_translation(carla, announcement.id, "en", "x" * 5000)
    with pytest.raises(InvalidInput):
        await announcements.add_translation(carla, announcement.id, "xx", "Hello")


async def test_the_screens_see_a_draft_as_plain_values(db: str) -> None:
    facility, carla = await home()
    bold = [{"type": "bold", "offset": 0, "length": 10}]
    draft = await announcements.draft(carla, facility.id, "Sommerfest am Samstag", bold)
    draft = await announcements.add_translation(carla, draft.id, "en", "Summer fête")
    assert draft.languages == {"de", "en"} and draft.text == "Sommerfest am Samstag"
    assert draft.versions["de"].entities == tuple(bold)
    assert (draft.timezone, draft.facility_id) == (facility.timezone, facility.id)
    with pytest.raises(dataclasses.FrozenInstanceError):
        draft.urgent = True  # type: ignore[misc]  # the point: a view cannot be changed
    assert await announcements.get_view(carla, draft.id) == draft


async def test_after_a_restart_each_author_reads_the_progress_in_their_language(db: str) -> None:
    facility, carla = await home()
    await link(await account("Anna"), await factories.resident(facility, "Frau M."))
    hers = await announcements.draft(carla, facility.id, "Hallo")
    from_the_cli = await announcements.draft(Actor.cli(), facility.id, "Hallo von der Konsole")
    unwatched = await announcements.draft(carla, facility.id, "Niemand schaut zu")
    for draft in (hers, from_the_cli, unwatched):
        await announcements.schedule(carla, draft.id, announcements.IN_ONE_HOUR)
        await announcements.confirm(carla, draft.id)
    for draft in (hers, from_the_cli):
        await announcements.watch_from(carla, draft.id, 1, 100 + draft.id)

    watched = await announcements.being_sent("en")

    assert sorted((view.id, locale) for view, locale in watched) == [
        (hers.id, "de"), (from_the_cli.id, "en")
    ]
    assert all(view.progress_message_id == 100 + view.id for view, _ in watched)


# --- the command line ------------------------------------------------------------------------


def command(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["broadcast", *argv])


async def seeded(database_url: str) -> Settings:
    """Haus Linden with Anna (unit Garten) and Ben, written before the command opens the db."""
    async with database(database_url):
        facility, _ = await home()
        garden = await Unit.create(facility=facility, name="Garten")
        frau_m = await factories.resident(facility, "Frau M.", unit=garden)
        await link(await account("Anna"), frau_m)
        await link(await account("Ben", "en"), await factories.resident(facility, "Herr B."))
    return load_settings(env_file=None, database_url=database_url)


async def test_cli_sends_to_a_unit_and_reports_the_status(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = await seeded(database_url)
    args = command("send", "--facility", "linden", "--text", "Gartenfest", "--unit", "Garten",
                   "--urgent", "--no-wait")
    await args.command(settings, args)
    assert capsys.readouterr().out.startswith("announcement 1: 1 recipients, sending from ")

    args = command("status", "1", "--json")
    await args.command(settings, args)
    status = json.loads(capsys.readouterr().out)
    assert status["unit"] == "Garten" and status["urgent"] is True
    assert (status["total"], status["pending"], status["state"]) == (1, 1, "scheduled")


async def test_cli_waits_and_shows_the_progress_until_all_went(
    database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = await seeded(database_url)
    (tmp_path / "text.txt").write_text("Grippeimpfung am Montag\n", encoding="utf-8")
    real_figures, looks = announcements.figures, []

    async def the_bot_sends_between_looks(announcement_id: int) -> announcements.Figures:
        if looks:  # after the first look, the running bot's sender has delivered everything
            await Delivery.all().update(state=DeliveryState.SENT)
        looks.append(announcement_id)
        return await real_figures(announcement_id)

    monkeypatch.setattr(cli_broadcast.announcements, "figures", the_bot_sends_between_looks)
    monkeypatch.setattr(cli_broadcast, "POLL_EVERY", 0.01)
    args = command("send", "--facility", "linden", "--text-file", str(tmp_path / "text.txt"))
    await asyncio.wait_for(args.command(settings, args), timeout=10)

    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("announcement 1: 2 recipients")
    assert out[1:] == [
        "[------------------------------] 0/2 sent · 0 unreachable · 0 failed",
        "[##############################] 2/2 sent · 0 unreachable · 0 failed",
    ]


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["--unit", "Keller"], InvalidInput),
        (["--unit", "Garten", "--staff"], CommandError),
        (["--at", "2020-01-01 10:00"], InvalidInput),
        (["--facility", "eiche"], NotFound),
    ],
)
async def test_cli_refuses_bad_input_and_sends_nothing(
    database_url: str, argv: list[str], error: type[Exception]
) -> None:
    settings = await seeded(database_url)
    args = command("send", "--facility", "linden", "--text", "Hallo", "--no-wait", *argv)
    with pytest.raises(error):
        await args.command(settings, args)
    async with database(database_url):
        assert await Delivery.all().count() == 0
