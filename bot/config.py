"""Settings from the environment (``HEIMBOTE_*``) and an optional ``.env`` file.

Settings are read once, in ``main``, and passed down; nothing here runs at import time.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.i18n import available_locales

_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
_HOST_NAME = re.compile(r"[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*")
_SECRET_FIELDS = frozenset({"bot_token", "webhook_secret"})


class SettingsError(Exception):
    """Start-up cannot go on: the message is one line naming the variable."""


class Settings(BaseSettings):
    """Everything Heimbote can be told from outside. See the README's table."""

    model_config = SettingsConfigDict(
        env_prefix="HEIMBOTE_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
    )

    bot_token: SecretStr | None = None
    database_url: str = "sqlite://heimbote.sqlite3"
    telegram_api_url: str = "https://api.telegram.org"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=0, le=65535)
    public_url: str | None = None
    public_host: str = "0.0.0.0"  # the public site's own listener, when public_port is set
    public_port: int | None = Field(default=None, ge=0, le=65535)
    live_streams: int = Field(default=1000, ge=0, le=100_000)
    live_streams_per_ip: int = Field(default=10, ge=1, le=10_000)
    public_rate: float = Field(default=20.0, ge=0, le=10_000)  # requests/s per address; 0: off
    header_timeout: float = Field(default=10.0, gt=0, le=300)
    admin_ids: str = ""
    default_locale: str = "de"
    send_rate: float = Field(default=25.0, gt=0, le=1000)  # above 30: paid broadcasts
    push_allow_hosts: str = ""  # internal hosts the stream may be pushed to, comma-separated

    @field_validator("default_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in available_locales():
            raise ValueError(f"must be one of {', '.join(available_locales())}")
        return value

    @field_validator("admin_ids")
    @classmethod
    def _numeric_ids(cls, value: str) -> str:
        for part in filter(None, (p.strip() for p in value.split(","))):
            if not part.lstrip("-").isdigit():
                raise ValueError(f"{part!r} is not a Telegram user id")
        return value

    @field_validator("push_allow_hosts")
    @classmethod
    def _host_names_or_addresses(cls, value: str) -> str:
        # portal.lan, 10.0.0.5, fd00::/64: as bot.services.stream.targets.AllowList reads them
        for part in filter(None, (p.strip().lower() for p in value.split(","))):
            try:
                ipaddress.ip_network(part.strip("[]"), strict=False)
            except ValueError:
                if not _HOST_NAME.fullmatch(part.rstrip(".")):
                    raise ValueError(
                        f"{part!r} is not a host name, an address or a network") from None
        return value

    @field_validator("telegram_api_url", "webhook_url", "public_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/") if value else value

    @field_validator(
        "webhook_url", "webhook_secret", "bot_token", "public_url", "public_port", mode="before"
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("webhook_secret")
    @classmethod
    def _telegram_secret(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram accepts 1-256 characters of A-Z, a-z, 0-9, _ and -.
        if value is not None and not _SECRET_TOKEN.fullmatch(value.get_secret_value()):
            raise ValueError("use 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @property
    def platform_admin_ids(self) -> frozenset[int]:
        """Telegram user ids of the platform admins (``HEIMBOTE_ADMIN_IDS``)."""
        return frozenset(int(p) for p in self.admin_ids.split(",") if p.strip())

    @property
    def public_base_url(self) -> str:
        """Base URL of the public pages; defaults to where the web server listens."""
        return self.public_url or f"http://{self.http_host}:{self.http_port}"


def load_settings(env_file: Path | str | None = ".env", **overrides: object) -> Settings:
    """Read the settings; raise :class:`SettingsError` with one line naming the bad variable."""
    try:
        # ``_env_file`` is pydantic-settings' keyword for where to read, not a field
        make: Callable[..., Settings] = Settings
        return make(_env_file=env_file, **overrides)
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "?"
        shown = "" if field in _SECRET_FIELDS else f" (got {first.get('input')!r})"
        raise SettingsError(f"HEIMBOTE_{field.upper()}: {first['msg']}{shown}") from None
