"""The HTTP side: ``POST /bot{token}/{method}`` and ``GET /file/bot{token}/{path}``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.sandbox.telegram.api_errors import ApiError
from bot.sandbox.telegram.method_registry import find_method
from bot.sandbox.telegram.request_params import read_api_request

if TYPE_CHECKING:
    from bot.sandbox.telegram.fake_telegram import FakeTelegram

_TOKEN_SHAPE = re.compile(r"[0-9]+:[A-Za-z0-9_-]+")
_MAX_REQUEST_BYTES = 60 * 1024 * 1024


def _error_response(error: ApiError) -> web.Response:
    return web.json_response(error.envelope(), status=error.status)


def _client_gone(request: web.Request) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing()


_NOT_FOUND = ApiError(404, "Not Found")
_UNAUTHORIZED = ApiError(401, "Unauthorized")


class BotApiServer:
    """An aiohttp server on a free local port answering like api.telegram.org."""

    def __init__(self, tg: FakeTelegram, host: str) -> None:
        self._tg = tg
        self._host = host
        self._runner: web.AppRunner | None = None
        self.root = ""

    async def start(self) -> None:
        """Listen on ``host`` and a random free port."""
        app = web.Application(client_max_size=_MAX_REQUEST_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.root = f"http://{host}:{port}"

    async def close(self) -> None:
        """Stop listening and finish open requests."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def _token_error(self, token: str) -> ApiError | None:
        if not _TOKEN_SHAPE.fullmatch(token):
            return _NOT_FOUND
        if token != self._tg.token:
            return _UNAUTHORIZED
        return None

    async def _handle_method(self, request: web.Request) -> web.Response:
        token_error = self._token_error(request.match_info["token"])
        if token_error is not None:
            return _error_response(token_error)
        found = find_method(request.match_info["method"])
        if found is None:
            return _error_response(_NOT_FOUND)
        name, handler = found
        try:
            call = await read_api_request(request)
        except ApiError as error:
            self._tg.record_error(name, {}, error)
            return _error_response(error)
        self._tg.record_call(name, call.params)
        self._tg.call_started(name)
        try:
            await self._tg.faults.apply(name)
            result: Any = await handler(self._tg, call)
            await self._tg.faults.after(name)  # done, but the answer may get lost
        except ApiError as error:
            # A long poll superseded after the bot hung up (e.g. at shutdown) was seen by no one.
            if not _client_gone(request):
                self._tg.record_error(name, call.params, error)
            return _error_response(error)
        finally:
            self._tg.call_ended(name)
        self._tg.signal.notify()
        return web.json_response({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        token_error = self._token_error(request.match_info["token"])
        if token_error is not None:
            return _error_response(token_error)
        stored = self._tg.files.by_path(request.match_info["file_path"])
        if stored is None:
            return _error_response(_NOT_FOUND)
        content_type = stored.mime_type or "application/octet-stream"
        return web.Response(body=stored.content, content_type=content_type)
