"""``heimbote run`` as an operator meets it: its help, and one line when Telegram says no.

And the exit statuses the README promises: 2 for a wrong command line, 1 for what it names not
existing (``report --facility nope``) or failing.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import TOKEN
from tests.fakes import FakeTelegram
from tests.test_cli_admin import heimbote

WRONG_TOKEN = "123456:THIS-TOKEN-IS-WRONG"


async def test_run_help_describes_the_command_its_settings_and_exit_statuses(
    tmp_path: Path,
) -> None:
    shown = await heimbote(tmp_path, "run", "--help")
    assert shown.returncode == 0
    assert "Run the bot: apply the database migrations" in shown.stdout
    for setting in ("HEIMBOTE_BOT_TOKEN", "HEIMBOTE_DATABASE_URL", "HEIMBOTE_WEBHOOK_URL"):
        assert setting in shown.stdout
    assert "exit status: 0" in shown.stdout


async def test_a_token_telegram_refuses_is_one_line_without_the_token(
    tmp_path: Path, telegram: FakeTelegram
) -> None:
    refused = await heimbote(tmp_path, "run", HEIMBOTE_BOT_TOKEN=WRONG_TOKEN,
                             HEIMBOTE_TELEGRAM_API_URL=telegram.api_root, HEIMBOTE_HTTP_PORT="0")
    assert refused.returncode == 1
    assert refused.error_lines == [
        "heimbote: Telegram refused HEIMBOTE_BOT_TOKEN: copy the token again from @BotFather "
        "(https://t.me/BotFather)"]
    assert "THIS-TOKEN" not in refused.stdout + refused.stderr


async def test_without_network_run_is_one_line_without_the_token(tmp_path: Path) -> None:
    unreachable = await heimbote(tmp_path, "run", HEIMBOTE_BOT_TOKEN=TOKEN,
                                 HEIMBOTE_TELEGRAM_API_URL="http://127.0.0.1:1",
                                 HEIMBOTE_HTTP_PORT="0")
    assert unreachable.returncode == 1
    (line,) = unreachable.error_lines
    assert line.startswith("heimbote: cannot reach Telegram at http://127.0.0.1:1")
    assert TOKEN not in unreachable.stdout + unreachable.stderr
    assert "Traceback" not in unreachable.stderr


async def test_exit_statuses_are_the_ones_the_readme_states(tmp_path: Path) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert "`heimbote report --facility nope …` exits 1" in readme
    nope = await heimbote(tmp_path, "report", "--facility", "nope", "--month", "2026-01")
    assert (nope.returncode, nope.error_lines) == (1, ["heimbote: no facility 'nope'"])
    malformed = await heimbote(tmp_path, "report", "--facility", "nope", "--month", "January")
    assert malformed.returncode == 2 and len(malformed.error_lines) == 1
