"""The demo's web server: the page ``/demo``, its JSON and live events, files, and the bot's
own web pages passed through.

Everything is on one port. The fake Bot API listens on a second, internal port (the bot talks
to it like to api.telegram.org), and the bot's web server (health, metrics, public review
pages and API) on a third; requests the demo does not answer itself are passed on to it, so
``/facilities/sonnenhof`` and ``/api/…`` work from the page's address.

The demo listens on localhost, but any web site open in the same browser can send requests
there. So the demo answers only under its own addresses (no rebound DNS name gets the page),
and an action is taken only from a same-origin JSON request that carries the token this start
of the demo put into the page. Files people upload are served as what their bytes show, as
downloads: never as a page of the demo's origin.

Why past 300 lines: the routes and the guard in front of them are read together — which
request may do what is the point of this module; the page's helpers are beside it.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import html
import json
import re
from collections.abc import Awaitable, Callable
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web

from bot.demo import actions, live_events
from bot.demo.cast import Persona
from bot.demo.chrome import chrome_in, tour_in
from bot.demo.files import IMAGE_TYPES, attachment, sniffed_type
from bot.demo.rendering import message_view
from bot.sandbox.telegram.sample_media import SAMPLE_PHOTO_NAMES, sample_photos
from bot.services import wellbeing

if TYPE_CHECKING:
    from bot.demo.runner import Demo

DEMO_KEY: web.AppKey[Demo] = web.AppKey("demo")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES * 4 // 3 + 64 * 1024  # an upload arrives in base64
TOKEN_HEADER = "X-Demo-Token"
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
STATIC = {"demo.css": "text/css", "demo.js": "text/javascript", "favicon.svg": "image/svg+xml"}
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_PASSED_HEADERS = ("content-type", "etag", "cache-control", "last-modified", "location")


def _static(name: str) -> bytes:
    return (files("bot.demo") / "static" / name).read_bytes()


def page_config(demo: Demo) -> dict[str, Any]:
    """What the page's script needs: words, personas, tour, links."""
    language = demo.options.language
    chrome = chrome_in(language)
    personas = [
        {
            "key": persona.key,
            "name": persona.name,
            "role": chrome[f"{persona.key}_role"],
            "group": persona.is_group,
            "speakers": [user.first_name for user in persona.speakers],
        }
        for persona in demo.cast.personas.values()
    ]
    return {
        "lang": language,
        "chrome": chrome,
        "tour": tour_in(language),
        "personas": personas,
        "bot": {"name": demo.tg.bot_name, "username": demo.tg.bot_username},
        "invite": demo.home.invite_link if demo.home else None,
        "links": {
            "review_page": f"/facilities/{demo.home.slug if demo.home else 'sonnenhof'}",
            "api": "/api/v1/facilities",
            "health": "/healthz",
        },
        "samples": list(SAMPLE_PHOTO_NAMES),
        "token": demo.action_token,
    }


async def page(request: web.Request) -> web.Response:
    """``GET /demo``: the page, its words filled in on the server (no build step)."""
    demo = request.app[DEMO_KEY]
    config = page_config(demo)
    chrome = config["chrome"]

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key == "config":  # inside <script>: "</" must not end it
            return json.dumps(config, ensure_ascii=False).replace("</", "<\\/")
        if key == "lang":
            return str(config["lang"])
        return html.escape(chrome[key])

    text = _PLACEHOLDER.sub(fill, _static("demo.html").decode("utf-8"))
    response = web.Response(text=text, content_type="text/html", charset="utf-8")
    response.headers["Cache-Control"] = "no-store"  # it holds this start's token
    return response


async def static(request: web.Request) -> web.Response:
    """The page's CSS and script."""
    name = request.match_info["name"]
    if name not in STATIC:
        raise web.HTTPNotFound()
    return web.Response(body=_static(name), content_type=STATIC[name], charset="utf-8")


async def favicon(request: web.Request) -> web.Response:
    """``/favicon.ico``, which browsers ask for by themselves: the page's icon."""
    return web.Response(body=_static("favicon.svg"), content_type="image/svg+xml")


async def sample(request: web.Request) -> web.Response:
    """A sample photo, for the picker."""
    found = {photo.name: photo.content for photo in sample_photos()}
    content = found.get(request.match_info["name"])
    if content is None:
        raise web.HTTPNotFound()
    return web.Response(body=content, content_type="image/jpeg")


async def file(request: web.Request) -> web.Response:
    """Any file the fake Telegram knows, by file_id, with the type its bytes show.

    A photo the page shows is an image inline; everything else (and ``?download=1``) is a
    download. The type someone claimed on upload is never used: an "image" that is HTML would
    otherwise run as a page of the demo.
    """
    stored = request.app[DEMO_KEY].tg.files.get(request.match_info["file_id"])
    if stored is None:
        raise web.HTTPNotFound()
    content_type = sniffed_type(stored.content)
    response = web.Response(body=stored.content, content_type=content_type)
    shown_in_page = stored.kind == "photo" and content_type in IMAGE_TYPES
    if request.query.get("download") or not shown_in_page:
        name = stored.file_name or stored.file_path.rsplit("/", 1)[-1]
        response.headers["Content-Disposition"] = attachment(name)
    return response


def _persona(request: web.Request, key: str | None = None) -> Persona:
    personas = request.app[DEMO_KEY].cast.personas
    persona = personas.get(key or request.match_info.get("persona", ""))
    if persona is None:
        raise web.HTTPNotFound()
    return persona


async def chat(request: web.Request) -> web.Response:
    """``GET /demo/api/chat/{persona}``: the chat as the persona's Telegram shows it."""
    demo = request.app[DEMO_KEY]
    persona = _persona(request)
    messages = [
        message_view(m) for m in persona.chat.chat.history if not m.deleted and not m.is_service
    ]
    answers = [
        {"id": p.query.query_id, "text": p.query.answer.text or "",
         "alert": p.query.answer.show_alert}
        for p in demo.presses
        if p.persona == persona.key and p.query.answer is not None
    ]
    latest = {
        key: max((m.version for m in other.chat.chat.bot_messages()), default=0)
        for key, other in demo.cast.personas.items()
    }
    return web.json_response({"messages": messages, "answers": answers, "latest": latest})


def _acting(
    handler: Callable[[web.Request], Awaitable[web.Response]],
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """Turn a refused action into a 400 with its reason."""

    async def run(request: web.Request) -> web.Response:
        try:
            return await handler(request)
        except actions.BadAction as error:
            return web.json_response({"error": str(error)}, status=400)

    return run


async def _json_body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise actions.BadAction("send JSON") from None
    if not isinstance(body, dict):
        raise actions.BadAction("send a JSON object")
    return body


@_acting
async def send(request: web.Request) -> web.Response:
    """``POST /demo/api/send``: ``{persona, text, speaker?, reply_to?}``."""
    body = await _json_body(request)
    persona = _persona(request, str(body.get("persona", "")))
    speaker = actions.speaker_of(persona, body.get("speaker"))
    reply_to = actions.message_in(persona, body.get("reply_to"))
    await actions.send_text(persona, speaker, str(body.get("text", "")), reply_to)
    return web.json_response({"ok": True})


@_acting
async def press(request: web.Request) -> web.Response:
    """``POST /demo/api/press``: ``{persona, message_id, row, column, speaker?}``."""
    demo = request.app[DEMO_KEY]
    body = await _json_body(request)
    persona = _persona(request, str(body.get("persona", "")))
    speaker = actions.speaker_of(persona, body.get("speaker"))
    message = actions.message_in(persona, body.get("message_id"))
    if message is None:
        raise actions.BadAction("which message?")
    row, column = body.get("row"), body.get("column")
    if not isinstance(row, int) or not isinstance(column, int):
        raise actions.BadAction("row and column: whole numbers")
    pressed = actions.press(demo.tg, persona, speaker, message, row, column)
    demo.presses.append(pressed)
    return web.json_response({"ok": True, "query_id": pressed.query.query_id})


@_acting
async def digest(request: web.Request) -> web.Response:
    """``POST /demo/api/digest``: the evening digests of today's notes, now (not at 18:00)."""
    await _json_body(request)
    sent = await wellbeing.send_digests(ignore_time=True)
    return web.json_response({"ok": True, "sent": sent})


def _upload(value: Any) -> tuple[str, str, bytes]:
    """``{name, type, content}`` (content in base64) as the name, claimed type and bytes."""
    if not isinstance(value, dict):
        raise actions.BadAction("upload: send {name, type, content}")
    try:
        content = base64.b64decode(str(value.get("content", "")), validate=True)
    except (binascii.Error, ValueError):
        raise actions.BadAction("upload: content must be base64") from None
    if len(content) > MAX_UPLOAD_BYTES:
        raise actions.BadAction("upload: files up to 10 MB")
    name = str(value.get("name") or "file")[:255]
    return name, str(value.get("type") or "application/octet-stream")[:255], content


@_acting
async def photos(request: web.Request) -> web.Response:
    """``POST /demo/api/photos``: ``{persona, samples: [name…] | upload: {name, type,
    content}, caption?, speaker?, reply_to?}`` (an upload's content in base64)."""
    body = await _json_body(request)
    persona = _persona(request, str(body.get("persona", "")))
    speaker = actions.speaker_of(persona, body.get("speaker"))
    reply_to = actions.message_in(persona, body.get("reply_to"))
    caption = str(body.get("caption") or "").strip() or None
    if body.get("upload") is not None:
        upload = _upload(body["upload"])
        await actions.send_upload(persona, speaker, upload, caption, reply_to)
    else:
        samples = body.get("samples")
        names = [str(name) for name in samples] if isinstance(samples, list) else []
        contents = actions.samples_named(names)
        await actions.send_photos(persona, speaker, contents, caption, reply_to)
    return web.json_response({"ok": True})


async def events(request: web.Request) -> web.StreamResponse:
    """``GET /demo/api/events``: Server-Sent Events, one whenever the fake Telegram changed."""
    return await live_events.stream_changes(request, request.app[DEMO_KEY])


async def pass_to_bot(request: web.Request) -> web.StreamResponse:
    """Everything else goes to the bot's own web server (review pages, API, health)."""
    demo = request.app[DEMO_KEY]
    target = f"{demo.bot_web_root}{request.rel_url}"
    headers = {k: v for k, v in request.headers.items() if k.lower() in ("accept",
               "accept-language", "if-none-match", "last-event-id", "content-type")}
    try:
        upstream = await demo.http.request(
            request.method, target, headers=headers, data=await request.read(),
            allow_redirects=False,
        )
    except aiohttp.ClientError:
        raise web.HTTPBadGateway(text="the bot's web server does not answer") from None
    async with upstream:
        response = web.StreamResponse(status=upstream.status)
        for name in _PASSED_HEADERS:
            if name in upstream.headers:
                response.headers[name] = upstream.headers[name]
        await response.prepare(request)
        async for chunk in upstream.content.iter_any():
            await response.write(chunk)
        await response.write_eof()
        return response


def _our_hosts(demo: Demo) -> set[str]:
    """The ``Host`` values the demo answers to: its loopback names and its address."""
    listening = demo.options.host
    names = {*_LOOPBACK_NAMES, f"[{listening}]" if ":" in listening else listening}
    return {f"{name}:{demo.port}" for name in names}


def _refused(reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=403)


def _action_refusal(request: web.Request, demo: Demo) -> str | None:
    """Why this action may not come from the page, or ``None`` when it may."""
    given = request.headers.get(TOKEN_HEADER, "").encode("utf-8", "replace")
    if not hmac.compare_digest(given, demo.action_token.encode()):
        return "this page is out of date: reload it"
    if request.content_type != "application/json":
        return "send JSON (Content-Type: application/json)"
    origin = request.headers.get("Origin")
    if origin is not None and origin != f"{request.scheme}://{request.host}":
        return "only the demo's own page may act"
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return "only the demo's own page may act"
    return None


@web.middleware
async def only_the_page(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Answer only under the demo's own addresses; act only for the page (403 otherwise)."""
    demo = request.app[DEMO_KEY]
    if request.host not in _our_hosts(demo):
        return _refused(f"open the demo at {demo.url or 'its own address'}")
    if request.method == "POST" and request.path.startswith("/demo/api/"):
        reason = _action_refusal(request, demo)
        if reason is not None:
            return _refused(reason)
    return await handler(request)


async def _no_sniffing(request: web.Request, response: web.StreamResponse) -> None:
    response.headers["X-Content-Type-Options"] = "nosniff"


def build_demo_app(demo: Demo) -> web.Application:
    """The demo's aiohttp application."""
    app = web.Application(client_max_size=MAX_REQUEST_BYTES, middlewares=[only_the_page])
    app.on_response_prepare.append(_no_sniffing)
    app[DEMO_KEY] = demo
    app.router.add_get("/", home)
    app.router.add_get("/demo", page)
    app.router.add_get("/favicon.ico", favicon)
    app.router.add_get("/demo/static/{name}", static)
    app.router.add_get("/demo/samples/{name}.jpg", sample)
    app.router.add_get("/demo/files/{file_id}", file)
    app.router.add_get("/demo/api/chat/{persona}", chat)
    app.router.add_get("/demo/api/events", events)
    app.router.add_post("/demo/api/send", send)
    app.router.add_post("/demo/api/press", press)
    app.router.add_post("/demo/api/photos", photos)
    app.router.add_post("/demo/api/digest", digest)
    app.router.add_route("*", "/{tail:.*}", pass_to_bot)
    return app


async def home(request: web.Request) -> web.Response:
    """``/`` leads to the page."""
    raise web.HTTPFound("/demo")
