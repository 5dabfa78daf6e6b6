"""Journey: Carla, who runs Haus Sonnenhof, manages her home in Telegram.

She adds Frau M., records her photo consent, invites Frau M.'s relatives with a link, a code and
a QR code, says goodbye when Frau M. moves out, looks after her team and the home's settings.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable

import pytest

from bot.app import Heimbote
from bot.i18n import translator
from bot.models import (
    Account,
    ConsentGiver,
    Delivery,
    Facility,
    Invite,
    InviteKind,
    PhotoConsent,
    RelativeLink,
    Resident,
    ResidentStatus,
    Role,
    StaffRole,
)
from bot.services.accounts.actors import Actor
from bot.services.accounts.facilities import create_facility, update_facility
from bot.services.accounts.residents import add_resident
from bot.services.onboarding.invite_codes import code_hash
from tests import factories
from tests.conftest import CarlasHome
from tests.fakes import FakeTelegram, FakeUser

StartBot = Callable[..., Awaitable[Heimbote]]
CLI = Actor.cli()
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def home(name: str = "Haus Sonnenhof", slug: str = "sonnenhof") -> Facility:
    return await create_facility(CLI, slug=slug, name=name)


def where_it_is_noon() -> str:
    """A time zone where it is about noon now: notices are not held for the night's quiet."""
    offset = 12 - dt.datetime.now(dt.UTC).hour  # -11 … +12, all of them exist
    return f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT"


async def relative_of(resident: Resident, user: FakeUser, locale: str) -> RelativeLink:
    """A relative who started the bot (so it may write to them), linked to ``resident``."""
    await user.send("/start")
    await user.wait_for("Heimbote")
    account = await Account.get(telegram_id=user.id)
    account.locale = locale
    await account.save(update_fields=["locale"])
    return await factories.link(account, resident)


async def test_carla_adds_frau_m_records_consent_and_invites_her_family(
    telegram: FakeTelegram, carlas_home: CarlasHome
) -> None:
    sonnenhof, carla, carla_account = carlas_home

    await carla.send("/residents")
    await carla.wait_for("0 residents live here.")
    await carla.press("➕ Add a resident")
    await carla.wait_for("Please type the resident's name")
    await carla.send("Frau M.")
    await carla.wait_for("Which room does Frau M. live in?")
    await carla.send("12")
    card = await carla.wait_for(lambda m: m.text.startswith("Frau M.\nRoom: 12"))
    assert "Status: lives here" in card.text
    assert "Photo consent: not recorded" in card.text

    await carla.press("Record photo consent")
    await carla.wait_for("Who gave the photo consent for Frau M.?")
    answer = await carla.press("Legal representative")
    assert answer.text == "Photo consent recorded."
    await carla.wait_for("Photo consent: given by the legal representative on")
    frau_m = await Resident.get(display_name="Frau M.")
    assert frau_m.room == "12" and frau_m.facility_id == sonnenhof.id
    assert frau_m.photo_consent == PhotoConsent.GRANTED
    assert frau_m.consent_given_by == ConsentGiver.REPRESENTATIVE
    assert frau_m.consent_recorded_by_id == carla_account.id

    await carla.send("/invite")
    await carla.wait_for("Whom would you like to invite to Haus Sonnenhof?")
    await carla.press("A resident's relative")
    await carla.wait_for("For whose relatives is the invite?")
    await carla.press("Frau M. · room 12")
    text = await carla.wait_for("Invite for the relatives of Frau M.")
    link = re.search(r"https://t\.me/heimbote_test_bot\?start=([A-Z0-9]{12})", text.text)
    assert link is not None
    code = link.group(1)
    assert f"{code[:4]}-{code[4:8]}-{code[8:]}" in text.text
    qr = await carla.wait_for(lambda m: m.photo is not None)
    invite = await Invite.get(code_hash=code_hash(code))
    assert (invite.kind, invite.resident_id, invite.max_uses) == (
        InviteKind.RELATIVE, frau_m.id, 1
    )
    until = translator("en").datetime(invite.expires_at, sonnenhof.timezone)
    assert qr.caption.endswith(f"Valid for 1 use, until {until}.")
    upload = telegram.uploads[-1]
    assert upload.method == "sendPhoto" and upload.content.startswith(PNG_SIGNATURE)

    await carla.send("/invite")
    await carla.wait_for("Whom would you like to invite")
    await carla.press("Open invites")
    await carla.wait_for("1 invite can still be used.")
    answer = await carla.press("✖ Relatives of Frau M.")
    assert answer.text == "Invite revoked."
    await carla.wait_for("0 invites can still be used.")
    await invite.refresh_from_db()
    assert invite.revoked_at is not None


async def test_carla_corrects_the_card_and_withdraws_consent(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    sonnenhof = await home()
    frau_m = await add_resident(CLI, sonnenhof.id, display_name="Frau M.", room="12")
    carla = telegram.user("Carla", language_code="de")
    await factories.with_role(carla, sonnenhof, Role.ADMIN)

    await carla.send("/residents")
    await carla.wait_for("1 Bewohner/in wohnt hier.")
    await carla.press("Frau M. · Zimmer 12")
    await carla.press("Wohnbereich ändern")
    await carla.wait_for("Frau M.: Bitte geben Sie den Wohnbereich ein")
    await carla.send("Rosengarten")
    await carla.wait_for("Wohnbereich: Rosengarten")
    await carla.press("Zimmer ändern")
    await carla.send("-")
    card = await carla.wait_for(lambda m: m.text.startswith("Frau M.\nWohnbereich: Rosengarten"))
    assert "Zimmer" not in card.text
    await carla.press("Name ändern")
    await carla.send("x" * 101)
    await carla.wait_for("Bitte geben Sie einen Namen ein")  # and it still waits for one
    await carla.send("Frau Müller")
    await carla.wait_for(lambda m: m.text.startswith("Frau Müller\n"))

    await carla.press("Fotoeinwilligung eintragen")
    await carla.press("Bewohner/in selbst")
    await carla.wait_for("Fotoeinwilligung: selbst erteilt am")
    answer = await carla.press("Einwilligung widerrufen")
    assert answer.text == "Fotoeinwilligung widerrufen."
    await carla.wait_for("Fotoeinwilligung: widerrufen am")
    await frau_m.refresh_from_db()
    assert (frau_m.display_name, frau_m.room) == ("Frau Müller", "")
    assert frau_m.photo_consent == PhotoConsent.WITHDRAWN


async def test_carla_searches_and_turns_pages(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    sonnenhof = await home()
    for number in range(12):
        await add_resident(
            CLI, sonnenhof.id, display_name=f"Herr {number:02d}", room=f"1{number:02d}"
        )
    await add_resident(CLI, sonnenhof.id, display_name="Frau M.", room="12")
    carla = telegram.user("Carla", language_code="en")
    await factories.with_role(carla, sonnenhof, Role.ADMIN)

    await carla.send("/residents")
    first = await carla.wait_for("13 residents live here.")
    assert "Page 1 of 2" in first.text and len(first.button_texts) == 10 + 2  # ▶ and ➕
    await carla.press("▶")
    second = await carla.wait_for("Page 2 of 2")
    assert "Herr 11 · room 111" in second.button_texts and "◀" in second.button_texts

    await carla.send("frau")
    found = await carla.wait_for("1 resident matches “frau”.")
    assert "Frau M. · room 12" in found.button_texts
    await carla.send("111")  # a room number
    found = await carla.wait_for("matches “111”")
    assert "Herr 11 · room 111" in found.button_texts
    await carla.press("Herr 11 · room 111")
    await carla.wait_for(lambda m: m.text.startswith("Herr 11\nRoom: 111"))


@pytest.mark.parametrize("notify", [True, False])
async def test_frau_m_moves_out_and_her_daughter_hears_it_if_carla_wants(
    telegram: FakeTelegram, start_bot: StartBot, notify: bool
) -> None:
    await start_bot()
    sonnenhof = await update_facility(CLI, (await home()).id, timezone=where_it_is_noon())
    frau_m = await add_resident(CLI, sonnenhof.id, display_name="Frau M.", room="12")
    anna = telegram.user("Anna", language_code="de")
    link = await relative_of(frau_m, anna, "de")
    carla = telegram.user("Carla", language_code="en")
    await factories.with_role(carla, sonnenhof, Role.ADMIN)

    await carla.send("/residents")
    await carla.wait_for("1 resident lives here.")
    await carla.press("Frau M. · room 12")
    await carla.press("Moved out")
    await carla.wait_for("Has Frau M. moved out?")
    choice = "Yes, and notify the relatives" if notify else "Yes, without a message"
    answer = await carla.press(choice)
    await carla.wait_for("Status: moved out")

    await link.refresh_from_db()
    await frau_m.refresh_from_db()
    assert not link.active and frau_m.status == ResidentStatus.MOVED_OUT
    if notify:
        assert answer.text == "Done. 1 relative will be notified."
        notice = await anna.wait_for("Frau M.")
        assert notice.text.startswith("Haus Sonnenhof teilt Ihnen mit")  # her language
    else:
        assert answer.text == "Done. The relatives were not notified."
        assert await Delivery.filter(purpose="end_of_stay").count() == 0


async def test_carla_makes_ben_an_approver_and_cannot_demote_herself(
    telegram: FakeTelegram, carlas_home: CarlasHome
) -> None:
    sonnenhof, carla, _ = carlas_home
    ben = telegram.user("Ben", language_code="en")
    bens_role = await factories.with_role(ben, sonnenhof, Role.STAFF)

    await carla.send("/staff")
    team = await carla.wait_for("2 people work with me here.")
    assert team.button_texts[:2] == ["Carla · Admin", "Ben · Care staff"]
    await carla.press("Ben · Care staff")
    await carla.wait_for("Ben is: Care staff.")
    answer = await carla.press("Approver")
    assert answer.text == "Role changed."
    await carla.wait_for(lambda m: "Ben · Approver" in m.button_texts)
    assert (await StaffRole.get(account_id=bens_role.id)).role == Role.APPROVER

    await carla.press("Carla · Admin")
    refusal = await carla.press("Care staff")
    assert refusal.show_alert and "at least one admin" in (refusal.text or "")

    await carla.press("◀ Back")
    await carla.press("Ben · Approver")
    await carla.press("Remove from the team")
    await carla.wait_for("Remove Ben from the team of Haus Sonnenhof?")
    answer = await carla.press("Yes, remove")
    assert answer.text == "Removed from the team."
    assert not await StaffRole.exists(account_id=bens_role.id)

    await carla.press("➕ Invite a colleague")
    await carla.press("Approver")
    await carla.wait_for("Invite to join Haus Sonnenhof as: Approver")
    await carla.wait_for(lambda m: m.photo is not None)
    invite = await Invite.get(kind=InviteKind.STAFF)
    assert invite.role == Role.APPROVER and invite.facility_id == sonnenhof.id


async def test_carla_changes_the_homes_settings(carlas_home: CarlasHome) -> None:
    sonnenhof, carla, _ = carlas_home

    await carla.send("/facility")
    await carla.wait_for("Settings of Haus Sonnenhof")
    await carla.press("Relatives may invite")
    await carla.wait_for("Relatives may invite other relatives: yes")
    await carla.press("+ more relatives")
    await carla.wait_for("At most 6 relatives per resident")
    await carla.press("Language for new relatives")
    await carla.press("English")
    await carla.wait_for("Language for new relatives: English")
    await carla.press("Contact text")
    await carla.wait_for("Please type how relatives can reach the home")
    await carla.send("Office: 030 1234, Mon–Fri 9–16")
    await carla.wait_for("Contact: Office: 030 1234, Mon–Fri 9–16")

    await sonnenhof.refresh_from_db()
    assert sonnenhof.relatives_may_invite and sonnenhof.max_relatives_per_resident == 6
    assert sonnenhof.default_locale == "en" and sonnenhof.contact.startswith("Office")


async def test_a_platform_admin_picks_the_home_first(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    operator = telegram.user("Olga", language_code="en")
    await start_bot(admin_ids=str(operator.id))
    await home()
    lindenhof = await home("Lindenhof", "lindenhof")
    await add_resident(CLI, lindenhof.id, display_name="Herr K.", room="3")

    await operator.send("/residents")
    await operator.wait_for("Which care home?")
    await operator.press("Lindenhof")
    listing = await operator.wait_for("1 resident lives here.")
    assert "Herr K. · room 3" in listing.button_texts
    await operator.press("➕ Add a resident")
    await operator.send("Herr L.")
    await operator.wait_for("Which room does Herr L. live in?")
    answer = await operator.press("No room")
    assert answer.text == "Added."
    await operator.wait_for(lambda m: m.text.startswith("Herr L.\nStatus: lives here"))
    assert await Resident.filter(facility_id=lindenhof.id).count() == 2


async def test_someone_without_a_role_is_told_politely(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    await home()
    anna = telegram.user("Anna", language_code="en")
    for command in ("/residents", "/invite", "/staff", "/facility"):
        await anna.send(command)
        await anna.wait_for("This is for the management of a care home.")
