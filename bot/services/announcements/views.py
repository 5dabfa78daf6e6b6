"""What callers see of an announcement: plain frozen values, no lazy relations behind them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from bot.models import Announcement, AnnouncementState, Audience, Facility


@dataclass(frozen=True)
class Version:
    """The announcement in one language: its text (a caption under a photo) and formatting."""

    text: str
    entities: tuple[dict[str, Any], ...] = ()  # Telegram message entities, as dicts


@dataclass(frozen=True)
class AnnouncementView:
    """An announcement as it stood when read: what the screens show and the recipients get."""

    id: int
    facility_id: int
    timezone: str  # the facility's: its times are shown in it
    state: AnnouncementState
    audience: Audience
    unit_id: int | None
    versions: Mapping[str, Version]  # by locale
    default_locale: str  # the first version's: for everyone without a version of their own
    photo_file_id: str | None
    urgent: bool
    send_at: dt.datetime | None
    created_at: dt.datetime
    confirmed_at: dt.datetime | None
    recipients: int  # written when confirmed
    progress_chat_id: int | None  # where the author watches the progress, once confirmed
    progress_message_id: int | None

    @property
    def languages(self) -> frozenset[str]:
        """The locales it has a version in."""
        return frozenset(self.versions)

    @property
    def text(self) -> str:
        """The default version's text ("" for a photo without a caption)."""
        version = self.versions.get(self.default_locale)
        return version.text if version else ""


def view_of(announcement: Announcement, facility: Facility) -> AnnouncementView:
    """The view of ``announcement``, a model of ``facility``."""
    versions = {
        locale: Version(str(version["text"]), tuple(version.get("entities") or ()))
        for locale, version in announcement.texts.items()
    }
    return AnnouncementView(
        id=announcement.id,
        facility_id=facility.id,
        timezone=facility.timezone,
        state=announcement.state,
        audience=announcement.audience,
        # Tortoise sets the foreign key's column attribute; the model does not declare it
        unit_id=announcement.unit_id,
        versions=MappingProxyType(versions),
        default_locale=announcement.default_locale,
        photo_file_id=announcement.photo_file_id,
        urgent=announcement.urgent,
        send_at=announcement.send_at,
        created_at=announcement.created_at,
        confirmed_at=announcement.confirmed_at,
        recipients=announcement.recipients,
        progress_chat_id=announcement.progress_chat_id,
        progress_message_id=announcement.progress_message_id,
    )
