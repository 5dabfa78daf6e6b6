"""`heimbote run` as a real process: it serves users, and SIGTERM stops it cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.conftest import TOKEN
from tests.fakes import FakeTelegram


async def test_run_serves_a_user_and_stops_cleanly_on_sigterm(
    telegram: FakeTelegram, database_url: str, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEIMBOTE_")}
    env.update(
        HEIMBOTE_BOT_TOKEN=TOKEN,
        HEIMBOTE_TELEGRAM_API_URL=telegram.api_root,
        HEIMBOTE_DATABASE_URL=database_url,
        HEIMBOTE_HTTP_PORT="0",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run",
        cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        anna = telegram.user("Anna", language_code="en")
        await anna.send("/start")
        await anna.wait_for(lambda m: m.text.startswith("Hello Anna!"), timeout=30)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "Heimbote stopped" in log
    assert TOKEN.split(":")[1] not in log  # the token never reaches the log
    assert "Anna" not in log  # nor personal data
