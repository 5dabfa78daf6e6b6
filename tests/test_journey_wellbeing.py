"""Journey: "How is Mum today?" — Ben notes Frau M.'s day in a few taps, Anna gets it at 18:00.

Haus Linden (photo_homes): Ben (staff) writes notes with /today, resident after resident. Anna
(Frau M.'s daughter) opts in to daily notes in /settings — a consent of its own, recorded — and
gets one evening digest per day with the notes and the day's photo greetings. Jonas (also Frau
M.'s son) has not opted in and gets nothing. The home can switch notes off for a resident or a
relative's link; /today shows a relative the latest notes on demand.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bot.domain.errors import NotFound
from bot.models import (
    Account,
    AuditEntry,
    Delivery,
    RelativeLink,
    Resident,
    Role,
    Unit,
    WellbeingConsent,
    WellbeingNote,
    WellbeingResident,
)
from bot.services.accounts.actors import Actor
from bot.services.privacy import erase_account, export_account
from bot.services.wellbeing import (
    DIGEST,
    choose,
    purge_old_notes,
    save_note,
    send_digests,
    set_link_notes,
    set_resident_notes,
    start_note,
)
from tests import factories
from tests.fakes import FakeUser
from tests.photo_homes import Linden, all_sent, post

pytestmark = pytest.mark.calendar


def local_time(now: dt.datetime, hour: int, minute: int = 0) -> dt.datetime:
    """Today (Haus Linden's date at ``now``) at ``hour:minute`` Berlin time, in UTC."""
    berlin = ZoneInfo("Europe/Berlin")
    day = now.astimezone(berlin).date()
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=berlin).astimezone(dt.UTC)


async def note(ben: FakeUser, resident: str, *taps: str, line: str | None = None) -> None:
    """Ben notes a resident's day: the resident, the taps, maybe a line, then Save."""
    await ben.press(resident)
    await ben.wait_for(f"Today's note about {resident}")
    for tap in taps:
        await ben.press(tap)
        await ben.wait_for(lambda m, tap=tap: f"✓ {tap}" in m.button_texts)
    if line is not None:
        await ben.send(line)
        await ben.wait_for(f"Your line: “{line}”")
    await ben.press("💾 Save")
    await ben.wait_for("✓ Saved: today's note about " + resident)


async def opt_in(relative: FakeUser, resident: str = "Frau M.") -> None:
    await relative.send("/settings")
    await relative.wait_for("Your settings")
    await relative.press(f"Daily notes about {resident}: off")
    await relative.wait_for(lambda m: f"Daily notes about {resident}: on" in m.button_texts)


async def test_ben_notes_one_resident_after_another_in_a_few_taps(linden: Linden) -> None:
    ben = linden.ben
    await ben.send("/today")
    picker = await ben.wait_for("Whose day would you like to note?")
    assert "Frau M. · room 12" in picker.button_texts

    await note(ben, "Frau M.", "🙂", "ate well", "walk", line="Sang along happily today.")
    # The picker is back at once: the next resident.
    await note(ben, "Herr K.", "😐", "ate a little")
    # Typed text in the picker searches names and rooms.
    await ben.send("21")
    found = await ben.wait_for("1 resident matches “21”.")
    assert found.button_texts[0] == "Herr S. · room 21"

    notes = await WellbeingNote.all().order_by("id").select_related("resident", "author")
    assert [(n.resident.display_name, n.mood, n.appetite, n.activity, n.text) for n in notes] == [
        ("Frau M.", "good", "well", "walk", "Sang along happily today."),
        ("Herr K.", "ok", "little", "", ""),
    ]
    assert notes[0].author is not None and notes[0].author.first_name == "Ben"
    assert notes[0].text_locale == "en" and notes[0].author_role == "staff"
    # No approval step, and nothing is sent to anyone yet: no family has opted in.
    assert not await Delivery.filter(purpose=DIGEST).exists()


async def test_a_line_with_a_medical_word_or_another_residents_name_goes_back_to_ben(
    linden: Linden,
) -> None:
    await factories.resident(linden.facility, "Erika Sommer", "30")
    ben = linden.ben
    await ben.send("/today")
    await ben.wait_for("Whose day")
    await ben.press("Frau M.")
    await ben.wait_for("Today's note about Frau M.")

    await ben.send("Hat ihr Paracetamol gut vertragen")
    refused = await ben.wait_for("Please reword the line")
    assert "a medical word" in refused.text
    await ben.send("Played cards with Erika all afternoon")
    refused = await ben.wait_for("the name of another resident")
    await ben.send("\u202e\u200b")  # nothing visible
    await ben.wait_for("Please type a line with some words in it.")
    await ben.send("x" * 301)
    await ben.wait_for("Please keep the line to 300 characters.")
    refused_save = await ben.press("💾 Save")  # nothing tapped, no line kept
    assert "Tap at least one row" in (refused_save.text or "")
    assert await WellbeingNote.all().count() == 0

    await ben.send("Played cards all afternoon")
    await ben.wait_for("Your line: “Played cards all afternoon”")
    await ben.press("💾 Save")
    await ben.wait_for("✓ Saved")
    assert [n.text for n in await WellbeingNote.all()] == ["Played cards all afternoon"]


async def test_anna_opts_in_and_gets_one_digest_at_her_time_with_the_days_photos(
    linden: Linden, now: dt.datetime
) -> None:
    anna, jonas, ben = linden.anna, linden.jonas, linden.ben
    await opt_in(anna)
    consent = await WellbeingConsent.get(link__account__first_name="Anna")
    anna_account = await Account.get(first_name="Anna")
    assert consent.opted_in and consent.given_by_id == anna_account.id
    assert consent.changed_at is not None
    entry = await AuditEntry.get(action="wellbeing.consent", actor=anna_account)
    assert entry.subject == f"resident:{linden.frau_m.id}" and entry.details == {
        "link": consent.link_id}
    # Photo consent is a separate matter: opting in to notes changed nothing about photos.
    assert (await RelativeLink.get(account=anna_account)).photo_updates

    await ben.send("/today")
    await ben.wait_for("Whose day")
    await note(ben, "Frau M.", "🙂", "ate well", "singing circle", line="Sang along happily.")
    await post(ben, ["Frau M."])  # and Carla approves the photo greeting
    await linden.carla.wait_for(lambda m: "✅ Approve" in m.button_texts)
    await linden.carla.press("✅ Approve")
    await all_sent("photo_update")
    greeting = await anna.wait_for(lambda m: m.photo is not None)

    assert await send_digests(now=local_time(now, 17, 55)) == 0  # before 18:00: not yet
    assert await send_digests(now=local_time(now, 18, 5)) == 1
    assert await send_digests(now=local_time(now, 18, 10)) == 0  # once a day
    await all_sent(DIGEST)
    digest = await anna.wait_for("🌙 Today with Frau M. (Haus Linden):")
    assert "🙂 in good spirits · ate well · singing circle" in digest.text
    assert "“Sang along happily.” (in English)" in digest.text
    assert "— Ben (Care team)," in digest.text
    assert "📷 1 photo greeting that day." in digest.text
    assert [m for m in jonas.messages if "🌙" in m.text] == []  # Jonas has not opted in

    await anna.press("📷 Show the photos", message=digest)
    again = await anna.wait_for(lambda m: m.photo is not None)
    assert again.message_id != greeting.message_id
    assert await Delivery.filter(purpose=DIGEST).count() == 1


async def test_the_digest_comes_in_the_relatives_language_at_the_time_they_chose(
    linden: Linden, now: dt.datetime
) -> None:
    german = await factories.family_member(linden.anna.tg, "Greta", linden.frau_m, locale="de")
    await Account.filter(first_name="Greta").update(  # quiet from 20:00 until 21:00
        quiet_from=dt.time(20, 0, tzinfo=dt.UTC), quiet_until=dt.time(21, 0, tzinfo=dt.UTC))
    await german.send("/settings")
    await german.wait_for("Ihre Einstellungen")
    await german.press("Frau M.: tägliche Notizen aus")
    await german.wait_for(lambda m: "Abendnotizen um 18:00" in m.button_texts)
    await german.press("Abendnotizen um 18:00")
    times = await german.wait_for("Wann möchten Sie die Notizen des Tages erhalten?")
    assert "20:00" not in times.button_texts  # inside her quiet hours: never offered
    assert "✓ 18:00" in times.button_texts
    await german.press("19:00")
    await german.wait_for(lambda m: "Abendnotizen um 19:00" in m.button_texts)

    ben = linden.ben
    await ben.send("/today")
    await ben.wait_for("Whose day")
    await note(ben, "Frau M.", "🙁", "hardly ate")
    assert await send_digests(now=local_time(now, 18, 30)) == 0  # she chose 19:00
    assert await send_digests(now=local_time(now, 19, 0)) == 1
    digest = await german.wait_for("🌙 Frau M. heute (Haus Linden):")
    assert "🙁 gedrückte Stimmung · hat kaum gegessen" in digest.text
    assert "— Ben (Pflege)," in digest.text


async def test_the_home_switches_notes_off_for_a_resident_or_a_link(
    linden: Linden, now: dt.datetime
) -> None:
    await opt_in(linden.anna)
    await opt_in(linden.jonas, "Herr K.")
    await opt_in(linden.jonas, "Frau M.")
    for name in ("Frau M.", "Herr K."):
        await WellbeingNote.create(
            facility=linden.facility, resident=await linden.facility.residents.filter(
                display_name=name).first(), mood="good", day=now.astimezone(
                ZoneInfo("Europe/Berlin")).date(), created_at=now, author_role="staff")
    jonas_frau_m = await RelativeLink.get(account__first_name="Jonas", resident=linden.frau_m)
    await set_link_notes(Actor.cli(), jonas_frau_m.id, False)
    await set_resident_notes(Actor.cli(), linden.herr_k.id, False)

    assert await send_digests(now=local_time(now, 18, 5)) == 1  # only Anna about Frau M.
    row = await Delivery.get(purpose=DIGEST)
    assert row.reference.startswith(f"{linden.frau_m.id}:")
    assert row.chat_id == linden.anna.id

    # Ben no longer finds Herr K. in his picker.
    await linden.ben.send("/today")
    picker = await linden.ben.wait_for("Whose day")
    assert not any(b.startswith("Herr K.") for b in picker.button_texts)
    # Jonas's settings no longer offer the notes about Frau M. (the home switched them off).
    await linden.jonas.send("/settings")
    settings = await linden.jonas.wait_for("Your settings")
    assert not any("Daily notes about Frau M." in b for b in settings.button_texts)


async def test_today_shows_a_relative_the_latest_notes_on_demand(
    linden: Linden, now: dt.datetime
) -> None:
    await opt_in(linden.anna)
    await linden.anna.send("/today")
    await linden.anna.wait_for("There are no notes about Frau M. yet.")

    await linden.ben.send("/today")
    await linden.ben.wait_for("Whose day")
    await note(linden.ben, "Frau M.", "🙂", line="Enjoyed the garden.")
    await linden.anna.send("/today")
    latest = await linden.anna.wait_for("🌙 Today with Frau M.")
    assert "“Enjoyed the garden.” (in English)" in latest.text
    await linden.jonas.send("/today")
    await linden.jonas.wait_for("Daily notes about Frau M. are off.")
    await linden.jonas.wait_for("Daily notes about Herr K. are off.")


async def test_notes_follow_the_homes_retention_and_the_data_rights(
    linden: Linden, now: dt.datetime
) -> None:
    await opt_in(linden.anna)
    await linden.ben.send("/today")
    await linden.ben.wait_for("Whose day")
    await note(linden.ben, "Frau M.", "🙂")

    ben = await Account.get(first_name="Ben")
    exported = await export_account(ben)
    assert [n["resident"] for n in exported["wellbeing_notes"]["notes_written"]] == ["Frau M."]
    anna = await Account.get(first_name="Anna")
    exported = await export_account(anna)
    assert exported["wellbeing_notes"]["consents"][0]["opted_in"] is True
    assert exported["wellbeing_notes"]["digest_at"] is None  # the default, 18:00
    await erase_account(anna)
    assert await WellbeingConsent.all().count() == 0
    await erase_account(ben)
    assert (await WellbeingNote.get()).author_id is None

    assert await purge_old_notes(now=now + dt.timedelta(days=364)) == 0
    assert await purge_old_notes(now=now + dt.timedelta(days=366)) == 1


async def test_the_admin_switches_notes_about_a_resident_off_on_the_card(
    linden: Linden, now: dt.datetime
) -> None:
    alma = await factories.team_member(linden.anna.tg, linden.facility, "Alma", Role.ADMIN)
    await alma.send("/residents")
    await alma.wait_for("3 residents live here.")
    await alma.press("Frau M. · room 12")
    await alma.wait_for(lambda m: "Daily notes: on" in m.button_texts)
    await alma.press("Daily notes: on")
    await alma.wait_for(lambda m: "Daily notes: off" in m.button_texts)
    assert not (await WellbeingResident.get(resident=linden.frau_m)).notes_enabled
    assert await AuditEntry.filter(action="wellbeing.resident").exists()

    await linden.ben.send("/today")
    picker = await linden.ben.wait_for("Whose day")
    assert not any(b.startswith("Frau M.") for b in picker.button_texts)


async def test_the_admin_reads_what_notes_are_and_switches_them_off_for_the_home(
    linden: Linden,
) -> None:
    alma = await factories.team_member(linden.anna.tg, linden.facility, "Alma", Role.ADMIN)
    await alma.send("/facility")
    await alma.wait_for(lambda m: "📝 Daily notes" in m.button_texts)
    await alma.press("📝 Daily notes")
    screen = await alma.wait_for("📝 Daily notes: on")
    assert "Notes never contain medical details" in screen.text
    assert "Activities: walk, singing circle, visit, rested" in screen.text
    await alma.press("Switch daily notes off")
    await alma.wait_for("📝 Daily notes: off")
    await alma.press("◀ Back")
    await alma.wait_for(lambda m: "📝 Daily notes" in m.button_texts)

    await linden.ben.send("/today")
    await linden.ben.wait_for("Daily notes are switched off in your care home.")
    await opt_in(linden.anna)  # she may still choose; nothing comes while they are off
    await linden.anna.send("/today")
    await linden.anna.wait_for("The care home does not send daily notes about Frau M.")


async def test_two_jobs_at_once_write_one_digest(db: str, now: dt.datetime) -> None:
    """Several processes run the job: the outbox row is unique per relative, resident, day."""
    linden = await factories.home("linden")
    frau_m = await factories.resident(linden, "Frau M.")
    anna = await factories.relative("Anna", frau_m, anytime=True)
    link = await RelativeLink.get(account=anna)
    await WellbeingConsent.create(link=link, opted_in=True, changed_at=now, given_by=anna)
    await WellbeingNote.create(facility=linden, resident=frau_m, mood="good", author_role="staff",
                               day=now.astimezone(ZoneInfo("Europe/Berlin")).date(),
                               created_at=now)
    at = local_time(now, 18, 5)
    await asyncio.gather(send_digests(now=at), send_digests(now=at), send_digests(now=at))
    rows = await Delivery.filter(purpose=DIGEST)
    assert len(rows) == 1 and rows[0].chat_id == anna.telegram_id
    assert "🌙" in rows[0].content["text"]


async def test_bens_own_unit_comes_first_in_his_picker(linden: Linden) -> None:
    rosen = await Unit.create(facility=linden.facility, name="Rosengarten")
    birken = await Unit.create(facility=linden.facility, name="Birkenweg")
    await Resident.filter(id=linden.herr_s.id).update(unit_id=rosen.id)
    await Resident.filter(id=linden.herr_k.id).update(unit_id=birken.id)
    ben = linden.ben
    await ben.send("/today")
    picker = await ben.wait_for("Whose day")
    assert picker.button_texts[:3] == [  # no unit of his own yet: by unit, then name
        "Herr K. · room 14 · Birkenweg", "Herr S. · room 21 · Rosengarten", "Frau M. · room 12"]
    await ben.press("🏠 Choose my unit")
    await ben.wait_for("Which unit do you work in?")
    await ben.press("Rosengarten")
    picker = await ben.wait_for(lambda m: "🏠 My unit: Rosengarten" in m.button_texts)
    assert picker.button_texts[:3] == [
        "Herr S. · room 21 · Rosengarten", "Herr K. · room 14 · Birkenweg", "Frau M. · room 12"]
    await ben.send("/today")  # remembered
    again = await ben.wait_for("Whose day")
    assert again.button_texts[0] == "Herr S. · room 21 · Rosengarten"


async def test_a_double_tap_on_save_keeps_one_note(db: str, now: dt.datetime) -> None:
    """Two presses of 💾 Save at once (or two processes): the draft is taken by one of them."""
    linden = await factories.home("linden")
    frau_m = await factories.resident(linden, "Frau M.")
    ben = await factories.staff("Ben", linden)
    actor = Actor(account=ben)
    await start_note(actor, frau_m.id)
    await choose(actor, frau_m.id, "mood", "good")
    outcomes = await asyncio.gather(
        save_note(actor, frau_m.id), save_note(actor, frau_m.id), return_exceptions=True
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["NotFound", "str"]
    assert await WellbeingNote.filter(resident=frau_m).count() == 1
    with pytest.raises(NotFound):  # and a late third press finds nothing to save
        await save_note(actor, frau_m.id)


async def test_the_day_is_the_homes_and_a_late_job_names_the_day(db: str, now: dt.datetime) -> None:
    """The home's date (Berlin), not UTC's; a note after the digest went out waits for /today;
    a job that first runs in the relative's quiet hours sends a dated digest in the morning;
    after midnight the day's digest is skipped."""
    berlin = ZoneInfo("Europe/Berlin")
    linden = await factories.home("linden")
    frau_m = await factories.resident(linden, "Frau M.")
    ben = await factories.staff("Ben", linden)
    anna = await factories.relative("Anna", frau_m)  # default quiet hours 21:00–08:00
    await WellbeingConsent.create(link=await RelativeLink.get(account=anna), opted_in=True,
                                  changed_at=now, given_by=anna)

    async def noted(at: dt.datetime) -> WellbeingNote:
        await start_note(Actor(account=ben), frau_m.id)
        await choose(Actor(account=ben), frau_m.id, "mood", "good")
        await save_note(Actor(account=ben), frau_m.id, now=at)
        return await WellbeingNote.all().order_by("-id").first()  # type: ignore[return-value]

    day = now.astimezone(berlin).date()
    # 00:30 in Berlin is the evening before in UTC: the note is the Berlin day's.
    early = dt.datetime.combine(day, dt.time(0, 30), tzinfo=berlin).astimezone(dt.UTC)
    assert early.date() != day and (await noted(early)).day == day

    # 18:05: the 18:00 digest (a bot restarted after 18:00 still sends it).
    assert await send_digests(now=local_time(now, 18, 5)) == 1
    await noted(local_time(now, 18, 30))  # after it went out: no second digest
    assert await send_digests(now=local_time(now, 18, 35)) == 0
    assert await Delivery.filter(purpose=DIGEST).count() == 1

    # The next day the job first runs at 21:30, inside Anna's quiet hours.
    tomorrow = now + dt.timedelta(days=1)
    await noted(local_time(tomorrow, 10))
    with time_machine.travel(local_time(tomorrow, 21, 30), tick=False):
        assert await send_digests() == 1
    late = await Delivery.filter(purpose=DIGEST).order_by("-id").first()
    assert late is not None and "Today" not in late.content["text"]
    assert late.content["text"].startswith("🌙 Frau M. (Haus Linden),")
    assert late.next_attempt_at.astimezone(berlin).time() == dt.time(8, 0)

    # The day after, the job is down until after midnight: that day's digest is skipped.
    later = now + dt.timedelta(days=2)
    await noted(local_time(later, 10))
    assert await send_digests(now=local_time(later + dt.timedelta(days=1), 0, 10)) == 0
    assert await Delivery.filter(purpose=DIGEST).count() == 2

    # Retention: the notes and the digests that copied them go together.
    assert await purge_old_notes(now=now + dt.timedelta(days=300)) == 0
    assert await Delivery.filter(purpose=DIGEST).count() == 2
    assert await purge_old_notes(now=now + dt.timedelta(days=400)) == 4
    assert not await Delivery.filter(purpose=DIGEST).exists()
