"""Public review API benchmark: requests/s of the public endpoints against a bare handler.

    .venv/bin/python benchmarks/review_api.py [--reviews 100000] [--facilities 200]
        [--concurrency 16] [--seconds 10]

Fills a fresh SQLite file with published reviews (and their stream events, hash-chained),
serves the real web app in this process, and loads it from a second process (an aiohttp
client with N concurrent connections, for a fixed time per endpoint):

- ``/bare``: an aiohttp handler on the same server returning a constant (the yardstick);
- ``/api/v1/facilities/{slug}/reviews`` (random facility), ``/api/v1/stream?after=…`` (a
  random page of 100 events, and polling at the head as a portal does), ``/facilities/{slug}``,
  each with the response cache on (as served) and off (every answer built from the database).

Prints requests/s of each, its ratio to the bare handler, and p50/p99 latency. Prints
figures; it is not a timed test.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiohttp import ClientSession, ClientTimeout, TCPConnector, web  # noqa: E402

from bot.db import database  # noqa: E402
from bot.metrics import Metrics  # noqa: E402
from bot.models import Facility, StreamEvent  # noqa: E402
from bot.models.reviews import Review, ReviewState  # noqa: E402
from bot.services.stream.chain import GENESIS_HASH, digest, event_hash  # noqa: E402
from bot.services.stream.events import CATEGORIES, public_review  # noqa: E402
from bot.web import build_web_app  # noqa: E402
from bot.web.guard import Limits  # noqa: E402
from bot.web.site import SITE_KEY  # noqa: E402
from bot.web.stream_cache import MAX_BYTES  # noqa: E402

NAMES = {"bare": "bare aiohttp handler", "reviews": "/api/v1/facilities/{slug}/reviews",
         "stream": "/api/v1/stream?after=<random>", "poll": "/api/v1/stream?after=<head>",
         "page": "/facilities/{slug} (HTML)"}
# The endpoints with the response cache on (as served) and off (every answer built afresh).
RUNS = [("bare", True), ("reviews", True), ("stream", True), ("poll", True), ("page", True),
        ("reviews", False), ("stream", False), ("poll", False), ("page", False)]
COMMENTS = ["Sehr freundliches Personal.", "Das Essen könnte besser sein.", "",
            "Meine Mutter fühlt sich wohl.", "Zu wenig Zeit für Gespräche.", ""]


async def fill(reviews: int, facilities: int) -> None:
    """Facilities, published reviews over two years, and the stream that reports them."""
    rng = random.Random(6)
    homes = await Facility.bulk_create(
        [Facility(slug=f"heim-{n:03d}", name=f"Pflegeheim {n}") for n in range(facilities)])
    homes = await Facility.all().order_by("id")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    rows = []
    for n in range(reviews):
        rated = {name: rng.randint(1, 5) for name in CATEGORIES if rng.random() < 0.6}
        rows.append(Review(
            facility_id=homes[n % facilities].id, pseudonym=f"Angehörige/r {n:04X}"[:32],
            overall=rng.choice((1, 2, 3, 4, 4, 5, 5)), comment=rng.choice(COMMENTS),
            state=ReviewState.PUBLISHED,
            published_at=now - dt.timedelta(minutes=(reviews - n) * 10), **rated,
        ))
    await Review.bulk_create(rows, batch_size=2000)
    slugs = {home.id: home.slug for home in homes}
    events, prev = [], GENESIS_HASH
    for seq, review in enumerate(await Review.all().order_by("id"), start=1):
        payload = public_review(review, slugs[review.facility_id], None)  # type: ignore[attr-defined]
        fields = {"seq": seq, "kind": "review.published", "facility": payload["facility"],
                  "subject": f"review:{review.id}", "created_at": payload["published_at"],
                  "payload_digest": digest(payload), "prev_hash": prev}
        prev = event_hash(fields)
        events.append(StreamEvent(
            seq=seq, kind=fields["kind"], facility_id=review.facility_id,  # type: ignore[attr-defined]
            facility_slug=fields["facility"], subject=fields["subject"], payload=payload,
            payload_digest=fields["payload_digest"], prev_hash=fields["prev_hash"], hash=prev,
            created_at=dt.datetime.fromisoformat(fields["created_at"]),
        ))
    await StreamEvent.bulk_create(events, batch_size=2000)


async def load(base: str, kind: str, facilities: int, head: int, concurrency: int,
               seconds: float) -> dict[str, object]:
    """The load generator (runs in its own process): N workers, fixed duration."""
    rng = random.Random(kind)

    def path() -> str:
        slug = f"heim-{rng.randrange(facilities):03d}"
        return {
            "bare": "/bare",
            "reviews": f"/api/v1/facilities/{slug}/reviews",
            "stream": f"/api/v1/stream?after={rng.randrange(max(head - 100, 1))}",
            "poll": f"/api/v1/stream?after={head}",
            "page": f"/facilities/{slug}?lang=de",
        }[kind]

    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    connector = TCPConnector(limit=concurrency)
    async with ClientSession(base, connector=connector, timeout=ClientTimeout(total=30)) as http:

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                async with http.get(path()) as response:
                    await response.read()
                    if response.status != 200:
                        errors += 1
                latencies.append(time.perf_counter() - started)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": len(latencies), "errors": errors, "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
    }


async def serve_and_measure(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="heimbote-bench-") as folder:
        await _serve_and_measure(args, f"sqlite://{Path(folder) / 'bench.sqlite3'}")


async def _serve_and_measure(args: argparse.Namespace, url: str) -> None:
    async with database(url):
        started = time.perf_counter()
        await fill(args.reviews, args.facilities)
        print(f"filled {args.reviews:,} reviews over {args.facilities} facilities "
              f"(+ stream) in {time.perf_counter() - started:.1f} s", flush=True)
        head = await StreamEvent.all().count()
        # One client process stands for many readers here: no limit per address.
        app = build_web_app(Metrics(), limits=Limits(requests_per_second=0))

        async def bare(request: web.Request) -> web.Response:
            return web.json_response({"ok": True})

        app.router.add_get("/bare", bare)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        results = {}
        for kind, cached in RUNS:
            app[SITE_KEY].cache.max_entries = 1024 if cached else 0
            app[SITE_KEY].stream_runs.max_bytes = MAX_BYTES if cached else 0
            process = await asyncio.create_subprocess_exec(
                sys.executable, __file__, "--load", kind, "--base", f"http://127.0.0.1:{port}",
                "--facilities", str(args.facilities), "--head", str(head),
                "--concurrency", str(args.concurrency), "--seconds", str(args.seconds),
                stdout=subprocess.PIPE,
            )
            out, _ = await process.communicate()
            results[kind, cached] = json.loads(out)
        await runner.cleanup()
    bare_rps = results["bare", True]["rps"]
    print(f"\nconcurrency {args.concurrency}, {args.seconds:g} s per endpoint, "
          f"server and load generator in separate processes on {os.cpu_count()} cores")
    print(f"{'endpoint':<46}{'req/s':>8}{'÷ bare':>8}{'p50 ms':>8}{'p99 ms':>8}{'errors':>7}")
    for (kind, cached), figures in results.items():
        name = NAMES[kind] + ("" if kind == "bare" else " (cached)" if cached else " (no cache)")
        print(f"{name:<46}{figures['rps']:>8.0f}{figures['rps'] / bare_rps:>8.2f}"
              f"{figures['p50_ms']:>8.1f}{figures['p99_ms']:>8.1f}{figures['errors']:>7}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--facilities", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--load", help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    parser.add_argument("--head", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        figures = asyncio.run(load(args.base, args.load, args.facilities, args.head,
                                   args.concurrency, args.seconds))
        print(json.dumps(figures))
        return
    asyncio.run(serve_and_measure(args))


if __name__ == "__main__":
    main()
