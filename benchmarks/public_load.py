"""Public load benchmark: webhook latency alone, then under an attack on the public endpoints.

    .venv/bin/python benchmarks/public_load.py [--streams 5000] [--slow 1000] [--sources 100]
        [--updates 400] [--database sqlite|postgres://…]

One Heimbote in webhook mode on one listener (the worst case: the public site shares it with
the webhook), against the fake Bot API, with the home of ``benchmarks/updates.py``. Measured
side by side in one run:

1. the anchor: ``/help`` updates from new users posted to the webhook, two at a time, each
   timed until the bot's answer reaches the fake;
2. the same while another process (the attacker, from ``--sources`` loopback addresses
   127.0.1.x) opens ``--streams`` live streams (``/api/v1/stream/live``) and ``--slow``
   connections that send their headers a line every two seconds and never finish them.

Prints both latencies (the target: p99 < 200 ms under attack), what the attacker got (streams
served, refused with 503, connections cut), the live-stream poller's queries, and the bot's
open files and memory. It is not a timed test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import updates  # noqa: E402  (the home, the load, the webhook client)

from bot.app import Heimbote  # noqa: E402
from bot.config import load_settings  # noqa: E402
from tests.fakes import FakeTelegram  # noqa: E402

LIVE = b"GET /api/v1/stream/live HTTP/1.1\r\nHost: bench\r\n\r\n"
OPEN_AT_ONCE = 200  # connections the attacker opens concurrently (the listen backlog is 128)


# --- the attacker (a separate process) -----------------------------------------------------------


async def _stream(port: int, source: str, held: list[asyncio.StreamWriter]) -> str:
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
        writer.write(LIVE)
        status = await asyncio.wait_for(reader.readline(), 30)
    except (OSError, TimeoutError):
        return "connection refused or cut"
    held.append(writer)  # kept open, like a client that stays
    if not status:
        return "connection cut"
    return status.split(b" ")[1].decode()


async def _slow(port: int, source: str) -> None:
    """Headers a line every two seconds, never finished: until the server cuts us off."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
        writer.write(b"GET /api/v1/facilities HTTP/1.1\r\nHost: bench\r\n")
        for line in range(1000):
            await asyncio.sleep(2)
            if reader.at_eof() or writer.is_closing():
                return
            writer.write(f"X-Slow-{line}: a\r\n".encode())
            await writer.drain()
    except OSError:
        return


async def attack(port: int, streams: int, slow: int, sources: int) -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    addresses = [f"127.0.1.{n % 250 + 1}" for n in range(sources)]
    held: list[asyncio.StreamWriter] = []
    statuses: Counter[str] = Counter()
    gate = asyncio.Semaphore(OPEN_AT_ONCE)

    async def one_stream(number: int) -> None:
        async with gate:
            statuses[await _stream(port, addresses[number % sources], held)] += 1

    slow_tasks = [asyncio.create_task(_slow(port, addresses[n % sources])) for n in range(slow)]
    await asyncio.gather(*(one_stream(n) for n in range(streams)))
    print(json.dumps({"streams": dict(statuses)}), flush=True)
    await asyncio.sleep(3600)  # hold everything open until the benchmark is done with us
    for task in slow_tasks:
        task.cancel()


# --- the benchmark ------------------------------------------------------------------------------


def _figures(label: str, latencies: list[float], failures: int) -> str:
    cuts = statistics.quantiles(latencies, n=100)
    return (f"{label}: {len(latencies)} updates, p50 {cuts[49] * 1000:.1f} ms, "
            f"p99 {cuts[98] * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms; "
            f"unanswered {failures}")


def _open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=5000)
    parser.add_argument("--slow", type=int, default=1000)
    parser.add_argument("--sources", type=int, default=100,
                        help="loopback addresses the attacker connects from (127.0.1.x)")
    parser.add_argument("--updates", type=int, default=400)
    parser.add_argument("--database", default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database_url = (f"sqlite://{folder}/bench.sqlite3" if args.database == "sqlite"
                        else args.database)
        if not args.database.startswith("sqlite"):
            await updates.reset_postgres(database_url)
        async with FakeTelegram(token=updates.TOKEN) as tg:
            tg.rate_limits(False)
            cast = await updates.seed(tg, database_url)
            load = updates.Load(tg)
            port = updates.free_port()
            url = f"http://127.0.0.1:{port}/telegram/webhook"
            heimbote = Heimbote(load_settings(
                env_file=None, bot_token=updates.TOKEN, telegram_api_url=tg.api_root,
                database_url=database_url, http_port=port, webhook_url=url,
                webhook_secret=updates.SECRET, default_locale="de", admin_ids="",
            ))
            await heimbote.start()
            try:
                await _measure(args, heimbote, load, cast, url, port)
            finally:
                await heimbote.stop()


async def _measure(
    args: argparse.Namespace, heimbote: Heimbote, load: updates.Load, cast: updates.Cast,
    url: str, port: int,
) -> None:
    print(f"one listener for webhook and public site; {args.updates} /help updates a run, "
          f"2 at a time; attacker: {args.streams} streams, {args.slow} slow-header "
          f"connections from {args.sources} addresses")
    files_before = _open_files()
    _, latencies, failures = await load.run(url, updates.help_sessions(cast, args.updates), 2)
    print(_figures("anchor, no attack", latencies, failures))
    attacker = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--attack", str(port), str(args.streams), str(args.slow),
        str(args.sources), stdout=subprocess.PIPE,
    )
    assert attacker.stdout is not None
    started = time.monotonic()
    hub = heimbote.live_hub
    polls_before = hub.polls if hub is not None else 0
    line = await asyncio.wait_for(attacker.stdout.readline(), 600)
    opened_in = time.monotonic() - started
    files_under_attack = _open_files()
    _, latencies, failures = await load.run(url, updates.help_sessions(cast, args.updates), 2)
    elapsed = time.monotonic() - started
    print(_figures("under attack", latencies, failures))
    print(f"the attacker's streams after {opened_in:.1f} s: {json.loads(line)['streams']}")
    guard = heimbote.connection_guard
    if guard is not None:  # give the slow-header connections their time-out, then count
        deadline = time.monotonic() + guard.limits.head_timeout + 5
        while guard.timed_out < args.slow and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.5)
        print(f"connections: {guard.open} open now, {guard.refused} refused at once, "
              f"{guard.timed_out} cut for slow headers (limit {guard.max_connections})")
    if hub is not None:
        print(f"live streams open: {hub.clients}; poller queries: "
              f"{(hub.polls - polls_before) / elapsed:.1f}/s")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"the bot's process: open files {files_before} before, {files_under_attack} under "
          f"attack; peak memory {rss:.0f} MB")
    attacker.kill()
    await attacker.wait()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--attack":
        port, streams, slow, sources = (int(value) for value in sys.argv[2:6])
        asyncio.run(attack(port, streams, slow, sources))
    else:
        asyncio.run(main())
