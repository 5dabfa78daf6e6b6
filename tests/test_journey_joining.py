"""Journey: Anna opens the care home's invitation and is connected with her mother, Frau M.

Ben joins the team with a staff invitation. Wrong codes all get the same answer, and five of them
lock the door for an hour.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from bot.app import Heimbote
from bot.models import (
    Account,
    Facility,
    Invite,
    InviteKind,
    RelativeLink,
    Resident,
    ResidentStatus,
    Role,
    StaffRole,
)
from bot.services.onboarding.invite_codes import code_hash
from tests import factories
from tests.fakes import FakeTelegram, FakeUser

pytestmark = pytest.mark.calendar  # run at every instant of tests.conftest.CLOCKS

StartBot = Callable[..., Awaitable[Heimbote]]
CODE = "ABCDEFGHJKMN"


async def frau_m(facility: Facility | None = None, **fields: Any) -> Resident:
    """Frau M., of Haus Sonnenhof unless another home is given."""
    return await factories.resident(
        facility or await factories.home("sonnenhof"), "Frau M.", **fields
    )


async def invitation(resident: Resident, code: str = CODE, **fields: Any) -> Invite:
    values: dict[str, Any] = {
        "kind": InviteKind.RELATIVE,
        "max_uses": 1,
        "expires_at": dt.datetime.now(dt.UTC) + dt.timedelta(days=14),
    }
    values.update(fields)
    return await Invite.create(
        code_hash=code_hash(code), facility_id=resident.facility_id, resident=resident, **values
    )


async def is_linked(user: FakeUser, resident: Resident) -> bool:
    return await RelativeLink.filter(
        account__telegram_id=user.id, resident=resident, active=True
    ).exists()


async def test_anna_opens_the_link_picks_german_agrees_and_is_linked_to_frau_m(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    mother = await frau_m()
    await invitation(mother)
    anna = telegram.user("Anna", language_code="de")

    await anna.send(f"/start {CODE}")
    picker = await anna.wait_for("Haus Sonnenhof")
    assert picker.text.startswith("Hallo Anna!")
    assert picker.button_texts[0] == "✓ Deutsch"

    await anna.press("Deutsch")
    notice = await anna.wait_for("Einverstanden?")
    assert "Haus Sonnenhof" in notice.text and "/deleteme" in notice.text
    assert notice.button_texts == ["Ja, einverstanden", "Nein, danke"]

    await anna.press("Ja, einverstanden")
    welcome = await anna.wait_for("Willkommen")
    assert "Frau M." in welcome.text and "Haus Sonnenhof" in welcome.text
    assert "/settings" in welcome.text
    assert await is_linked(anna, mother)
    account = await Account.get(telegram_id=anna.id)
    assert account.locale == "de" and account.pending_invite_id is None
    assert account.privacy_accepted_at is not None


async def test_a_code_typed_by_hand_works_in_any_case_with_spaces_and_dashes(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    mother = await frau_m()
    await invitation(mother)
    anna = telegram.user("Anna", language_code="en")

    await anna.send("abcd efgh-jkmn")
    await anna.wait_for("Haus Sonnenhof has invited you")
    await anna.press("English")
    await anna.wait_for("Do you agree?")
    await anna.press("Yes, I agree")
    await anna.wait_for("You are now connected with Frau M. at Haus Sonnenhof")
    assert await is_linked(anna, mother)


async def test_the_choice_continues_after_a_restart_between_the_steps(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    first = await start_bot()
    mother = await frau_m()
    await invitation(mother)
    anna = telegram.user("Anna", language_code="en")
    await anna.send(f"/start {CODE}")
    await anna.wait_for("has invited you")
    await first.stop()

    await start_bot()
    await anna.press("English")
    await anna.wait_for("Do you agree?")
    await anna.press("Yes, I agree")
    await anna.wait_for("You are now connected with Frau M.")


async def test_every_bad_code_gets_the_same_answer_that_reveals_nothing(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    home = await factories.home("sonnenhof")
    now = dt.datetime.now(dt.UTC)
    cases = {
        "unknown": None,
        "expired": {"expires_at": now - dt.timedelta(minutes=1)},
        "used up": {"uses": 1},
        "revoked": {"revoked_at": now},
        "moved out": {},
        "died": {},
    }
    answers = set()
    for number, (case, fields) in enumerate(cases.items()):
        code = f"ABCDEFGHJK{number + 2}{number + 2}"
        status = {"moved out": ResidentStatus.MOVED_OUT, "died": ResidentStatus.DECEASED}
        resident = await frau_m(home, status=status.get(case, ResidentStatus.ACTIVE))
        if fields is not None:
            await invitation(resident, code, **fields)
        relative = telegram.user(f"Relative {number}", language_code="en")
        await relative.send(f"/start {code}")
        answers.add((await relative.wait_for()).text)
        assert not await RelativeLink.exists()
    assert answers == {
        "Sorry, this code does not work. Please check it, or ask the care home for a new "
        "invitation."
    }


async def test_five_wrong_codes_lock_the_account_for_an_hour(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    await invitation(await frau_m())
    mallory = telegram.user("Mallory", language_code="de")
    for guess in ("AAAA-AAAA-AAAA", "BBBB BBBB BBBB", "CCCCCCCCCCCC", "DDDDDDDDDDDD"):
        await mallory.send(guess)
        await mallory.wait_for("funktioniert leider nicht")
    await mallory.send(f"/start {'E' * 12}")
    await mallory.wait_for("funktioniert leider nicht")

    await mallory.send(f"/start {CODE}")  # even the right code, now
    refusal = await mallory.wait_for("zu viele falsche Codes")
    assert re.search(r"in (59|60) Minuten", refusal.text)
    assert not await RelativeLink.exists()


async def test_declining_stores_nothing(telegram: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    await invitation(await frau_m())
    anna = telegram.user("Anna", language_code="en")
    await anna.send(f"/start {CODE}")
    await anna.wait_for("has invited you")
    await anna.press("English")
    await anna.wait_for("Do you agree?")
    await anna.press("No, thank you")
    await anna.wait_for("I have not connected you with anyone")

    assert not await RelativeLink.exists()
    assert (await Account.get(telegram_id=anna.id)).pending_invite_id is None
    assert (await Invite.get(code_hash=code_hash(CODE))).uses == 0


async def test_a_single_use_code_works_only_once(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    mother = await frau_m()
    await invitation(mother)
    anna = telegram.user("Anna", language_code="en")
    bert = telegram.user("Bert", language_code="en")
    for user in (anna, bert):  # both read the notice before either agrees
        await user.send(f"/start {CODE}")
        await user.wait_for("has invited you")
        await user.press("English")
        await user.wait_for("Do you agree?")

    await anna.press("Yes, I agree")
    await anna.wait_for("You are now connected with Frau M.")
    await bert.press("Yes, I agree")
    await bert.wait_for("this code does not work")
    assert not await is_linked(bert, mother)

    charlie = telegram.user("Charlie", language_code="en")
    await charlie.send(CODE)
    await charlie.wait_for("this code does not work")


async def test_a_relative_already_linked_is_told_so_kindly(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    mother = await frau_m()
    await invitation(mother, max_uses=5)
    anna = await factories.family_member(telegram, "Anna", mother, anytime=False, started=False)

    await anna.send(f"/start {CODE}")
    await anna.wait_for("You are already connected with Frau M. at Haus Sonnenhof")
    assert (await Invite.get(code_hash=code_hash(CODE))).uses == 0


async def test_ben_joins_the_team_with_a_staff_invite(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    home = await factories.home("sonnenhof")
    await Invite.create(
        code_hash=code_hash(CODE), kind=InviteKind.STAFF, facility=home, role=Role.APPROVER,
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=2),
    )
    ben = telegram.user("Ben", language_code="de")
    await ben.send(f"/start {CODE}")
    await ben.wait_for("Haus Sonnenhof")
    await ben.press("Deutsch")
    await ben.wait_for("Einverstanden?")
    await ben.press("Ja, einverstanden")
    welcome = await ben.wait_for("Willkommen im Team von Haus Sonnenhof")
    assert "Freigabe" in welcome.text
    role = await StaffRole.get(account__telegram_id=ben.id, facility=home)
    assert role.role == Role.APPROVER


async def test_a_relative_invites_her_brother_where_the_home_allows_it(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    mother = await frau_m(await factories.home("sonnenhof", relatives_may_invite=True))
    anna = await factories.family_member(telegram, "Anna", mother, anytime=False, started=False)

    await anna.send("/invitefamily")
    offer = await anna.wait_for("Here is an invitation for Frau M.")
    link = re.search(r"https://t\.me/heimbote_test_bot\?start=(\w+)", offer.text)
    assert link is not None

    tom = telegram.user("Tom", language_code="en")
    await tom.send(f"/start {link.group(1)}")
    await tom.wait_for("has invited you")
    await tom.press("English")
    await tom.wait_for("Do you agree?")
    await tom.press("Yes, I agree")
    await tom.wait_for("You are now connected with Frau M.")
    assert await is_linked(tom, mother)


async def test_family_invites_are_off_by_default(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    mother = await frau_m()
    anna = await factories.family_member(telegram, "Anna", mother, anytime=False, started=False)
    await anna.send("/invitefamily")
    await anna.wait_for("only when the care home has switched it on")
    assert await Invite.all().count() == 0
