"""Journey: "please call us" — Carla asks Frau M.'s family to call the home, Anna answers.

Carla, the admin of Haus Linden, makes Anna and Bernd emergency contacts of Frau M. on her card
in /residents. Later she sends /callus: the alert reaches Anna and Bernd at once, also inside
Anna's quiet hours, and comes again every 10 minutes (at most 6 times) until one of them
answers; Carla and the team's group see who answered and when. Nobody answering for an hour
tells Carla to phone them. Otto (Frau M.'s nephew, no emergency contact) hears nothing; Ida
(Herr K.'s niece) and strangers cannot answer with a forged button.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from bot.app import Heimbote
from bot.delivery.outbox import Outgoing, Recipient, claim_due, enqueue
from bot.domain.callbacks import Prefix, callback
from bot.i18n import clock, translator
from bot.models import (
    Account,
    AuditEntry,
    CallAnswer,
    CallReason,
    ConversationSetup,
    Delivery,
    EmergencyCall,
    RelativeLink,
    Resident,
    ResidentStatus,
    Role,
)
from bot.services.accounts import Actor, end_stay
from bot.services.emergency_calls import ALERT, OVERDUE, run_calls, start_call
from bot.services.report import quality_report, summary
from bot.services.report.emergency_calls import EmergencyCallFigures
from bot.services.report.period import Window, add_months, this_month
from bot.services.report.render import html_document
from tests import factories
from tests.fakes import FakeGroup, FakeMessage, FakeTelegram, FakeUser
from tests.test_journey_bad_input import forge_press
from tests.test_journey_conversations import outbox_sent

StartBot = Callable[..., Awaitable[Heimbote]]
URGENT = "🚨 Urgent from Haus Linden, about Frau M.:"
PHONE = ("⚠️ Nobody has answered the alert about Frau M. within an hour. Please phone the "
         "emergency contacts: Anna, Bernd.")


@dataclass
class Cast:
    anna: FakeUser  # daughter of Frau M., emergency contact, in her quiet hours now
    bernd: FakeUser  # son of Frau M., emergency contact
    otto: FakeUser  # nephew of Frau M., not an emergency contact
    ida: FakeUser  # niece of Herr K.
    ben: FakeUser  # care staff
    carla: FakeUser  # admin
    group: FakeGroup  # the team's group
    mother: Resident
    uncle: Resident


def quiet_now(now: dt.datetime) -> dict[str, dt.time]:
    """Quiet hours from an hour ago until two hours from now, on Berlin's clock."""
    local = now.astimezone(ZoneInfo("Europe/Berlin"))
    start, end = (local - dt.timedelta(hours=1)), (local + dt.timedelta(hours=2))
    # Stored as wall-clock times; Tortoise wants them marked (as UTC) to take them as they are.
    return {"quiet_from": start.time().replace(second=0, microsecond=0, tzinfo=dt.UTC),
            "quiet_until": end.time().replace(second=0, microsecond=0, tzinfo=dt.UTC)}


@pytest.fixture
async def cast(telegram: FakeTelegram, start_bot: StartBot, now: dt.datetime) -> Cast:
    await start_bot()
    linden = await factories.home("linden", contact="Tel. 030 1234")
    mother = await factories.resident(linden, "Frau M.", "12")
    uncle = await factories.resident(linden, "Herr K.", "14")
    anna = await factories.family_member(telegram, "Anna", mother)
    await Account.filter(telegram_id=anna.id).update(**quiet_now(now))
    bernd = await factories.family_member(telegram, "Bernd", mother)
    otto = await factories.family_member(telegram, "Otto", mother)
    ida = await factories.family_member(telegram, "Ida", uncle)
    ben = await factories.team_member(telegram, linden, "Ben", Role.STAFF)
    carla = await factories.team_member(telegram, linden, "Carla", Role.ADMIN)
    group = telegram.group("Team Linden", members=[ben, carla])
    await ConversationSetup.create(facility=linden, group_chat_id=group.id,
                                   group_title=group.title)
    return Cast(anna, bernd, otto, ida, ben, carla, group, mother, uncle)


async def make_contacts(cast: Cast, *names: str) -> None:
    await RelativeLink.filter(resident=cast.mother, account__first_name__in=names).update(
        emergency_contact=True)


async def carla_sends(cast: Cast, resident: str = "Frau M. · room 12") -> None:
    await cast.carla.send("/callus")
    await cast.carla.wait_for("About whom?")
    await cast.carla.press(resident)
    await cast.carla.wait_for("What should Anna, Bernd be asked about Frau M.?")
    await cast.carla.press("Please call the home.")
    confirm = await cast.carla.wait_for("Send this urgent alert now?")
    assert "To: Anna, Bernd" in confirm.text and "Message: Please call the home." in confirm.text
    await cast.carla.press("🚨 Send now")
    await cast.carla.wait_for("🚨 Sent to Anna, Bernd. I will tell you here when someone answers.")
    assert confirm.button_texts == []  # a used "Send now" is gone


async def test_carla_makes_anna_an_emergency_contact_on_the_residents_card(
    cast: Cast
) -> None:
    await cast.carla.send("/residents")
    await cast.carla.wait_for("residents live here")
    await cast.carla.press("Frau M. · room 12")
    card = await cast.carla.wait_for(lambda m: "Anna: not an emergency contact" in m.button_texts)
    assert "Ida: not an emergency contact" not in card.button_texts  # Herr K.'s niece
    answer = await cast.carla.press("Anna: not an emergency contact")
    assert answer.text == "Saved."
    card = await cast.carla.wait_for(lambda m: "🚨 Anna: emergency contact" in m.button_texts)
    assert "Bernd: not an emergency contact" in card.button_texts
    link = await RelativeLink.get(resident=cast.mother, account__first_name="Anna")
    assert link.emergency_contact
    assert await AuditEntry.filter(action="emergency_contact.add").count() == 1

    await cast.anna.send("/settings")
    settings = await cast.anna.wait_for("Your settings")
    assert ("You are an emergency contact of Frau M.: the home may send you urgent alerts, "
            "also during quiet hours.") in settings.text
    await cast.otto.send("/settings")
    assert "emergency contact" not in (await cast.otto.wait_for("Your settings")).text

    await cast.carla.press("🚨 Anna: emergency contact")  # and off again
    await cast.carla.wait_for(lambda m: "Anna: not an emergency contact" in m.button_texts)
    assert not (await RelativeLink.get(id=link.id)).emergency_contact


async def test_the_alert_ignores_quiet_hours_and_anna_answers(
    telegram: FakeTelegram, cast: Cast
) -> None:
    await make_contacts(cast, "Anna", "Bernd")
    await carla_sends(cast)

    alert = await cast.anna.wait_for(URGENT)  # inside her quiet hours
    assert alert.text == (f"{URGENT}\nPlease call the home.\nHow to reach the home: Tel. 030 1234"
                          "\nPlease tap below so that the home knows you have seen this.")
    assert alert.button_texts == ["📞 I will call", "🚶 I am coming"]
    bernds = await cast.bernd.wait_for(URGENT)
    rows = await Delivery.filter(purpose=ALERT)
    assert len(rows) == 2 and all(row.urgent for row in rows)
    await outbox_sent()
    assert cast.otto.messages == [] and cast.ida.messages == []

    answer = await cast.anna.press("📞 I will call", message=alert)
    assert answer.text == "Thank you!"
    edited = await cast.anna.wait_for("Haus Linden knows that you will call.")
    assert edited.button_texts == []
    call = await EmergencyCall.get()
    assert call.answer == CallAnswer.CALL and call.acknowledged_at is not None
    at = call.acknowledged_at
    told = f"✅ Anna will call about Frau M. (answered at {clock(at, 'en', 'Europe/Berlin')})."
    assert (await cast.carla.wait_for("✅ Anna")).text == told
    # The home's language, and its way of writing the time ("18:05", not "6:05 PM").
    in_group = f"✅ Frau M.: Anna ruft an (Antwort um {clock(at, 'de', 'Europe/Berlin')})."
    assert (await cast.group.wait_for("✅ Frau M.")).text == in_group
    coming = bernds.find_button("🚶 I am coming")
    assert coming is not None
    await cast.bernd.wait_for("✅ Anna has answered the alert and will call the home.")
    await outbox_sent()
    assert bernds.button_texts == []  # answered: no dead buttons left under his alert

    # A press of his that was already on its way learns who answered first.
    later = await forge_press(telegram, cast.bernd, bernds, coming["callback_data"])
    assert later.text == "Already answered by Anna. Thank you!"
    call = await EmergencyCall.get()
    assert call.acknowledged_by_id == (await Account.get(telegram_id=cast.anna.id)).id
    actions = await AuditEntry.filter(action__startswith="emergency_call.").values_list(
        "action", flat=True)
    assert sorted(actions) == ["emergency_call.acknowledge", "emergency_call.send"]
    assert telegram.unanswered_callbacks == []


async def test_the_alert_goes_before_messages_already_waiting(db: str) -> None:
    linden = await factories.home("linden")
    mother = await factories.resident(linden, "Frau M.")
    anna = await factories.relative("Anna", mother)
    await RelativeLink.filter(account=anna).update(emergency_contact=True)
    carla = await factories.staff("Carla", linden, Role.ADMIN)
    otto = await factories.account("Otto", anytime=True)
    await enqueue([Recipient(otto.telegram_id, otto)], Outgoing.text("Sommerfest"),
                  purpose="announcement", reference="1", urgent=True)
    await start_call(Actor(carla), mother.id, CallReason.CALL)
    first, then = await claim_due(2)
    assert (first.purpose, first.chat_id, then.purpose) == (ALERT, anna.telegram_id,
                                                            "announcement")


async def test_the_alert_repeats_every_10_minutes_until_someone_answers(cast: Cast) -> None:
    await make_contacts(cast, "Anna", "Bernd")
    await carla_sends(cast)
    first = await cast.anna.wait_for(URGENT)
    call = await EmergencyCall.get()
    start = call.created_at

    assert (await run_calls(now=start + dt.timedelta(minutes=9))).repeated == []
    assert (await run_calls(now=start + dt.timedelta(minutes=10))).repeated == [call.id]
    assert (await run_calls(now=start + dt.timedelta(minutes=11))).repeated == []  # once
    again = await cast.anna.wait_for("(Reminder 2 of 6)")
    assert again.button_texts == ["📞 I will call", "🚶 I am coming"]

    await cast.anna.press("🚶 I am coming", message=first)  # the first one still works
    await cast.carla.wait_for("✅ Anna is coming to the home about Frau M.")
    await outbox_sent()
    assert again.button_texts == [] and first.button_texts == []  # no dead buttons left
    for minutes in (20, 30, 60, 70):
        run = await run_calls(now=start + dt.timedelta(minutes=minutes))
        assert run.repeated == [] and run.overdue == []
    assert await Delivery.filter(purpose=ALERT, chat_id=cast.anna.id).count() == 2


async def test_at_most_6_alerts_then_carla_is_told_to_phone(cast: Cast) -> None:
    await make_contacts(cast, "Anna", "Bernd")
    await carla_sends(cast)
    call = await EmergencyCall.get()
    start = call.created_at
    for minutes in range(10, 121, 10):
        at = start + dt.timedelta(minutes=minutes)
        await asyncio.gather(run_calls(now=at), run_calls(now=at))  # two processes at once
    assert await Delivery.filter(purpose=ALERT, chat_id=cast.anna.id).count() == 6
    assert await Delivery.filter(purpose=ALERT, chat_id=cast.bernd.id).count() == 6
    await outbox_sent(timeout=30)  # Telegram paces six messages to one chat
    assert "(Reminder 6 of 6)" in cast.anna.messages[5].text
    assert (await cast.carla.wait_for("⚠️ Nobody")).text == PHONE
    assert await Delivery.filter(purpose=OVERDUE).count() == 1
    assert await AuditEntry.filter(action="emergency_call.unanswered").count() == 1
    # A late answer is still welcome.
    await cast.bernd.press("📞 I will call")
    await cast.carla.wait_for("✅ Bernd will call about Frau M.")


async def test_the_hour_is_counted_from_the_first_alert(cast: Cast) -> None:
    await make_contacts(cast, "Anna")
    await carla_sends_to_anna(cast, "Please come to the home.")
    await cast.anna.wait_for("Please come to the home.")
    start = (await EmergencyCall.get()).created_at
    assert (await run_calls(now=start + dt.timedelta(minutes=59))).overdue == []
    assert (await run_calls(now=start + dt.timedelta(minutes=60))).overdue != []
    await cast.carla.wait_for(
        "⚠️ Nobody has answered the alert about Frau M. within an hour. Please phone the "
        "emergency contacts: Anna.")


async def test_a_resident_without_emergency_contacts_sends_nothing(cast: Cast) -> None:
    await cast.carla.send("/callus")
    await cast.carla.wait_for("About whom?")
    await cast.carla.press("Herr K. · room 14")
    await cast.carla.wait_for("This resident has no emergency contacts, so nothing was sent.")
    assert await EmergencyCall.all().count() == 0
    await outbox_sent()
    assert all(not user.messages for user in (cast.anna, cast.bernd, cast.otto, cast.ida))


async def test_sending_twice_sends_once(cast: Cast) -> None:
    await make_contacts(cast, "Anna")
    await carla_sends_to_anna(cast)
    confirm = cast.carla.messages[-1]
    await forge_press_on(cast.carla, confirm, callback(
        Prefix.CALL_US, "send", cast.mother.id, "call"))
    await cast.carla.wait_for("An alert about Frau M. is already waiting for an answer")
    assert await EmergencyCall.all().count() == 1


async def forge_press_on(user: FakeUser, message: FakeMessage, data: str) -> str | None:
    answer = await forge_press(user.tg, user, message, data)
    return answer.text


async def test_care_staff_may_not_send_alerts(cast: Cast) -> None:
    await make_contacts(cast, "Anna")
    await cast.ben.send("/callus")
    await cast.ben.wait_for("Only the admins and approvers of a care home can send urgent alerts.")
    screen = cast.ben.messages[-1]
    for data in (callback(Prefix.CALL_US, "send", cast.mother.id, "call"),
                 callback(Prefix.CALL_US, "res", cast.mother.id)):
        assert await forge_press_on(cast.ben, screen, data) == (
            "Sorry, you may not do this here. Nothing was changed.")
    assert await EmergencyCall.all().count() == 0


async def test_a_forged_acknowledgement_is_refused(telegram: FakeTelegram, cast: Cast) -> None:
    await make_contacts(cast, "Anna")
    await carla_sends_to_anna(cast)
    call = await EmergencyCall.get()
    forged = callback(Prefix.CALL_US, "ack", call.id, "call")
    stranger = telegram.user("Sam", language_code="en")
    await stranger.send("/help")
    for user in (cast.ida, cast.otto, stranger):  # Otto: Frau M.'s nephew, no contact
        if not user.messages:
            await user.send("/help")
        screen = await user.wait_for()
        assert await forge_press_on(user, screen, forged) == (
            "This alert is not for you. Nothing was changed.")
    # Anna is no longer an emergency contact: her own button is refused too.
    alert = await cast.anna.wait_for(URGENT)
    await RelativeLink.filter(resident=cast.mother).update(emergency_contact=False)
    refused = await cast.anna.press("📞 I will call", message=alert)
    assert refused.text == "This alert is not for you. Nothing was changed."
    assert (await EmergencyCall.get()).acknowledged_at is None
    assert telegram.unanswered_callbacks == []


async def carla_sends_to_anna(cast: Cast, reason: str = "Please call the home.") -> None:
    await cast.carla.send("/callus")
    await cast.carla.wait_for("About whom?")
    await cast.carla.press("Frau M. · room 12")
    await cast.carla.wait_for("What should Anna be asked about Frau M.?")
    await cast.carla.press(reason)
    await cast.carla.wait_for("Send this urgent alert now?")
    await cast.carla.press("🚨 Send now")
    await cast.carla.wait_for("🚨 Sent to Anna.")


async def test_mydata_and_deleteme_cover_the_flag_and_the_answers(cast: Cast) -> None:
    await make_contacts(cast, "Anna")
    await carla_sends_to_anna(cast)
    await cast.anna.wait_for(URGENT)
    await cast.anna.press("📞 I will call")
    await cast.carla.wait_for("✅ Anna will call")
    await outbox_sent()

    await cast.anna.send("/mydata")
    export = await cast.anna.wait_for(lambda m: m.document is not None)
    data = json.loads(cast.anna.tg.file_bytes(export.document["file_id"]))
    assert data["please_call_us"]["emergency_contact_of"] == [
        {"resident": "Frau M.", "facility": "Haus Linden"}]
    [answered] = data["please_call_us"]["alerts_answered"]
    assert answered["resident"] == "Frau M." and answered["answer"] == "call"

    await cast.carla.send("/mydata")
    export = await cast.carla.wait_for(lambda m: m.document is not None)
    data = json.loads(cast.carla.tg.file_bytes(export.document["file_id"]))
    [sent] = data["please_call_us"]["alerts_sent"]
    assert sent["resident"] == "Frau M." and sent["reason"] == "call"
    assert data["please_call_us"]["alerts_answered"] == []

    await cast.anna.send("/deleteme")
    await cast.anna.wait_for("Shall I delete everything about you?")
    await cast.anna.press("Yes, delete everything")
    await cast.anna.wait_for("Everything about you has been deleted.")
    call = await EmergencyCall.get()
    assert call.acknowledged_by_id is None and call.acknowledged_at is not None  # the figures
    assert not await Delivery.filter(purpose__in=("emergency_call.ack",
                                                   "emergency_call.answered")).exists()
    assert not await RelativeLink.filter(account__first_name="Anna").exists()


async def test_the_quality_report_counts_the_alerts_and_the_time_to_answer(db: str) -> None:
    linden = await factories.home("linden")
    mother = await factories.resident(linden, "Frau M.")
    anna = await factories.relative("Anna", mother)
    carla = await factories.staff("Carla", linden, Role.ADMIN)
    month = this_month(linden.timezone)
    start = Window.ending_with(month, linden.timezone).month_start
    for hours, minutes in ((1, 4), (2, 10), (3, None), (-24, 1)):  # the last: the month before
        sent = start + dt.timedelta(hours=hours)
        await EmergencyCall.create(
            facility=linden, resident=mother, sender=carla, reason=CallReason.CALL,
            created_at=sent, sends=1, acknowledged_by=anna if minutes else None,
            acknowledged_at=sent + dt.timedelta(minutes=minutes) if minutes else None,
            answer=CallAnswer.CALL if minutes else None)

    report = await quality_report(Actor(carla), linden.id, month)
    assert report.emergency_calls == EmergencyCallFigures(
        alerts=3, answered=2, median_minutes_to_answer=7.0)
    figures = ("Please call us\nUrgent alerts sent: 3 · answered: 2\n"
               "Median time to the first answer: 7 min")
    assert figures in summary(translator("en"), report)
    html = html_document(translator("en"), report)
    assert "Urgent alerts sent: 3 · answered: 2" in html
    german = summary(translator("de"), report)
    assert "Dringende Nachrichten verschickt: 3 · beantwortet: 2" in german

    before = await quality_report(Actor(carla), linden.id, add_months(month, -1))
    assert before.emergency_calls == EmergencyCallFigures(1, 1, 1.0)
    earlier = await quality_report(Actor(carla), linden.id, add_months(month, -2))
    assert earlier.emergency_calls is None
    assert "Please call us" not in summary(translator("en"), earlier)  # no alert, no section


async def test_an_approver_sends_too(telegram: FakeTelegram, cast: Cast) -> None:
    await make_contacts(cast, "Anna")
    linden = await cast.mother.facility
    paula = await factories.team_member(telegram, linden, "Paula", Role.APPROVER)
    await paula.send("/callus")
    await paula.wait_for("About whom?")
    await paula.press("Frau M. · room 12")
    await paula.wait_for("What should Anna be asked about Frau M.?")
    await paula.press("Please come to the home.")
    await paula.wait_for("Send this urgent alert now?")
    await paula.press("🚨 Send now")
    await paula.wait_for("🚨 Sent to Anna.")
    await cast.anna.wait_for("Please come to the home.")
    await cast.anna.press("🚶 I am coming")
    await paula.wait_for("✅ Anna is coming to the home about Frau M.")
    assert cast.carla.messages == []  # the admin who did not send it is not bothered


async def test_only_admins_choose_the_emergency_contacts(
    telegram: FakeTelegram, cast: Cast
) -> None:
    linden = await cast.mother.facility
    paula = await factories.team_member(telegram, linden, "Paula", Role.APPROVER)
    anna = await Account.get(telegram_id=cast.anna.id)
    flag = callback(Prefix.CALL_US, "flag", cast.mother.id, anna.id, 1)
    for user in (paula, cast.ben):  # an approver sends alerts, but does not choose contacts
        await user.send("/help")
        screen = await user.wait_for("Here is what I can do for you")
        assert await forge_press_on(user, screen, flag) == (
            "Sorry, you may not do this here. Nothing was changed.")
    assert not await RelativeLink.filter(resident=cast.mother, emergency_contact=True).exists()
    assert not await AuditEntry.filter(action__startswith="emergency_contact.").exists()


async def test_the_help_names_the_new_commands_for_whom_they_are(cast: Cast) -> None:
    await cast.carla.send("/help")
    shown = await cast.carla.wait_for("For the care team:")
    assert "/callus – Urgent alert to a resident's emergency contacts" in shown.text
    assert "/today – Note a resident's day" in shown.text
    assert "/visits – Today's and tomorrow's visits" in shown.text
    await cast.anna.send("/help")
    relatives = (await cast.anna.wait_for("Here is what I can do for you")).text
    assert "/callus" not in relatives and "/visits" not in relatives
    assert "/today – Notes of the day" in relatives
    assert "/visit – Book a visit" in relatives and "/events – Events of the care home" in relatives


async def test_when_the_stay_ends_the_flag_goes_and_the_alert_stops(cast: Cast) -> None:
    await make_contacts(cast, "Anna")
    await carla_sends_to_anna(cast)
    start = (await EmergencyCall.get()).created_at
    carla = await Account.get(telegram_id=cast.carla.id)
    await end_stay(Actor(carla), cast.mother.id, ResidentStatus.MOVED_OUT,
                   notify_relatives=False)
    assert not await RelativeLink.filter(emergency_contact=True).exists()
    for minutes in (10, 60, 70):
        run = await run_calls(now=start + dt.timedelta(minutes=minutes))
        assert run.repeated == [] and run.overdue == []
    assert await Delivery.filter(purpose=ALERT).count() == 1
    assert not await Delivery.filter(purpose=OVERDUE).exists()
    # A new stay (a relative linked again, as the demo's pre-made link is) asks again.
    await Resident.filter(id=cast.mother.id).update(status=ResidentStatus.ACTIVE)
    await RelativeLink.filter(resident=cast.mother).update(active=True)
    await carla_sends_nothing_for(cast)


async def carla_sends_nothing_for(cast: Cast) -> None:
    await cast.carla.send("/callus")
    await cast.carla.wait_for("About whom?")
    await cast.carla.press("Frau M. · room 12")
    await cast.carla.wait_for("This resident has no emergency contacts, so nothing was sent.")


async def test_after_the_hour_carla_phones_also_whom_telegram_no_longer_reaches(
    cast: Cast
) -> None:
    await make_contacts(cast, "Anna", "Bernd")
    await carla_sends(cast)
    start = (await EmergencyCall.get()).created_at
    await Account.filter(telegram_id=cast.bernd.id).update(unreachable=True)  # blocked the bot
    await run_calls(now=start + dt.timedelta(minutes=60))
    assert (await cast.carla.wait_for("⚠️ Nobody")).text == PHONE  # Bernd still named


async def test_after_the_hour_without_contacts_carla_phones_the_family(cast: Cast) -> None:
    await make_contacts(cast, "Anna")
    await carla_sends_to_anna(cast)
    start = (await EmergencyCall.get()).created_at
    await RelativeLink.filter(resident=cast.mother).update(emergency_contact=False)
    await run_calls(now=start + dt.timedelta(minutes=60))
    assert (await cast.carla.wait_for("⚠️ Nobody")).text == (
        "⚠️ Nobody has answered the alert about Frau M. within an hour. Please phone the "
        "family.")
