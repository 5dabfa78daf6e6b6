"""Wrong turns while posting a photo update: each gets a clear answer, and nothing changes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from bot.app import Heimbote
from bot.models import PhotoTag, PhotoUpdate, PhotoUpdateState
from handlers.photo.posting import ALBUM_WAIT
from tests.fakes import CallbackAnswer, FakeMessage, FakeTelegram, FakeUser
from tests.fakes.callbacks import callback_query_update
from tests.fakes.sample_media import TINY_PNG
from tests.photo_homes import linden, post

StartBot = Callable[..., Awaitable[Heimbote]]


async def forge_press(
    telegram: FakeTelegram, user: FakeUser, message: FakeMessage, data: str
) -> CallbackAnswer:
    """What a modified client can do: press a real message's button with any callback data."""
    query = telegram.callbacks.open(user.id, message, data)
    telegram.deliver(callback_query_update(query, user.to_dict()))
    return await telegram.signal.wait_for(lambda: query.answer, 5.0, lambda: f"answer to {data}")


async def test_stickers_voice_and_videos_are_not_photos(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    ben = (await linden(telegram)).ben

    await ben.send_sticker()
    await ben.wait_for("To post a photo update, send a photo, or an album of up to 10 photos.")
    await ben.send_voice()
    await ben.wait_for("To post a photo update, send a photo")
    await ben.send_video("Tanzen im Garten")
    await ben.wait_for("Sorry, videos are not supported yet. Please send photos")
    assert await PhotoUpdate.all().count() == 0


async def test_a_pdf_is_refused_but_a_png_sent_as_a_file_is_taken(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    ben = (await linden(telegram)).ben

    await ben.send_document("Dienstplan.pdf", "application/pdf")
    await ben.wait_for("I can only post photos: JPEG or PNG images. This file is not one of them.")
    assert await PhotoUpdate.all().count() == 0

    await ben.send_document("garten.png", "image/png", content=TINY_PNG)
    await ben.wait_for("Who is in this photo?")
    draft = await PhotoUpdate.get(state=PhotoUpdateState.DRAFT)
    photo = telegram.files.get(draft.file_ids[0])
    assert photo is not None and photo.kind == "photo"  # relayable with sendPhoto
    assert [upload.method for upload in telegram.uploads] == ["sendPhoto"]  # once, now
    assert not any(m.photo for m in ben.messages)  # the converted photo was tidied away


async def test_eleven_photos_are_refused_as_a_whole(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    ben = (await linden(telegram)).ben

    await ben.send_album(11)
    refusal = await ben.wait_for("A photo update can have at most 10 photos.")
    await asyncio.sleep(ALBUM_WAIT + 0.5)  # long enough for a question that must not come
    assert await PhotoUpdate.all().count() == 0
    assert [m.text for m in ben.messages] == [refusal.text]

    await post(ben, ["Frau M."], photos=10)  # ten are fine
    submitted = await PhotoUpdate.get(state=PhotoUpdateState.PENDING)
    assert len(submitted.file_ids) == 10


async def test_a_caption_of_2000_characters_is_refused(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    ben = (await linden(telegram)).ben

    await ben.send_photo()
    await ben.wait_for("Who is in this photo?")
    await ben.press("Frau M.")
    await ben.wait_for(lambda m: "✅ Frau M. · room 12" in m.button_texts)
    await ben.press("Done")
    await ben.wait_for("Would you like to add a caption?")
    await ben.send("x" * 2000)
    await ben.wait_for("Please shorten it: 2,000 characters, at most 1,024.")
    draft = await PhotoUpdate.get(state=PhotoUpdateState.DRAFT)
    assert draft.caption == ""

    await ben.send("Frau M. im Garten")  # still waiting for the caption
    await ben.wait_for("Preview: 1 photo of Frau M.")
    await draft.refresh_from_db()
    assert draft.caption == "Frau M. im Garten" and draft.state == PhotoUpdateState.DRAFT


async def test_residents_without_consent_cannot_be_chosen_and_someone_must_be(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    home = await linden(telegram)
    ben = home.ben

    await ben.send_photo()
    picker = await ben.wait_for("Who is in this photo?")
    assert "🚫 = no photo consent" in picker.text
    why = await ben.press("🚫 Herr S.")
    assert why.show_alert and why.text is not None
    assert why.text.startswith("There is no photo consent for Herr S. yet")
    draft = await PhotoUpdate.get(state=PhotoUpdateState.DRAFT)
    forged = await forge_press(telegram, ben, picker, f"photo:1:tag:{draft.id}:{home.herr_s.id}:0")
    assert forged.text == "Without photo consent, this resident cannot be chosen."
    empty = await ben.press("Done")
    assert empty.text == "Please tap at least one resident who is in the photo."
    assert await PhotoTag.all().count() == 0


async def test_forged_and_foreign_buttons_change_nothing(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    home = await linden(telegram)
    await post(home.ben, ["Frau M."])
    note = await home.carla.wait_for("New photo update from Ben")
    pending = await PhotoUpdate.get(state=PhotoUpdateState.PENDING)

    for data, expected in [
        ("photo:1:ok:999999", "I cannot find this photo update any more."),
        ("photo:1:zzz:1", "This button is no longer valid."),
        ("photo:1:ok:abc", "This button is no longer valid."),
        ("photo:1:rsn:1:mean", "This button is no longer valid."),
    ]:
        answer = await forge_press(telegram, home.carla, note, data)
        assert (answer.text, answer.show_alert) == (expected, True), data

    anna = home.anna
    for action in ("ok", "no", "thx", "recall"):  # a relative, not on the team
        answer = await forge_press(telegram, anna, note, f"photo:1:{action}:{pending.id}")
        assert answer.text == "Sorry, you may not do this here. Nothing was changed.", action
    await pending.refresh_from_db()
    assert pending.state == PhotoUpdateState.PENDING
