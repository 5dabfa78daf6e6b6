"""One `heimbote run` per SQLite file: a second is refused with one line, the first serves on,
the other commands still work, and a crashed bot leaves no lock behind."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest

from bot.domain.errors import DomainError
from bot.sqlite import DatabaseInUse, one_run_per_file
from tests.conftest import heimbote_command
from tests.fakes import FakeTelegram
from tests.test_process import start_process


async def heimbote(cwd: Path, database_url: str, *args: str) -> tuple[int, str]:
    """A command other than `run`, as the operator types it while the bot runs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEIMBOTE_")}
    process = await asyncio.create_subprocess_exec(
        *heimbote_command(*args), cwd=cwd, env={**env, "HEIMBOTE_DATABASE_URL": database_url},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, stderr.decode()


async def test_a_second_run_on_the_same_file_is_refused_and_the_first_serves_on(
    telegram: FakeTelegram, database_url: str, tmp_path: Path
) -> None:
    if not database_url.startswith("sqlite://"):
        pytest.skip("PostgreSQL: several processes are the way to scale")
    database_file = database_url.removeprefix("sqlite://")
    anna = telegram.user("Anna", language_code="en")
    first = await start_process(telegram, database_url, tmp_path)
    try:
        await anna.send("/start")
        await anna.wait_for(lambda m: m.text.startswith("Hello Anna!"), timeout=30)

        second = await start_process(telegram, database_url, tmp_path)
        _, stderr = await asyncio.wait_for(second.communicate(), timeout=30)
        assert second.returncode == 1
        assert stderr.decode().splitlines() == [
            f"heimbote: {database_file} is in use by another `heimbote run` (pid {first.pid}): "
            "stop it first. One process per SQLite file; several processes need PostgreSQL."
        ]

        status, errors = await heimbote(tmp_path, database_url, "facility", "add",
                                        "--slug", "sonnenhof", "--name", "Haus Sonnenhof")
        assert status == 0, errors
        await anna.send("/help")
        await anna.wait_for(lambda m: m.text.startswith("Here is what I can do"), timeout=30)
    finally:
        first.kill()  # the machine dies: the kernel lets go of the lock
        await first.communicate()

    third = await start_process(telegram, database_url, tmp_path)
    try:
        await anna.send("/help")
        await anna.wait_for(lambda m: m.text.startswith("Here is what I can do"), timeout=30)
    finally:
        third.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(third.communicate(), timeout=30)
    assert third.returncode == 0, stderr.decode()


def test_the_lock_sits_beside_the_file_and_is_let_go_of_at_the_end(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'heimbote.sqlite3'}"
    with one_run_per_file(url):
        assert (tmp_path / "heimbote.sqlite3-lock").read_text() == f"{os.getpid()}\n"
        with pytest.raises(DatabaseInUse, match=r"heimbote\.sqlite3 is in use") as refused:
            with one_run_per_file(url):
                pass
        assert isinstance(refused.value, DomainError)  # the command line's exit status 1
    with one_run_per_file(url):  # the first let go
        pass


@pytest.mark.parametrize("url", ["postgres://heimbote@127.0.0.1:5432/heimbote",
                                 "sqlite://:memory:"])
def test_no_lock_where_no_file_is_shared(url: str) -> None:
    with one_run_per_file(url), one_run_per_file(url):
        pass
