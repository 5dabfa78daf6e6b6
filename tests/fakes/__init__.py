"""A fake Telegram Bot API over real HTTP for journey tests.

async with FakeTelegram() as tg:
    anna = tg.user("Anna")
    await anna.send("/start")
    await anna.wait_for("Willkommen")
"""

from tests.fakes.api_errors import ApiError
from tests.fakes.callbacks import CallbackAnswer
from tests.fakes.fake_telegram import ApiCall, ApiFailure, FakeTelegram
from tests.fakes.groups import FakeGroup
from tests.fakes.messages import FakeMessage
from tests.fakes.people import FakeUser
from tests.fakes.rate_limits import RateLimits, Throttle
from tests.fakes.sample_media import TINY_JPEG, TINY_PNG
from tests.fakes.signals import WaitTimeout
from tests.fakes.uploads import UploadedFile
from tests.fakes.webhook import SECRET_HEADER, WebhookDelivery

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
