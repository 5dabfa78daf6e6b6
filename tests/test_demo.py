"""``heimbote demo`` without a browser: the command, the seeded home, the page's API."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import os
import re
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
    Event,
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

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
HTML = b"<!doctype html><script>fetch('/demo/api/send')</script>"


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


async def page_token(http: aiohttp.ClientSession, demo: Demo) -> str:
    """The token the page's script sends with every action, read from the page as it does."""
    async with http.get(demo.url) as page:
        text = await page.text()
    found = re.search(r'<script id="config" type="application/json">(.*?)</script>', text, re.S)
    assert found is not None
    return str(json.loads(found.group(1))["token"])


def acting(token: str) -> dict[str, str]:
    """What the page's script adds to an action request."""
    return {"X-Demo-Token": token}


async def test_the_page_acts_as_the_persona(demo: Demo) -> None:
    base = demo.url.removesuffix("/demo")
    async with aiohttp.ClientSession() as http:
        async with http.get(demo.url) as page:
            assert page.status == 200
            assert "Guided tour" in await page.text()
        token = await page_token(http, demo)
        code = demo.home.invite_link.rsplit("=", 1)[1]
        async with http.post(f"{base}/demo/api/send", headers=acting(token),
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
        async with http.post(f"{base}/demo/api/press", headers=acting(token), json={
            "persona": "anna", "message_id": language["id"], "row": row, "column": column,
        }) as pressed:
            assert pressed.status == 200
        await demo.cast.anna.wait_for("Do you agree?")
        await demo.cast.anna.press("Yes, I agree")
        await demo.cast.anna.wait_for("You are now connected with Frau M.")
        async with http.post(f"{base}/demo/api/photos", headers=acting(token), json={
            "persona": "ben", "samples": ["garden"], "caption": "Im Garten"
        }) as photo:
            assert photo.status == 200
        async with http.get(f"{base}/demo/api/chat/ben") as chat:
            sent_photo = (await chat.json())["messages"][0]
        assert sent_photo["kind"] == "photo"
        async with http.get(f"{base}/demo/files/{sent_photo['file_id']}") as image:
            assert (await image.read()).startswith(b"\xff\xd8\xff")
        async with http.post(f"{base}/demo/api/send", headers=acting(token),
                             json={"persona": "nobody", "text": "x"}) as refused:
            assert refused.status == 404
        async with http.post(f"{base}/demo/api/send", headers=acting(token),
                             json={"persona": "anna", "text": " "}) as empty:
            assert empty.status == 400
        odd = [  # odd JSON is a 400 with a reason, never a 500
            ("send", {"persona": "team", "text": "Hallo", "speaker": 5}),
            ("press", {"persona": "anna", "message_id": language["id"], "row": "x",
                       "column": 0}),
            ("photos", {"persona": "ben", "samples": "garden"}),
            ("photos", {"persona": "ben", "upload": "garden.jpg"}),
        ]
        for action, body in odd:
            async with http.post(f"{base}/demo/api/{action}", headers=acting(token),
                                 json=body) as refused:
                assert refused.status == 400, body
                assert (await refused.json())["error"]
        async with http.get(f"{base}/healthz") as health:  # the bot's own server, passed on
            assert (await health.json())["status"] == "ok"
    anna = await Account.get(telegram_id=demo.cast.anna.id)
    assert await RelativeLink.exists(account=anna, resident__display_name="Frau M.")


async def test_another_site_cannot_act_through_the_page(demo: Demo) -> None:
    """A page elsewhere in the same browser (or a rebound DNS name) posts to the demo."""
    base = demo.url.removesuffix("/demo")
    send = f"{base}/demo/api/send"
    body = {"persona": "anna", "text": "/help"}
    async with aiohttp.ClientSession() as http:
        token = await page_token(http, demo)
        refusals = [
            http.post(send, json=body),  # no token
            http.post(send, json=body, headers=acting("guessed")),
            http.post(send, data=json.dumps(body), headers={  # a form a site can send
                **acting(token), "Content-Type": "text/plain"}),
            http.post(send, data=body, headers=acting(token)),
            http.post(f"{base}/demo/api/photos", data={"persona": "ben", "sample": "garden"},
                      headers=acting(token)),
            http.post(send, json=body, headers={**acting(token),
                                                "Origin": "http://evil.example"}),
            http.post(send, json=body, headers={**acting(token), "Origin": "null"}),
            http.post(send, json=body, headers={**acting(token),
                                                "Sec-Fetch-Site": "cross-site"}),
            http.post(send, json=body, headers={**acting(token),
                                                "Host": "evil.example:80"}),
        ]
        for request in refusals:
            async with request as refused:
                assert refused.status == 403
                assert refused.content_type == "application/json"
                assert (await refused.json())["error"]
        async with http.get(demo.url, headers={"Host": "rebound.example"}) as page:
            assert page.status == 403, "a rebound DNS name does not get the token"
        personas = demo.cast.personas
        assert personas["anna"].chat.chat.history == [], "nothing reached the bot"
        assert not [m for m in personas["ben"].chat.chat.history if m.photo and not m.from_bot]
        same_origin = {**acting(token), "Origin": base, "Sec-Fetch-Site": "same-origin"}
        async with http.post(send, json=body, headers=same_origin) as accepted:
            assert accepted.status == 200
    await demo.cast.anna.wait_for(lambda m: m.from_bot)
    assert Demo(demo.options).action_token != demo.action_token, "a new token each start"


async def _upload(http: aiohttp.ClientSession, demo: Demo, token: str,
                  name: str, mime_type: str, content: bytes) -> dict[str, object]:
    base = demo.url.removesuffix("/demo")
    upload = {"name": name, "type": mime_type, "content": base64.b64encode(content).decode()}
    async with http.post(f"{base}/demo/api/photos", headers=acting(token),
                         json={"persona": "ben", "upload": upload}) as sent:
        assert sent.status == 200, await sent.text()
    async with http.get(f"{base}/demo/api/chat/ben") as chat:
        mine = [m for m in (await chat.json())["messages"] if not m["from_bot"]]
    return dict(mine[-1])


async def test_files_are_served_as_what_they_are_never_as_a_page(demo: Demo) -> None:
    base = demo.url.removesuffix("/demo")
    async with aiohttp.ClientSession() as http:
        token = await page_token(http, demo)
        cases = [  # (name, type the browser claimed, bytes, type served)
            ("evil.html", "text/html", HTML, "application/octet-stream"),
            ("picture.svg", "image/svg+xml", b"<svg onload='x()'/>", "application/octet-stream"),
            ("not-a-page.html", "text/html", PNG, "image/png"),
            ("Brief an Frau M. \u201cneu\u201d.pdf", "application/pdf", PDF, "application/pdf"),
            ("voice.ogg", "text/html", b"OggS\x00\x02" + b"\x00" * 20, "audio/ogg"),
        ]
        for name, claimed, content, served in cases:
            sent = await _upload(http, demo, token, name, claimed, content)
            assert sent["kind"] == "document"
            for query in ("", "?download=1"):
                async with http.get(f"{base}/demo/files/{sent['file_id']}{query}") as file:
                    assert file.status == 200
                    assert file.content_type == served, name
                    assert file.headers["X-Content-Type-Options"] == "nosniff"
                    disposition = file.headers["Content-Disposition"]
                    assert disposition.startswith("attachment;"), name
                    assert disposition.isascii() and "\n" not in disposition
                    assert await file.read() == content
        photo = await _upload(http, demo, token, "me.png", "image/png", PNG)
        assert photo["kind"] == "photo"  # shown in the page: inline, but never as a page
        async with http.get(f"{base}/demo/files/{photo['file_id']}") as image:
            assert image.content_type == "image/png"
            assert "Content-Disposition" not in image.headers
            assert image.headers["X-Content-Type-Options"] == "nosniff"
        async with http.get(f"{base}/demo/files/{photo['file_id']}?download=1") as saved:
            assert saved.headers["Content-Disposition"].startswith("attachment;")
        async with http.get(f"{base}/demo/files/no-such-file") as missing:
            assert missing.status == 404
        too_big = base64.b64encode(b"\x00" * (10 * 1024 * 1024 + 1)).decode()
        body = io.BytesIO(json.dumps({  # a stream: aiohttp warns about large bytes
            "persona": "ben", "upload": {"name": "big.bin", "type": "", "content": too_big},
        }).encode())
        async with http.post(f"{base}/demo/api/photos", data=body, headers={
            **acting(token), "Content-Type": "application/json"}) as refused:
            assert refused.status == 400
        async with http.post(f"{base}/demo/api/photos", headers=acting(token), json={
            "persona": "ben", "upload": {"name": "x", "type": "", "content": "not base64!"},
        }) as refused:
            assert refused.status == 400


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


async def test_anna_books_a_visit_and_carla_sees_it(demo: Demo) -> None:
    assert demo.home.invite_link is not None
    anna, carla = demo.cast.anna, demo.cast.carla
    await anna.send(f"/start {demo.home.invite_link.rsplit('=', 1)[1]}")
    await anna.wait_for("Which language")
    await anna.press("English")
    await anna.wait_for("Do you agree?")
    await anna.press("Yes, I agree")
    await anna.wait_for("You are now connected")

    await anna.send("/visit")
    days = await anna.wait_for("When would you like to visit Frau M.?")
    await anna.press(days.button_texts[0])  # today or tomorrow: there are slots every day
    times = await anna.wait_for("at what time would you like to come?")
    await anna.press(times.button_texts[0])
    await anna.wait_for("How many people will come?")
    await anna.press("2")
    await anna.wait_for("Visit Frau M. at Haus Sonnenhof")
    await anna.press("✅ Book")
    confirmation = await anna.wait_for(lambda m: m.document is not None)
    assert confirmation.caption.startswith("✅ Your visit to Frau M. at Haus Sonnenhof is booked")
    assert "until 1 hour before the visit." in confirmation.caption  # the demo's lead time

    await carla.send("/visits")
    shown = await carla.wait_for("Visits at Haus Sonnenhof")
    assert "Rosengarten:" in shown.text and "Frau M. – Anna, 2 people" in shown.text


async def test_anna_signs_up_for_the_summer_party_and_carla_sees_it(demo: Demo) -> None:
    party = await Event.get(facility_id=demo.home.facility_id, title="Sommerfest")
    assert party.public and party.capacity == 40
    assert demo.home.invite_link is not None
    anna, carla = demo.cast.anna, demo.cast.carla
    await anna.send(f"/start {demo.home.invite_link.rsplit('=', 1)[1]}")
    await anna.wait_for("Which language")
    await anna.press("English")
    await anna.wait_for("Do you agree?")
    await anna.press("Yes, I agree")
    await anna.wait_for("You are now connected with Frau M.")

    await anna.send("/events")
    await anna.wait_for("Upcoming events")
    await anna.press("Sommerfest")
    await anna.wait_for("How many people are coming, including you?")
    await anna.press("2")
    confirmation = await anna.wait_for(lambda m: m.document is not None)
    assert confirmation.document is not None
    assert demo.tg.file_bytes(confirmation.document["file_id"]).startswith(b"BEGIN:VCALENDAR")

    await carla.send("/events")
    await carla.wait_for("Upcoming events")
    await carla.press("Sommerfest (2/40)")
    await carla.wait_for("• Anna: 2")
