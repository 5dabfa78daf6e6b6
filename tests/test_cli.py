"""The ``heimbote`` command as a newcomer meets it: help, version, clear one-line errors."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.conftest import heimbote_command


def heimbote(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HEIMBOTE_")}
    return subprocess.run(
        heimbote_command(*args),
        cwd=cwd, env={**clean, **env}, capture_output=True, text=True, timeout=60, check=False,
    )


@pytest.mark.parametrize("command", [[], ["run"], ["db"], ["db", "upgrade"]])
def test_every_command_has_help(tmp_path: Path, command: list[str]) -> None:
    result = heimbote(tmp_path, *command, "--help")
    assert result.returncode == 0
    assert "usage: heimbote" in result.stdout


def test_version(tmp_path: Path) -> None:
    result = heimbote(tmp_path, "--version")
    assert result.returncode == 0
    assert result.stdout.startswith("heimbote 0.")


def test_run_without_a_token_says_where_to_get_one(tmp_path: Path) -> None:
    result = heimbote(tmp_path, "run")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "HEIMBOTE_BOT_TOKEN" in lines[0] and "@BotFather" in lines[0]


def test_a_bad_setting_is_one_line_naming_the_variable(tmp_path: Path) -> None:
    result = heimbote(tmp_path, "run", HEIMBOTE_BOT_TOKEN="1:x", HEIMBOTE_HTTP_PORT="abc")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("heimbote: HEIMBOTE_HTTP_PORT:")
    assert "1:x" not in result.stderr


def test_db_upgrade_creates_the_schema_in_the_default_sqlite_file(tmp_path: Path) -> None:
    result = heimbote(tmp_path, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "heimbote.sqlite3") as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert "account" in tables
    assert heimbote(tmp_path, "db", "upgrade").returncode == 0  # twice is harmless


def test_db_upgrade_on_an_unreachable_database_fails_in_one_line(tmp_path: Path) -> None:
    result = heimbote(
        tmp_path, "db", "upgrade", HEIMBOTE_DATABASE_URL="postgres://nobody@127.0.0.1:1/none"
    )
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
