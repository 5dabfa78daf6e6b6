"""The fake Telegram the tests use; it lives in the package (``bot.sandbox.telegram``) now.

``heimbote demo`` runs the same server. This module re-exports its public names so that tests
keep writing ``from tests.fakes import FakeTelegram``; its submodules stay importable under
their old names too (``tests.fakes.callbacks`` is ``bot.sandbox.telegram.callbacks``), for
tests written before the move. New code imports ``bot.sandbox.telegram``.
"""

import importlib
import pkgutil
import sys

import bot.sandbox.telegram
from bot.sandbox.telegram import (
    SECRET_HEADER,
    TINY_JPEG,
    TINY_PNG,
    ApiCall,
    ApiError,
    ApiFailure,
    CallbackAnswer,
    FakeGroup,
    FakeMessage,
    FakeTelegram,
    FakeUser,
    RateLimits,
    Throttle,
    UploadedFile,
    WaitTimeout,
    WebhookDelivery,
)

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

for _module in pkgutil.iter_modules(bot.sandbox.telegram.__path__):
    sys.modules[f"{__name__}.{_module.name}"] = importlib.import_module(
        f"bot.sandbox.telegram.{_module.name}"
    )
