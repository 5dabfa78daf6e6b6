"""An operator looks at a home's settings and changes them from the command line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.i18n import available_locales
from tests.conftest import POSTGRES_URL_VARIABLE
from tests.test_cli_admin import heimbote

# SQLite through the default file in the current folder always; PostgreSQL too when CI has it.
DATABASES = ["sqlite-default-file"] + (
    ["database_url"] if os.environ.get(POSTGRES_URL_VARIABLE) else []
)

# Each mistake: the options, the exit status, the one line on stderr.
MISTAKES: list[tuple[list[str], int, str]] = [
    (["--photo-retention-days", "0"], 1,
     "heimbote: --photo-retention-days: must be between 1 and 3650"),
    (["--photo-retention-days", "5000", "--four-eyes", "no"], 1,
     "heimbote: --photo-retention-days: must be between 1 and 3650"),
    (["--max-relatives", "51"], 1, "heimbote: --max-relatives: must be between 1 and 50"),
    (["--timezone", "Mars/Base"], 1,
     "heimbote: --timezone: 'Mars/Base' is not a known time zone (e.g. Europe/Berlin)"),
    (["--locale", "xx"], 1,
     f"heimbote: --locale: 'xx' is not available (one of {', '.join(available_locales())})"),
    (["--name", "  "], 1, "heimbote: --name: must not be empty"),
    (["--photo-retention-days", "ninety"], 2,
     "heimbote facility set: argument --photo-retention-days: 'ninety' is not a whole "
     "number (see --help)"),
    (["--conversation-retention-days", "29"], 1,
     "heimbote: --conversation-retention-days: must be between 30 and 1095"),
    (["--conversation-retention-days", "1096"], 1,
     "heimbote: --conversation-retention-days: must be between 30 and 1095"),
    (["--rating-interval-days", "29"], 1,
     "heimbote: --rating-interval-days: must be between 30 and 365"),
    (["--complaint-window-hours", "169", "--four-eyes", "no"], 1,
     "heimbote: --complaint-window-hours: must be between 24 and 168"),
    (["--rating-invite-after-days", "0"], 1,
     "heimbote: --rating-invite-after-days: must be between 1 and 365"),
    (["--four-eyes", "maybe"], 2,
     "heimbote facility set: argument --four-eyes: 'maybe': say yes or no (see --help)"),
    ([], 2, "heimbote: nothing to set: give at least one of --name --timezone --locale "
            "--contact --relatives-may-invite --max-relatives --four-eyes "
            "--photo-retention-days --conversation-retention-days --rating-interval-days "
            "--complaint-window-hours "
            "--rating-invite-after-days (see --help)"),
]


@pytest.mark.parametrize("where", DATABASES)
async def test_the_operator_shows_and_changes_every_setting(
    tmp_path: Path, database_url: str, where: str
) -> None:
    env = {"HEIMBOTE_DATABASE_URL": database_url} if where == "database_url" else {}
    assert (await heimbote(tmp_path, "facility", "add", "--slug", "sonnenhof",
                           "--name", "Haus Sonnenhof", **env)).returncode == 0

    shown = await heimbote(tmp_path, "facility", "show", "sonnenhof", **env)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines() == [
        "slug:                         sonnenhof",
        "name:                         Haus Sonnenhof",
        "timezone:                     Europe/Berlin",
        "locale:                       de",
        "contact:                      (not set)",
        "relatives-may-invite:         no",
        "max-relatives:                5",
        "four-eyes:                    yes",
        "photo-retention-days:         180",
        "conversation-retention-days:  365",
        "rating-interval-days:         90",
        "complaint-window-hours:       72",
        "rating-invite-after-days:     14",
    ]

    changed = await heimbote(
        tmp_path, "facility", "set", "sonnenhof", "--four-eyes", "no",
        "--photo-retention-days", "90", "--relatives-may-invite", "yes", "--max-relatives", "3",
        "--name", "Haus Sonnenhof am See", "--timezone", "Europe/Vienna", "--locale", "en",
        "--contact", "Büro: 030 1234", "--rating-interval-days", "180",
        "--complaint-window-hours", "48", "--rating-invite-after-days", "30",
        "--conversation-retention-days", "90", **env,
    )
    assert changed.returncode == 0, changed.stderr
    assert "sonnenhof: four-eyes yes -> no" in changed.stdout.splitlines()
    assert "sonnenhof: photo-retention-days 180 -> 90" in changed.stdout.splitlines()

    settings = (await heimbote(tmp_path, "facility", "show", "sonnenhof", "--json", **env)).json()
    assert isinstance(settings, dict) and settings.pop("id") > 0
    assert settings == {
        "slug": "sonnenhof", "name": "Haus Sonnenhof am See", "timezone": "Europe/Vienna",
        "locale": "en", "contact": "Büro: 030 1234", "relatives_may_invite": True,
        "max_relatives_per_resident": 3, "four_eyes": False, "photo_retention_days": 90,
        "conversation_retention_days": 90, "rating_interval_days": 180,
        "complaint_window_hours": 48, "rating_invite_after_days": 30,
    }

    again = await heimbote(tmp_path, "facility", "set", "sonnenhof", "--four-eyes", "no", **env)
    assert again.stdout.splitlines() == [
        "sonnenhof: nothing changed (the settings were already so)"
    ]
    listed = (await heimbote(tmp_path, "facility", "list", "--json", **env)).json()
    assert listed == [{"id": listed[0]["id"], **settings}]  # type: ignore[index]


async def test_a_bad_value_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    assert (await heimbote(tmp_path, "facility", "add", "--slug", "sonnenhof",
                           "--name", "Haus Sonnenhof")).returncode == 0
    before = (await heimbote(tmp_path, "facility", "show", "sonnenhof", "--json")).json()

    for options, code, error in MISTAKES:
        refused = await heimbote(tmp_path, "facility", "set", "sonnenhof", *options)
        assert (refused.returncode, refused.error_lines, refused.stdout) == (code, [error], ""), \
            options

    assert (await heimbote(tmp_path, "facility", "show", "sonnenhof", "--json")).json() == before


async def test_an_unknown_home_is_named(tmp_path: Path) -> None:
    for command in (["show", "nowhere"], ["set", "nowhere", "--four-eyes", "no"]):
        missing = await heimbote(tmp_path, "facility", *command)
        assert (missing.returncode, missing.error_lines) == (1, ["heimbote: no facility 'nowhere'"])
