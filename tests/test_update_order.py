"""Updates of different chats go side by side; one chat's updates keep their order."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable

from telegram import Chat, Message, Update, User

from bot.app import Heimbote
from bot.update_order import PerChatInOrder
from tests.fakes import FakeTelegram


def message_from(chat_id: int, update_id: int) -> Update:
    person = User(chat_id, "Anna", is_bot=False)
    chat = Chat(chat_id, Chat.PRIVATE)
    return Update(update_id, message=Message(update_id, dt.datetime.now(dt.UTC), chat,
                                              from_user=person))


class Handled:
    """Updates given to the processor, and their names in the order their handling finished."""

    def __init__(self, processor: PerChatInOrder) -> None:
        self.processor = processor
        self.names: list[str] = []
        self._next_id = 0

    def arrives(
        self, chat_id: int, name: str, wait: asyncio.Event | None = None
    ) -> asyncio.Task[None]:
        self._next_id += 1
        return asyncio.create_task(self.processor.process_update(
            message_from(chat_id, self._next_id), self._handle(name, wait)))

    async def _handle(self, name: str, wait: asyncio.Event | None) -> None:
        if wait is not None:
            await wait.wait()
        self.names.append(name)


async def test_one_chat_waits_for_its_own_earlier_update_but_not_for_others() -> None:
    first_may_finish = asyncio.Event()
    async with PerChatInOrder(8) as processor:
        handled = Handled(processor)
        anna_1 = handled.arrives(1, "anna 1", first_may_finish)
        anna_2 = handled.arrives(1, "anna 2")
        await handled.arrives(2, "ben")
        assert handled.names == ["ben"]  # Anna's slow update held up only Anna
        assert not anna_2.done()
        first_may_finish.set()
        await asyncio.gather(anna_1, anna_2)
    assert handled.names == ["ben", "anna 1", "anna 2"]


async def test_a_cancelled_update_lets_the_next_one_of_its_chat_go() -> None:
    async with PerChatInOrder(8) as processor:
        handled = Handled(processor)
        stuck = handled.arrives(1, "stuck", asyncio.Event())
        waiting = handled.arrives(1, "waiting")
        third = handled.arrives(1, "third")
        await asyncio.sleep(0)  # let all three reach the processor
        waiting.cancel()
        stuck.cancel()
        await asyncio.wait_for(third, timeout=5)
    assert handled.names == ["third"]


async def test_a_slow_answer_to_one_family_does_not_hold_up_another(
    telegram: FakeTelegram, start_bot: Callable[..., Awaitable[Heimbote]]
) -> None:
    await start_bot()
    telegram.slow("sendMessage", 0.5)  # Telegram answering slowly, as over a long way
    anna = telegram.user("Anna", language_code="en")
    ben = telegram.user("Ben", language_code="en")
    await asyncio.gather(anna.send("/start"), ben.send("/start"))
    await anna.wait_for(lambda m: m.text.startswith("Hello Anna!"), timeout=30)
    await ben.wait_for(lambda m: m.text.startswith("Hello Ben!"), timeout=30)
    assert telegram.most_in_flight["sendMessage"] >= 2  # Ben's welcome did not wait for Anna's
