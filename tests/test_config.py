"""Settings: defaults, validation with one line naming the variable, the token kept secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import SettingsError, load_settings


def test_defaults_need_nothing_but_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HEIMBOTE_DATABASE_URL", "HEIMBOTE_HTTP_PORT", "HEIMBOTE_DEFAULT_LOCALE"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(env_file=None)
    assert settings.database_url == "sqlite://heimbote.sqlite3"
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert (settings.http_host, settings.http_port) == ("127.0.0.1", 8080)
    assert settings.public_base_url == "http://127.0.0.1:8080"
    assert settings.default_locale == "de"
    assert settings.send_rate == 25
    assert settings.webhook_url is None


def test_values_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEIMBOTE_HTTP_PORT", "9000")
    monkeypatch.setenv("HEIMBOTE_ADMIN_IDS", "1, 22,333")
    monkeypatch.setenv("HEIMBOTE_DEFAULT_LOCALE", "en")
    monkeypatch.setenv("HEIMBOTE_TELEGRAM_API_URL", "http://127.0.0.1:8081/")
    settings = load_settings(env_file=None)
    assert settings.http_port == 9000
    assert settings.platform_admin_ids == {1, 22, 333}
    assert settings.default_locale == "en"
    assert settings.telegram_api_url == "http://127.0.0.1:8081"


def test_values_come_from_a_dotenv_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEIMBOTE_PUBLIC_URL", raising=False)
    env_file = tmp_path / ".env"
    env_file.write_text("HEIMBOTE_PUBLIC_URL=https://reviews.example.org\n", encoding="utf-8")
    assert load_settings(env_file=env_file).public_base_url == "https://reviews.example.org"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("HEIMBOTE_HTTP_PORT", "abc"),
        ("HEIMBOTE_HTTP_PORT", "70000"),
        ("HEIMBOTE_DEFAULT_LOCALE", "xx"),
        ("HEIMBOTE_ADMIN_IDS", "12,anna"),
        ("HEIMBOTE_SEND_RATE", "0"),
        ("HEIMBOTE_WEBHOOK_URL", "bot.example.org/hook"),
        ("HEIMBOTE_WEBHOOK_SECRET", "has spaces"),
    ],
)
def test_a_bad_value_stops_with_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as raised:
        load_settings(env_file=None)
    message = str(raised.value)
    assert message.startswith(variable + ":")
    assert "\n" not in message


def test_the_token_is_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEIMBOTE_BOT_TOKEN", "123456:VERY-SECRET")
    settings = load_settings(env_file=None)
    assert "VERY-SECRET" not in repr(settings)
    assert "VERY-SECRET" not in str(settings.bot_token)
    assert settings.bot_token is not None
    assert settings.bot_token.get_secret_value() == "123456:VERY-SECRET"


def test_the_example_env_file_loads_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HEIMBOTE_BOT_TOKEN", "HEIMBOTE_PUBLIC_URL", "HEIMBOTE_WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    example = Path(__file__).resolve().parent.parent / ".env.example"
    settings = load_settings(env_file=example)
    assert settings.bot_token is None
    assert settings.webhook_url is None
    assert settings.public_base_url == "http://127.0.0.1:8080"
