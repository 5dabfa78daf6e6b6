"""``FakeTelegram``: a Bot API server over real HTTP that plays the users in a test story.

Why past 300 lines: this is the facade tests and the demo hold — users, groups, faults, limits
and what was recorded are reached through it; the work itself is in the modules beside it.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any, NamedTuple

from bot.sandbox.telegram.api_errors import ApiError
from bot.sandbox.telegram.bot_api_server import BotApiServer
from bot.sandbox.telegram.callbacks import CallbackBook, CallbackQuery
from bot.sandbox.telegram.chats import ChatRegistry, ChatState
from bot.sandbox.telegram.faults import FaultPlan
from bot.sandbox.telegram.files import FileStore
from bot.sandbox.telegram.groups import FakeGroup
from bot.sandbox.telegram.incoming import membership_update
from bot.sandbox.telegram.messages import FakeMessage
from bot.sandbox.telegram.methods_bot import command_scope_key
from bot.sandbox.telegram.people import FakeUser
from bot.sandbox.telegram.rate_limits import RateLimiter, RateLimits, Throttle, throttle_error
from bot.sandbox.telegram.signals import ChangeSignal
from bot.sandbox.telegram.update_queue import UpdateQueue
from bot.sandbox.telegram.uploads import UploadedFile
from bot.sandbox.telegram.webhook import WebhookDelivery, WebhookSender

HasChatId = int | FakeUser | FakeGroup


class ApiCall(NamedTuple):
    """One Bot API call the bot made: ``(method, params)``."""

    method: str
    params: dict[str, Any]


class ApiFailure(NamedTuple):
    """A call the fake refused, with Telegram's answer."""

    method: str
    params: dict[str, Any]
    error_code: int
    description: str


class FakeTelegram:
    """The fake Telegram: HTTP Bot API for the bot, story-telling API for the test."""

    def __init__(
        self,
        token: str = "123456:TEST",
        *,
        bot_username: str = "heimbote_test_bot",
        bot_name: str = "Heimbote",
        limits: RateLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
        privacy_mode: bool = True,
        host: str = "127.0.0.1",
        webhook_attempts: int = 3,
    ) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.bot_name = bot_name
        self.privacy_mode = privacy_mode
        self.signal = ChangeSignal()
        self.chats = ChatRegistry()
        self.files = FileStore()
        self.updates = UpdateQueue()
        self.callbacks = CallbackBook()
        self.faults = FaultPlan()
        self.limiter = RateLimiter(limits or RateLimits(), clock)
        self.webhook = WebhookSender(self.updates, self.signal.notify, attempts=webhook_attempts)
        self.users: dict[int, FakeUser] = {}
        self.command_sets: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.bot_texts: dict[tuple[str, str], str] = {}
        self.calls: list[ApiCall] = []
        # Requests being answered right now, and the most there ever were at once, per method.
        self.in_flight: Counter[str] = Counter()
        self.most_in_flight: Counter[str] = Counter()
        self.errors: list[ApiFailure] = []
        self.uploads: list[UploadedFile] = []
        self.throttled: list[Throttle] = []
        self._server = BotApiServer(self, host)

    # --- lifecycle -------------------------------------------------------------------------

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def start(self) -> None:
        """Start listening on a free port."""
        await self._server.start()

    async def close(self) -> None:
        """Release long polls, stop webhook delivery and the HTTP server."""
        self.updates.close()
        await self.webhook.close()
        await self._server.close()

    @property
    def api_root(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return self._server.root

    @property
    def base_url(self) -> str:
        """PTB's ``base_url``: ``{api_root}/bot``."""
        return f"{self.api_root}/bot"

    @property
    def base_file_url(self) -> str:
        """PTB's ``base_file_url``: ``{api_root}/file/bot``."""
        return f"{self.api_root}/file/bot"

    # --- the cast ---------------------------------------------------------------------------

    def user(
        self,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "de",
        started: bool = False,
    ) -> FakeUser:
        """Create a Telegram user; their private chat id equals their user id.

        Like on Telegram, the bot cannot write to them (403) before they wrote to the bot,
        unless ``started=True``.
        """
        user_id = self.chats.new_user_id()
        self.chats.add(
            ChatState(
                id=user_id,
                type="private",
                first_name=first_name,
                last_name=last_name,
                username=username,
                started=started,
            )
        )
        user = FakeUser(self, user_id, first_name, last_name, username, language_code)
        self.users[user.id] = user
        return user

    def group(
        self,
        title: str,
        *,
        forum: bool = False,
        supergroup: bool = False,
        bot_admin: bool | None = None,
        members: Iterable[FakeUser] = (),
        username: str | None = None,
    ) -> FakeGroup:
        """Create a group with the bot in it; forums are supergroups with the bot as admin."""
        is_super = supergroup or forum
        chat = ChatState(
            id=self.chats.new_group_id(supergroup=is_super),
            type="supergroup" if is_super else "group",
            title=title,
            username=username,
            is_forum=forum,
            # Id 1 is the forum's "General" topic; new topics must not take it.
            next_message_id=2 if forum else 1,
            bot_status="administrator" if (forum if bot_admin is None else bot_admin) else "member",
        )
        group = FakeGroup(self, self.chats.add(chat))
        for member in members:
            group.add(member)
        return group

    # --- what the bot did -------------------------------------------------------------------

    def calls_of(self, method: str) -> list[dict[str, Any]]:
        """Parameters of every call of ``method``, oldest first."""
        return [call.params for call in self.calls if call.method.lower() == method.lower()]

    def commands(
        self, language_code: str = "", scope: dict[str, Any] | None = None
    ) -> dict[str, str]:
        """The bot's command list for a language and scope, as ``{command: description}``."""
        key = (command_scope_key(scope), language_code)
        return {entry["command"]: entry["description"] for entry in self.command_sets.get(key, [])}

    def file_bytes(self, file_id: str) -> bytes:
        """The content of any file the fake knows (uploads included)."""
        stored = self.files.get(file_id)
        if stored is None:
            raise KeyError(f"unknown file_id {file_id!r}")
        return stored.content

    @property
    def webhook_url(self) -> str:
        """The webhook URL the bot set, "" in polling mode."""
        return self.webhook.settings.url

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]:
        """Every attempt to POST an update to the bot's webhook."""
        return self.webhook.deliveries

    @property
    def pending_updates(self) -> int:
        """Updates the bot has not fetched/confirmed yet."""
        return len(self.updates.pending)

    @property
    def unanswered_callbacks(self) -> list[CallbackQuery]:
        """Button presses the bot never answered."""
        return self.callbacks.unanswered()

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[dict[str, Any]], bool] | None = None,
        *,
        timeout: float = 5.0,
    ) -> dict[str, Any]:
        """Wait until the bot called ``method`` (matching ``predicate``); return its params."""

        def matching_call() -> dict[str, Any] | None:
            calls = self.calls_of(method)
            return next((p for p in calls if predicate is None or predicate(p)), None)

        return await self.signal.wait_for(
            matching_call, timeout, lambda: f"no {method} call; calls: {self._recent_calls()}"
        )

    # --- trouble ----------------------------------------------------------------------------

    def block(self, user: FakeUser) -> None:
        """``user`` blocks the bot: sends to them answer 403 from now on."""
        self._set_blocked(user, blocked=True)

    def unblock(self, user: FakeUser) -> None:
        """``user`` unblocks the bot again."""
        self._set_blocked(user, blocked=False)

    def deactivate(self, user: FakeUser) -> None:
        """``user`` deletes their account: sends answer 403 "user is deactivated"."""
        self.chats.get(user.id).deactivated = True

    def fail_next(
        self,
        method: str,
        *,
        status: int = 500,
        times: int = 1,
        description: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with HTTP ``status``."""
        self.faults.fail_next(
            method, status=status, times=times, description=description, retry_after=retry_after
        )

    def lose_answers(self, method: str, *, times: int = 1) -> None:
        """Carry out the next ``times`` calls of ``method`` (the message is delivered), but
        never answer them: the bot's request times out, as when a connection drops."""
        self.faults.lose_answers(method, times=times)

    def call_started(self, method: str) -> None:
        """A Bot API request arrived and is being answered (``most_in_flight`` counts them)."""
        self.in_flight[method] += 1
        self.most_in_flight[method] = max(self.most_in_flight[method], self.in_flight[method])

    def call_ended(self, method: str) -> None:
        """The request's answer went out (or failed)."""
        self.in_flight[method] -= 1

    def slow(self, method: str, seconds: float) -> None:
        """Answer ``method`` only after ``seconds`` (0 answers promptly again)."""
        self.faults.slow(method, seconds)

    def rate_limits(self, enabled: bool = True) -> None:
        """Switch Telegram's flood control on (default) or off."""
        self.limiter.enabled = enabled
        self.limiter.reset()

    async def push_raw_update(self, update: dict[str, Any]) -> int | None:
        """Queue any update body (without ``update_id``); returns its id, ``None`` if filtered."""
        return self.deliver(update)

    def age_message(self, chat: HasChatId, message_id: int, hours: float) -> None:
        """Pretend a message was sent ``hours`` earlier (e.g. 49 → can no longer be deleted)."""
        state = self.chats.find(chat if isinstance(chat, int) else chat.chat_id)
        message = state.find_message(message_id) if state else None
        if message is None:
            raise KeyError(f"no message {message_id} in chat {chat!r}")
        message.date -= int(hours * 3600)

    def delete_for_everyone(self, chat: HasChatId, message_id: int) -> None:
        """A user deletes a message on both sides (in a private chat also the bot's). A press
        of its buttons from a device that still shows it arrives as an inaccessible message
        (date 0), and the bot can no longer edit it."""
        state = self.chats.find(chat if isinstance(chat, int) else chat.chat_id)
        message = state.find_message(message_id) if state else None
        if message is None:
            raise KeyError(f"no message {message_id} in chat {chat!r}")
        message.deleted = True
        self.touch(message)

    def migrate_group(self, group: FakeGroup) -> int:
        """Upgrade a basic group to a supergroup with a new id; old id answers 400 + migrate."""
        return group.migrate()

    # --- used by the Bot API methods and the fake people --------------------------------------

    def bot_user(self) -> dict[str, Any]:
        """The bot as a ``User`` object."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_name,
            "username": self.bot_username,
        }

    @staticmethod
    def now() -> int:
        """Unix time, as in ``date`` fields."""
        return int(time.time())

    def store_message(
        self, chat: ChatState, *, sender: dict[str, Any], from_bot: bool, **fields: Any
    ) -> FakeMessage:
        """Add a new message to ``chat`` and wake everyone waiting for one."""
        message = FakeMessage(
            chat=chat,
            message_id=chat.new_message_id(),
            date=self.now(),
            sender=sender,
            from_bot=from_bot,
            **fields,
        )
        chat.history.append(message)
        self.touch(message)
        return message

    def touch(self, message: FakeMessage) -> None:
        """Mark a message as changed now (sent, edited, deleted)."""
        message.version = self.signal.notify()

    def deliver(self, update: dict[str, Any]) -> int | None:
        """Queue an update for the bot (polling or webhook)."""
        update_id = self.updates.push(update)
        self.signal.notify()
        return update_id

    def admit_send(self, method: str, chat: ChatState, count: int = 1) -> None:
        """Apply flood control to ``count`` messages sent at once (an album's items) arriving
        now; raise the 429 Telegram would answer (nothing is delivered then)."""
        throttle = self.limiter.admit(method, chat.id, private=chat.is_private, count=count)
        if throttle is not None:
            self.throttled.append(throttle)
            raise throttle_error(throttle)

    def record_call(self, method: str, params: dict[str, Any]) -> None:
        """Remember a Bot API call in arrival order."""
        self.calls.append(ApiCall(method, params))
        self.signal.notify()

    def record_error(self, method: str, params: dict[str, Any], error: ApiError) -> None:
        """Remember a refused call."""
        self.errors.append(ApiFailure(method, params, error.status, error.description))
        self.signal.notify()

    def _recent_calls(self, count: int = 8) -> list[str]:
        return [call.method for call in self.calls[-count:]]

    def _set_blocked(self, user: FakeUser, *, blocked: bool) -> None:
        chat = self.chats.get(user.id)
        if chat.blocked == blocked:
            return
        chat.blocked = blocked
        old, new = ("member", "kicked") if blocked else ("kicked", "member")
        self.deliver(membership_update(self, chat, user.to_dict(), old, new))
