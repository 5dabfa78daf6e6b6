"""The private-media router: each capability is asked in turn; what nobody takes gets the hint."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from bot.i18n import translator
from handlers.kit.media import MediaRouter, MediaTaker


class Message:
    def __init__(self) -> None:
        self.replies: list[str] = []

    async def reply_text(self, text: str, **_: Any) -> None:
        self.replies.append(text)


def taker(asked: list[str], name: str, takes: bool) -> MediaTaker:
    async def offer(update: Any, context: Any) -> bool:
        asked.append(name)
        return takes

    return offer


def media_from_someone() -> tuple[Any, Any, Message]:
    message = Message()
    update = SimpleNamespace(effective_message=message)
    context = SimpleNamespace(account=object(), tr=translator("en"))
    return update, context, message


async def test_the_first_capability_that_takes_it_wins() -> None:
    asked: list[str] = []
    router = MediaRouter([
        ("broadcast", taker(asked, "broadcast", False)),
        ("photo updates", taker(asked, "photo updates", True)),
        ("conversations", taker(asked, "conversations", True)),
    ])
    update, context, message = media_from_someone()

    await router.route(update, context)

    assert asked == ["broadcast", "photo updates"]
    assert message.replies == []


async def test_media_nobody_takes_gets_the_usual_hint() -> None:
    asked: list[str] = []
    router = MediaRouter([("photo updates", taker(asked, "photo updates", False))])
    update, context, message = media_from_someone()

    await router.route(update, context)

    assert asked == ["photo updates"]
    assert message.replies == ["I work with buttons and commands. /help shows what I can do."]
