"""Placeholder: filled by the announcements issue."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from handlers.context import HeimboteContext


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """This capability's handlers."""
    return []
