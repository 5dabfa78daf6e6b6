"""No dead buttons, and every press answered: when a step is done, its buttons go.

A typed caption, comment or line takes the Skip/No comment/Back/Cancel keyboard of the
question away; a used picker in /invite cannot make a second invite; a closed conversation
shows no Reply/Close; "❤️ Thank you" turns into a quiet "❤️ Thanked"; approvers' notes lose
their buttons when an update is rejected without them; and a press whose handler fails is still
answered (besides the apology). The fixtures check after every test that no press is left
spinning.
"""

from __future__ import annotations

import pytest

from bot.models import (
    Account,
    Delivery,
    Invite,
    PhotoUpdate,
    PhotoUpdateState,
    ResidentStatus,
    Role,
    StaffRole,
)
from bot.services.accounts import await_input, awaited_input, end_stay, remember_prompt
from bot.services.accounts.actors import Actor
from bot.services.accounts.residents import withdraw_consent
from handlers.accounts import relatives as relative_settings
from tests import factories
from tests.conftest import CarlasHome, StartBot
from tests.fakes import FakeTelegram
from tests.photo_homes import Linden, all_sent, post
from tests.test_journey_bad_input import forge_press

APOLOGY = "Sorry, something went wrong on my side."


async def test_a_typed_caption_takes_the_skip_button_away(linden: Linden) -> None:
    ben = linden.ben
    await ben.send_photo()
    await ben.wait_for("Who is in")
    await ben.press("Frau M.")
    await ben.wait_for(lambda m: "✅ Frau M." in " ".join(m.button_texts))
    await ben.press("Done")
    question = await ben.wait_for("Would you like to add a caption?")
    assert question.button_texts == ["Skip"]

    await ben.send("Frau M. beim Kuchenbacken")

    await ben.wait_for("Preview")
    assert question.button_texts == []
    await ben.press("Submit")
    await ben.wait_for("Waiting for approval")


async def test_a_typed_search_replaces_the_photo_picker(linden: Linden) -> None:
    ben = linden.ben
    await ben.send_photo()
    picker = await ben.wait_for("Who is in")
    await ben.send("K.")
    narrowed = await ben.wait_for("1 resident matches “K.”.")
    assert picker.button_texts == []  # one live picker, not two
    await ben.press("Herr K.", message=narrowed)
    await ben.wait_for(lambda m: "✅ Herr K. · room 14" in m.button_texts)
    await ben.press("Cancel")
    await ben.wait_for("Cancelled. Nothing was sent.")


async def test_a_typed_rating_comment_takes_the_comment_buttons_away(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    home = await factories.home("sonnenhof")
    anna = await factories.family_member(
        telegram, "Anna", await factories.resident(home, "Frau M.")
    )
    await anna.send("/rate")
    await anna.wait_for("overall?")
    await anna.press("4 ★")
    for number in range(1, 6):
        await anna.wait_for(f"Question {number} of 5")
        await anna.press("Skip")
    question = await anna.wait_for("Would you like to add a comment?")
    assert "No comment" in question.button_texts

    await anna.send("Sehr freundliches Personal.")

    step = await anna.wait_for("Who should read your rating?")
    assert question.button_texts == []
    assert step.message_id != question.message_id and step.button_texts
    await anna.press("Only for the home")


async def test_a_typed_line_in_today_takes_the_old_note_keyboard_away(linden: Linden) -> None:
    ben = linden.ben
    await ben.send("/today")
    picker = await ben.wait_for("Whose day would you like to note?")
    await ben.send("12")  # a search: the matches come as a new picker, the old one goes
    found = await ben.wait_for("1 resident matches “12”.")
    assert picker.button_texts == [] and found.button_texts
    await ben.press("Frau M. · room 12")
    note = await ben.wait_for("Today's note about Frau M.")
    await ben.press("🙂")
    await ben.wait_for(lambda m: "✓ 🙂" in m.button_texts)

    await ben.send("Sang along happily today.")

    again = await ben.wait_for("Your line: “Sang along happily today.”")
    assert note.button_texts == []
    assert "💾 Save" in again.button_texts and "✓ 🙂" in again.button_texts
    await ben.press("💾 Save")
    await ben.wait_for("✓ Saved: today's note about Frau M.")


async def test_a_used_invite_picker_makes_no_second_invite(
    telegram: FakeTelegram, carlas_home: CarlasHome
) -> None:
    carla = carlas_home.carla
    await factories.resident(carlas_home.facility, "Frau M.", "12")
    await carla.send("/invite")
    await carla.wait_for("Whom would you like to invite to Haus Sonnenhof?")
    await carla.press("A resident's relative")
    picker = await carla.wait_for("For whose relatives is the invite?")
    data = picker.find_button("Frau M. · room 12")
    assert data is not None

    await carla.press("Frau M. · room 12")
    await carla.wait_for("Invite for the relatives of Frau M.")

    assert picker.button_texts == []
    # The same press once more (a double tap that reached the bot late) makes nothing.
    answer = await forge_press(telegram, carla, picker, data["callback_data"])
    assert answer.show_alert and answer.text == "This button is no longer valid."
    assert await Invite.all().count() == 1


async def test_a_used_family_invite_picker_makes_no_second_invite(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    linden = await factories.home("linden", relatives_may_invite=True)
    anna = await factories.family_member(
        telegram, "Anna", await factories.resident(linden, "Frau M."),
        await factories.resident(linden, "Herr K."),
    )
    await anna.send("/invitefamily")
    picker = await anna.wait_for("For whom would you like to invite a family member?")
    data = picker.find_button("Herr K. (Haus Linden)")
    assert data is not None

    await anna.press("Herr K. (Haus Linden)")
    await anna.wait_for("Here is an invitation for Herr K.")

    assert picker.button_texts == []
    late = await forge_press(telegram, anna, picker, data["callback_data"])
    assert late.show_alert and late.text == "This button is no longer valid."
    assert await Invite.all().count() == 1


async def test_a_closed_conversation_shows_no_reply_or_close(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    linden = await factories.home("linden")
    mother = await factories.resident(linden, "Frau M.")
    anna = await factories.family_member(telegram, "Anna", mother)
    ben = await factories.team_member(telegram, linden, "Ben", Role.STAFF)
    carla = await factories.team_member(telegram, linden, "Carla", Role.ADMIN)
    await StaffRole.filter(account__telegram_id__in=[ben.id, carla.id]).update(inbox=True)
    await anna.send("When is the doctor coming?")
    at_ben = await ben.wait_for(lambda m: "✅ Close" in m.button_texts)
    at_carla = await carla.wait_for(lambda m: "✅ Close" in m.button_texts)
    await ben.press("↩️ Reply", message=at_ben)
    await ben.wait_for("Your answer to Anna")
    await ben.send("On Thursday morning.")
    answer = await anna.wait_for(lambda m: "On Thursday morning." in m.content)
    assert "✅ Close" in answer.button_texts

    await carla.press("✅ Close", message=at_carla)

    await anna.wait_for(lambda m: m is not answer and "closed" in m.content.lower())
    await all_sent("conversation.buttons")
    assert at_carla.button_texts == [] and at_ben.button_texts == []
    assert answer.button_texts == []
    # The edit in Anna's chat is hers: it goes with her account (/deleteme), like the answer.
    annas = await Account.get(telegram_id=anna.id)
    edits = await Delivery.filter(purpose="conversation.buttons", chat_id=anna.id)
    assert edits and {edit.account_id for edit in edits} == {annas.id}


async def test_thank_you_turns_into_a_quiet_thanked(linden: Linden) -> None:
    home = linden
    await post(home.ben, ["Frau M."], caption="Frau M. beim Kuchenbacken")
    await home.carla.wait_for("New photo update from Ben")
    await home.carla.press("✅ Approve")
    await home.ben.wait_for("was approved by Carla")
    received = await home.anna.wait_for(
        lambda m: "❤️ Thank you" in m.button_texts, timeout=10
    )

    answer = await home.anna.press("❤️ Thank you")

    assert answer.text == "Thank you sent ❤️"
    assert received.button_texts == ["❤️ Thanked", "Reply"]
    await home.ben.wait_for("1 relative said thank you")
    quiet = await home.anna.press("❤️ Thanked")
    assert quiet.text is None and not quiet.show_alert
    assert received.button_texts == ["❤️ Thanked", "Reply"]


async def test_approvers_notes_lose_their_buttons_when_consent_rejects_the_update(
    linden: Linden,
) -> None:
    home = linden
    await post(home.ben, ["Frau M."])
    note = await home.carla.wait_for(lambda m: "✅ Approve" in m.button_texts)

    await withdraw_consent(Actor.cli(), home.frau_m.id)

    await home.carla.wait_for(lambda m: m is note and "consent was withdrawn" in m.text)
    assert note.button_texts == []
    assert await PhotoUpdate.filter(state=PhotoUpdateState.REJECTED).count() == 1


async def test_approvers_notes_lose_their_buttons_when_the_stay_ends(linden: Linden) -> None:
    home = linden
    await post(home.ben, ["Herr K."])
    note = await home.carla.wait_for(lambda m: "✅ Approve" in m.button_texts)

    await end_stay(Actor.cli(), home.herr_k.id, ResidentStatus.MOVED_OUT, notify_relatives=False)

    await home.carla.wait_for(lambda m: m is note and "no longer lives in the home" in m.text)
    assert note.button_texts == []
    assert await PhotoUpdate.filter(state=PhotoUpdateState.CLOSED).count() == 1


async def test_the_question_is_remembered_apart_from_what_the_answer_needs(db: str) -> None:
    account = await factories.account("Ben", telegram_id=4242)
    await await_input(account, "photo_caption", update=5)
    await remember_prompt(account, 4242, 41)
    awaited = await awaited_input(account)
    assert awaited is not None
    assert dict(awaited.payload) == {"update": 5} and awaited.prompt == (4242, 41)
    await await_input(account, "photo_caption", update=6)  # asked anew: its own question
    again = await awaited_input(account)
    assert again is not None and again.prompt is None


async def test_a_press_whose_handler_fails_is_answered_and_apologised_for(
    telegram: FakeTelegram, start_bot: StartBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    await start_bot()
    anna = await factories.family_member(
        telegram, "Anna", await factories.resident(await factories.home("linden"), "Frau M.")
    )
    await anna.send("/settings")
    await anna.wait_for("Your settings.")

    def broken(*args: object) -> object:
        raise RuntimeError("a bug")

    monkeypatch.setattr(relative_settings, "quiet_keyboard", broken)
    answer = await anna.press("Quiet hours")

    assert answer.text is None and not answer.show_alert
    await anna.wait_for(APOLOGY)
    assert telegram.unanswered_callbacks == []
