"""Journey: everyone finds the commands of their own roles — in the menu, in /help, at /start.

Relatives have the default menu; Carla (admin) and Paula (approver) have menus of their own,
set when they join or their role changes, gone when it ends, and set again at every start-up.
Groups offer /linkgroup and /help; an empty chat says what the bot does, in every language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from bot.app import Heimbote
from bot.models import Account, Invite, InviteKind, Role
from bot.services.onboarding.invite_codes import code_hash
from tests import factories
from tests.conftest import CarlasHome
from tests.fakes import FakeTelegram

StartBot = Callable[..., Awaitable[Heimbote]]

RELATIVE = ["start", "message", "today", "visit", "events", "rate", "invitefamily",
            "language", "settings", "privacy", "mydata", "deleteme", "help"]
STAFF = ["start", "myposts", "today", "visits", "events",
         "language", "settings", "privacy", "mydata", "deleteme", "help"]
APPROVER = ["start", "myposts", "today", "visits", "events", "pending", "callus",
            "language", "settings", "privacy", "mydata", "deleteme", "help"]
ADMIN = ["start", "myposts", "today", "visits", "events", "pending", "callus",
         "residents", "invite", "staff", "facility", "broadcast", "broadcasts", "report",
         "complaints", "reviews", "linkgroup",
         "language", "settings", "privacy", "mydata", "deleteme", "help"]


def chat(user: Any) -> dict[str, Any]:
    return {"type": "chat", "chat_id": user.id}


def menu(telegram: FakeTelegram, user: Any | None = None, language: str = "") -> list[str]:
    return list(telegram.commands(language, chat(user) if user else None))


def listed(text: str) -> list[str]:
    """The commands a /help text lists, one per line, in order."""
    return [line.split(" ")[0][1:] for line in text.splitlines() if line.startswith("/")]


async def test_start_up_sets_every_menu_and_says_what_the_bot_does(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    first = await start_bot()
    home = await factories.home("sonnenhof", name="Haus Sonnenhof")
    carla = await factories.team_member(telegram, home, "Carla", Role.ADMIN)
    paula = await factories.team_member(telegram, home, "Paula", Role.APPROVER, locale="de")
    nina = await factories.team_member(telegram, home, "Nina", Role.STAFF)
    await first.stop()
    telegram.command_sets.clear()

    await start_bot()
    assert menu(telegram) == RELATIVE and menu(telegram, language="de") == RELATIVE
    assert telegram.commands("de")["visit"] == "Besuch buchen"
    groups = {"type": "all_group_chats"}
    assert list(telegram.commands("", groups)) == list(telegram.commands("en", groups)) == [
        "linkgroup", "help"]
    assert menu(telegram, carla) == ADMIN  # restored at start-up
    assert menu(telegram, paula) == APPROVER
    assert telegram.commands("", chat(paula))["pending"] == "Fotogrüße, die auf Freigabe warten"
    for language in ("", "de", "en"):
        description = telegram.bot_texts[("description", language)]
        short = telegram.bot_texts[("short_description", language)]
        assert 0 < len(description) <= 512 and 0 < len(short) <= 120
    assert "Pflegeheim" in telegram.bot_texts[("short_description", "de")]

    assert menu(telegram, nina) == STAFF
    await nina.send("/deleteme")
    await nina.wait_for("Shall I delete everything about you?")
    await nina.press("Yes, delete everything")
    await nina.wait_for("Everything about you has been deleted.")
    assert menu(telegram, nina) == []  # her own menu went with her data


async def test_menus_follow_joining_role_changes_and_removal(
    telegram: FakeTelegram, carlas_home: CarlasHome
) -> None:
    sonnenhof, carla, _ = carlas_home
    await Invite.create(
        code_hash=code_hash("ABCDEFGHJKMN"), kind=InviteKind.STAFF, facility=sonnenhof,
        role=Role.STAFF, expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=2),
    )
    ben = telegram.user("Ben", language_code="en")
    await ben.send("/start ABCDEFGHJKMN")
    await ben.wait_for("Haus Sonnenhof")
    await ben.press("English")
    await ben.press("Yes, I agree")
    await ben.wait_for("Welcome to the team of Haus Sonnenhof")
    assert menu(telegram, ben) == STAFF

    await carla.send("/staff")
    await carla.wait_for("2 people work with me here.")
    await carla.press("Ben · Care staff")
    await carla.wait_for("Ben is: Care staff.")
    await carla.press("Approver")
    await carla.wait_for(lambda m: "Ben · Approver" in m.button_texts)
    assert menu(telegram, ben) == APPROVER
    await carla.press("Ben · Approver")
    await carla.wait_for("Ben is: Approver.")
    await carla.press("Remove from the team")
    await carla.wait_for("Remove Ben from the team of Haus Sonnenhof?")
    assert (await carla.press("Yes, remove")).text == "Removed from the team."
    assert menu(telegram, ben) == []  # back to the default menu


async def test_help_lists_exactly_the_commands_of_each_role(
    telegram: FakeTelegram, carlas_home: CarlasHome
) -> None:
    sonnenhof, carla, _ = carlas_home
    mother = await factories.resident(sonnenhof, "Frau M.")
    anna = await factories.family_member(telegram, "Anna", mother)
    paula = await factories.team_member(telegram, sonnenhof, "Paula", Role.APPROVER)
    nurse = await factories.team_member(telegram, sonnenhof, "Nina", Role.STAFF)
    both = await factories.family_member(telegram, "Sara", mother)
    await factories.with_role(both, sonnenhof, Role.STAFF)
    expected = {anna: RELATIVE, paula: APPROVER, nurse: STAFF, carla: ADMIN,
                both: [*RELATIVE, "myposts", "visits"]}
    for user, commands in expected.items():
        await user.send("/help")
        shown = await user.wait_for(lambda m: m.text.startswith("Here is what I can do"))
        assert sorted(listed(shown.text)) == sorted(commands), user.first_name
        assert ("For the care team:" in shown.text) == (user is not anna)
    relatives = (await anna.wait_for("/rate")).text
    assert "/rate – Rate the care home" in relatives
    assert "/invitefamily – Invite someone from your family" in relatives


async def test_a_connected_relative_gets_her_status_at_start(
    telegram: FakeTelegram, carlas_home: CarlasHome
) -> None:
    mother = await factories.resident(carlas_home.facility, "Frau M.")
    anna = await factories.family_member(telegram, "Anna", mother)
    await anna.send("/start")
    status = await anna.wait_for("You are connected with")
    assert "Frau M. at Haus Sonnenhof" in status.text and "/today" in status.text
    assert not status.button_texts
    assert not any("Which language" in m.text for m in anna.messages)


async def test_choosing_a_language_in_the_settings_stays_in_the_settings(
    telegram: FakeTelegram, carlas_home: CarlasHome
) -> None:
    _, carla, carla_account = carlas_home
    await carla.send("/settings")
    await carla.wait_for(lambda m: "Language: English" in m.button_texts)
    await carla.press("Language: English")
    picker = await carla.wait_for(lambda m: "Deutsch" in m.button_texts)
    assert "Back" in picker.button_texts
    answer = await carla.press("Deutsch")
    assert answer.text == "Sprache geändert."
    settings = await carla.wait_for(lambda m: "Sprache: Deutsch" in m.button_texts)
    assert settings.message_id == picker.message_id  # the same screen, now in German
    assert not any("Das kann ich für Sie tun" in m.text for m in carla.messages)
    assert (await Account.get(id=carla_account.id)).locale == "de"
    assert telegram.commands("", chat(carla))["staff"] == "Das Team und seine Rollen"
