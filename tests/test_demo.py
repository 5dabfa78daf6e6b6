"""``heimbote demo`` without a browser: the command, the seeded home, the page's API."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.demo.rendering import entities_html
from bot.demo.runner import Demo, DemoOptions
from bot.models import (
    Account,
    ConversationSetup,
    PhotoConsent,
    PhotoUpdate,
    PhotoUpdateState,
    RelativeLink,
    Resident,
    Review,
    ReviewState,
    Role,
    StaffRole,
)
from tests.conftest import free_port, heimbote_command


def test_entities_become_safe_html() -> None:
    text = "Hallo 👋 Anna, /settings <b> hier"
    entities = [
        {"type": "bold", "offset": 9, "length": 4},  # after 👋 (two UTF-16 units)
        {"type": "bot_command", "offset": 15, "length": 9},
        {"type": "text_link", "offset": 29, "length": 4, "url": "javascript:alert(1)"},
    ]
    shown = entities_html(text, entities)
    assert "<b>Anna</b>" in shown
    assert 'data-command="/settings"' in shown
    assert "&lt;b&gt;" in shown
    assert "javascript" not in shown


def test_wrongly_nested_entities_stay_balanced() -> None:
    shown = entities_html("abcdef", [
        {"type": "bold", "offset": 0, "length": 4},
        {"type": "italic", "offset": 2, "length": 4},
    ])
    assert shown == "<b>ab<i>cd</i></b><i>ef</i>"


@pytest.fixture
async def demo(database_url: str) -> AsyncIterator[Demo]:
    """The demo in this process, on the test database (one backend per test process)."""
    running = Demo(DemoOptions(port=0, fresh=True, database_url=database_url))
    await running.start()
    yield running
    await running.stop()


async def test_the_demo_home_is_seeded(demo: Demo) -> None:
    residents = await Resident.filter(facility_id=demo.home.facility_id).order_by("room")
    assert [r.display_name for r in residents] == [
        "Frau M.", "Herr K.", "Frau S.", "Herr B.", "Frau T."
    ]
    without = [r.display_name for r in residents if r.photo_consent != PhotoConsent.GRANTED]
    assert without == ["Herr B."]
    roles = {
        (await Account.get(id=held.account_id)).first_name: held.role
        for held in await StaffRole.filter(facility_id=demo.home.facility_id)
    }
    assert roles == {"Ben": Role.STAFF, "Carla": Role.ADMIN}
    assert demo.home.invite_link is not None
    assert demo.home.invite_link.startswith("https://t.me/heimbote_demo_bot?start=")
    for account in await Account.all():  # Ben, Carla and Anna (before she joins)
        assert account.quiet_from == account.quiet_until, "no quiet hours in the demo"
    setup = await ConversationSetup.get(facility_id=demo.home.facility_id)
    assert setup.group_chat_id == demo.cast.staff_group.id
    assert setup.group_title == "Team Sonnenhof"
    published = await Review.filter(facility_id=demo.home.facility_id,
                                    state=ReviewState.PUBLISHED).count()
    assert published == 3
    base = demo.url.removesuffix("/demo")
    async with aiohttp.ClientSession() as http, http.get(f"{base}/facilities/sonnenhof") as page:
        assert page.status == 200
        assert "vegetarisches Menü" in await page.text()  # the home's public reply


async def test_ben_has_posted_before_and_one_update_waits_for_carla(demo: Demo) -> None:
    states = [u.state for u in await PhotoUpdate.filter(
        facility_id=demo.home.facility_id).order_by("id")]
    assert states == [PhotoUpdateState.APPROVED, PhotoUpdateState.PENDING]
    note = await demo.cast.carla.wait_for("New photo update from Ben")
    assert "Singkreis am Nachmittag" in note.text
    assert note.button_texts[0] == "✅ Approve"
    photo = next(m for m in demo.cast.carla.messages if m.photo)
    assert demo.tg.file_bytes(photo.photo[-1]["file_id"]).startswith(b"\xff\xd8\xff")
    await demo.cast.ben.send("/myposts")
    await demo.cast.ben.wait_for("Your photo updates:")
    assert all("approved by Carla" not in m.text for m in demo.cast.ben.messages), \
        "the seeded history is not sent again"


async def test_the_page_acts_as_the_persona(demo: Demo) -> None:
    base = demo.url.removesuffix("/demo")
    async with aiohttp.ClientSession() as http:
        async with http.get(demo.url) as page:
            assert page.status == 200
            assert "Guided tour" in await page.text()
        code = demo.home.invite_link.rsplit("=", 1)[1]
        async with http.post(f"{base}/demo/api/send",
                             json={"persona": "anna", "text": f"/start {code}"}) as sent:
            assert sent.status == 200
        await demo.cast.anna.wait_for("Which language")
        async with http.get(f"{base}/demo/api/chat/anna") as chat:
            messages = (await chat.json())["messages"]
        language = next(m for m in messages if m["buttons"])
        row, column = next(
            (r, c) for r, row in enumerate(language["buttons"])
            for c, button in enumerate(row) if "English" in button["text"]
        )
        async with http.post(f"{base}/demo/api/press", json={
            "persona": "anna", "message_id": language["id"], "row": row, "column": column,
        }) as pressed:
            assert pressed.status == 200
        await demo.cast.anna.wait_for("Do you agree?")
        await demo.cast.anna.press("Yes, I agree")
        await demo.cast.anna.wait_for("You are now connected with Frau M.")
        async with http.post(f"{base}/demo/api/photos", data={
            "persona": "ben", "sample": "garden", "caption": "Im Garten"
        }) as photo:
            assert photo.status == 200
        async with http.get(f"{base}/demo/api/chat/ben") as chat:
            sent_photo = (await chat.json())["messages"][0]
        assert sent_photo["kind"] == "photo"
        async with http.get(f"{base}/demo/files/{sent_photo['file_id']}") as image:
            assert (await image.read()).startswith(b"\xff\xd8\xff")
        async with http.post(f"{base}/demo/api/send", json={"persona": "nobody", "text": "x"}) \
                as refused:
            assert refused.status == 404
        async with http.post(f"{base}/demo/api/send", json={"persona": "anna", "text": " "}) \
                as empty:
            assert empty.status == 400
        async with http.get(f"{base}/healthz") as health:  # the bot's own server, passed on
            assert (await health.json())["status"] == "ok"
    anna = await Account.get(telegram_id=demo.cast.anna.id)
    assert await RelativeLink.exists(account=anna, resident__display_name="Frau M.")


async def test_a_reused_demo_keeps_its_home_and_anna(database_url: str) -> None:
    options = DemoOptions(port=0, database_url=database_url)
    first = Demo(options)
    await first.start()
    try:
        await first.cast.anna.send(f"/start {first.home.invite_link.rsplit('=', 1)[1]}")
        await first.cast.anna.wait_for("Which language")
        await first.cast.anna.press("English")
        await first.cast.anna.wait_for("Do you agree?")
        await first.cast.anna.press("Yes, I agree")
        await first.cast.anna.wait_for("You are now connected")
    finally:
        await first.stop()
    again = Demo(options)
    await again.start()
    try:
        assert again.home.invite_link is None  # Anna is still connected
        assert await Resident.filter(facility_id=again.home.facility_id).count() == 5
        # The seeded photos are known to this run's stand-in for Telegram too.
        await again.cast.carla.send("/pending")
        await again.cast.carla.wait_for("1 photo update is waiting for approval")
        shown = await again.cast.carla.wait_for(lambda m: m.photo is not None)
        assert again.tg.file_bytes(shown.photo[-1]["file_id"]).startswith(b"\xff\xd8\xff")
        assert await PhotoUpdate.filter(facility_id=again.home.facility_id).count() == 2
    finally:
        await again.stop()


async def _first_line(process: asyncio.subprocess.Process) -> str:
    assert process.stdout is not None
    return (await asyncio.wait_for(process.stdout.readline(), timeout=60)).decode()


async def test_heimbote_demo_prints_one_url_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HEIMBOTE_")}
    process = await asyncio.create_subprocess_exec(
        *heimbote_command("demo", "--fresh", "--port", str(port)),
        cwd=tmp_path, env=environment,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        line = await _first_line(process)
        assert line == f"http://127.0.0.1:{port}/demo\n"
        async with aiohttp.ClientSession() as http, http.get(line.strip()) as page:
            assert page.status == 200
        process.send_signal(signal.SIGTERM)
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, stderr.decode()
    assert stdout == b"", "nothing printed after the URL"
    assert (tmp_path / "heimbote-demo.sqlite3").exists()
