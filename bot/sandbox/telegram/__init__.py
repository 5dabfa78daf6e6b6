"""A fake Telegram Bot API over real HTTP, for the journey tests and `heimbote demo`.

async with FakeTelegram() as tg:
    anna = tg.user("Anna")
    await anna.send("/start")
    await anna.wait_for("Willkommen")
"""

from bot.sandbox.telegram.api_errors import ApiError
from bot.sandbox.telegram.callbacks import CallbackAnswer
from bot.sandbox.telegram.fake_telegram import ApiCall, ApiFailure, FakeTelegram
from bot.sandbox.telegram.groups import FakeGroup
from bot.sandbox.telegram.messages import FakeMessage
from bot.sandbox.telegram.people import FakeUser
from bot.sandbox.telegram.rate_limits import RateLimits, Throttle
from bot.sandbox.telegram.sample_media import TINY_JPEG, TINY_PNG
from bot.sandbox.telegram.signals import WaitTimeout
from bot.sandbox.telegram.uploads import UploadedFile
from bot.sandbox.telegram.webhook import SECRET_HEADER, WebhookDelivery

__all__ = [
    "SECRET_HEADER",
    "TINY_JPEG",
    "TINY_PNG",
    "ApiCall",
    "ApiError",
    "ApiFailure",
    "CallbackAnswer",
    "FakeGroup",
    "FakeMessage",
    "FakeTelegram",
    "FakeUser",
    "RateLimits",
    "Throttle",
    "UploadedFile",
    "WaitTimeout",
    "WebhookDelivery",
]
