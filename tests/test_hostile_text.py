"""Control characters and invisible text, as a careless or hostile user types them.

They are taken out where text enters (the services), so the public feed stays well-formed XML
and what relatives read is what was meant; a name that cannot be read safely is refused, in
Telegram and on the command line alike, and nothing changes.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import feedparser
import pytest

from bot.app import Heimbote
from bot.domain.errors import InvalidInput
from bot.models import Delivery, Resident, Review, Role
from bot.services import announcements
from bot.services.accounts import account_for
from bot.services.accounts.actors import Actor
from bot.services.accounts.facilities import create_facility, update_facility
from bot.services.accounts.residents import add_resident, import_residents
from bot.services.reviews import complaints
from tests import factories
from tests.conftest import heimbote_command
from tests.fakes import FakeTelegram
from tests.public_server import public_client
from tests.rating_homes import rate, sonnenhof

StartBot = Callable[..., Awaitable[Heimbote]]
CLI = Actor.cli()


async def test_a_comment_with_escape_codes_keeps_the_feed_well_formed(db: str) -> None:
    home = await sonnenhof()
    await update_facility(CLI, home.facility.id, name="Haus\x0b Sonnenhof\x01")
    review = await rate(home.anna, home.facility, 4, comment="Liebe\x1b[31m Pflege\x0b\nDanke")
    await complaints.reply(home.admin, review.id, "Herzlichen\x1b Dank\x00!")

    async with public_client() as http:
        response = await http.get("/facilities/sonnenhof/feed.atom?lang=de")
        assert response.status == 200
        feed: Any = feedparser.parse(await response.read())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Bewertungen von Haus Sonnenhof"
    (entry,) = feed.entries
    assert "Liebe[31m Pflege" in entry.summary and "Danke" in entry.summary
    assert "Herzlichen Dank!" in entry.summary
    stored = await Review.get(id=review.id)
    assert stored.comment == "Liebe[31m Pflege\nDanke"


async def test_an_announcement_goes_out_without_the_vertical_tab(db: str) -> None:
    facility = await factories.home("linden")
    carla = Actor.of(await factories.staff("Carla", facility, Role.ADMIN, locale="de"),
                     frozenset())
    anna = await factories.account("Anna", locale="de")
    await factories.link(anna, await factories.resident(facility, "Frau M."))

    bold = [{"type": "bold", "offset": 10, "length": 8}]  # "Samstag\x0b" after "Sommerfest"
    draft = await announcements.draft(carla, facility.id, "Sommerfest\x0bSamstag\x0b!", bold)
    await announcements.confirm(carla, draft.id)

    (row,) = await Delivery.filter(reference=str(draft.id))
    assert row.content["text"] == "SommerfestSamstag!"
    assert row.content["entities"] == [{"type": "bold", "offset": 10, "length": 7}]


async def test_an_invisible_announcement_is_refused(db: str) -> None:
    facility = await factories.home("linden")
    carla = Actor.of(await factories.staff("Carla", facility, Role.ADMIN), frozenset())
    with pytest.raises(InvalidInput) as refused:
        await announcements.draft(carla, facility.id, "\x0b\x1b \u200b")
    assert refused.value.field == "text"


@pytest.mark.parametrize("name", ["\u202eevil", "Anna\x00", "\u200b\u200b", "\u3164"])
async def test_the_service_refuses_unreadable_resident_names(db: str, name: str) -> None:
    facility = await create_facility(CLI, slug="sonnenhof", name="Haus Sonnenhof")
    with pytest.raises(InvalidInput) as refused:
        await add_resident(CLI, facility.id, display_name=name, room="12")
    assert refused.value.field == "name"
    assert not await Resident.exists()


async def test_a_csv_import_with_a_reversed_name_imports_nothing(db: str) -> None:
    facility = await create_facility(CLI, slug="sonnenhof", name="Haus Sonnenhof")
    csv_text = "name;room\nHerr K.;14\n\u202eevil;15\n"
    with pytest.raises(InvalidInput) as refused:
        await import_residents(CLI, facility.id, csv_text)
    assert refused.value.field == "line 3"
    assert not await Resident.exists()
    # Control characters are no text a spreadsheet writes: the file is refused as a whole
    # (tests/test_cli_admin.py), not cleaned line by line.


async def test_a_first_name_from_telegram_is_kept_without_its_controls(db: str) -> None:
    account = await account_for(700_000_009, "Anna\u202e\x1b\nB.")
    assert account.first_name == "Anna B."
    assert (await account_for(700_000_009, "\u200bDora")).first_name == "Dora"


def heimbote(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HEIMBOTE_")}
    return subprocess.run(
        heimbote_command(*args),
        cwd=cwd, env=clean, capture_output=True, text=True, timeout=60, check=False,
    )


def test_the_command_line_refuses_a_name_that_turns_around(tmp_path: Path) -> None:
    added = heimbote(tmp_path, "facility", "add", "--slug", "sonnenhof", "--name", "Sonnenhof")
    assert added.returncode == 0, added.stderr

    refused = heimbote(tmp_path, "resident", "add", "--facility", "sonnenhof",
                       "--name", "\u202eevil", "--room", "12")
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [
        "heimbote: name: contains characters that reverse the text's direction"
    ]
    listed = heimbote(tmp_path, "resident", "list", "--facility", "sonnenhof", "--json")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.strip() == "[]"


async def test_carla_cannot_name_a_resident_backwards_in_telegram(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    facility = await create_facility(CLI, slug="sonnenhof", name="Haus Sonnenhof")
    frau_m = await add_resident(CLI, facility.id, display_name="Frau M.", room="12")
    carla = telegram.user("Carla", language_code="en")
    await factories.with_role(carla, facility, Role.ADMIN)

    await carla.send("/residents")
    await carla.wait_for(lambda m: "Frau M. · room 12" in m.button_texts)
    await carla.press("Frau M. · room 12")
    await carla.press("Edit name")
    await carla.wait_for("Please type the new name for Frau M.")
    await carla.send("\u202eevil")
    await carla.wait_for("without invisible characters or characters that turn")
    await frau_m.refresh_from_db()
    assert frau_m.display_name == "Frau M."

    await carla.send("Frau\x1b Müller")  # still asked: the next name is taken, cleaned
    await carla.wait_for(lambda m: m.text.startswith("Frau Müller\n"))
    await frau_m.refresh_from_db()
    assert frau_m.display_name == "Frau Müller"


async def test_a_new_residents_backwards_name_is_refused_before_the_room_is_asked(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    facility = await create_facility(CLI, slug="sonnenhof", name="Haus Sonnenhof")
    carla = telegram.user("Carla", language_code="en")
    await factories.with_role(carla, facility, Role.ADMIN)

    await carla.send("/residents")
    await carla.wait_for("0 residents live here.")
    await carla.press("➕ Add a resident")
    await carla.wait_for("Please type the resident's name")
    await carla.send("\u202eevil")
    refused = await carla.wait_for("without invisible characters or characters that turn")
    assert "Which room" not in refused.text
    await carla.send("Frau M.")  # still asked for the name
    await carla.wait_for("Which room does Frau M. live in?")
    await carla.send("12")
    await carla.wait_for(lambda m: m.text.startswith("Frau M.\nRoom: 12"))
