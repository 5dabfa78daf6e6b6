"""``heimbote stream verify|subscribe|subscribers|unsubscribe``: the public review stream.

``verify`` checks every number, link and hash of the stream (and each payload still present
against its digest): from the local database, or downloaded page by page from a running
Heimbote's ``/api/v1/stream``. It exits 0 with a one-line summary, or 1 naming the first
broken event.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp

from bot.cli.errors import CommandError, CommandFailed
from bot.config import Settings
from bot.db import database
from bot.domain.errors import DomainError
from bot.services.accounts.actors import Actor
from bot.services.stream import events as stream
from bot.services.stream import push
from bot.services.stream.chain import VerifyResult
from bot.services.stream.targets import AllowList

CLI = Actor.cli()
PAGE = 1000


class StreamBroken(DomainError):
    """The chain does not check: the message names the first broken event."""


async def downloaded_events(base_url: str) -> AsyncIterator[dict[str, Any]]:
    """Every event of a running Heimbote's stream, page by page."""
    after = 0
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        while True:
            url = f"{base_url.rstrip('/')}/api/v1/stream"
            async with session.get(url, params={"after": after, "limit": PAGE}) as response:
                if response.status != 200:
                    raise CommandFailed(f"{url} answered HTTP {response.status}")
                try:
                    page = await response.json(content_type=None)
                    events = page["events"]
                except (ValueError, KeyError, TypeError) as error:
                    raise CommandFailed(f"{url} is not a Heimbote stream") from error
            if not isinstance(events, list):
                raise CommandFailed(f"{url} is not a Heimbote stream")
            for event in events:
                yield event
            if not events or page.get("next") is None:
                return
            after = events[-1].get("seq", after) if isinstance(events[-1], dict) else after


def _report(result: VerifyResult, as_json: bool) -> None:
    if as_json:
        print(json.dumps({
            "ok": result.ok, "checked": result.checked, "last_seq": result.last_seq,
            "last_hash": result.last_hash, "broken_seq": result.broken_seq,
            "reason": result.reason or None,
        }, indent=2))
    elif result.ok:
        print(f"stream {result.summary()}")
    if not result.ok:
        raise StreamBroken(f"stream {result.summary()} ({result.checked} events read)")


async def stream_verify(settings: Settings, args: argparse.Namespace) -> None:
    """Check the stream's chain, locally or at BASE_URL."""
    if args.base_url:
        if not args.base_url.startswith(("http://", "https://")):
            raise CommandError("BASE_URL must start with http:// or https://")
        result = await stream.verify(downloaded_events(args.base_url))
    else:
        async with database(settings.database_url):
            result = await stream.verify(stream.stored_events())
    _report(result, args.json)


def allowed_hosts(settings: Settings) -> AllowList:
    """The operator's exceptions to "push to public addresses only"."""
    try:
        return AllowList.parse(settings.push_allow_hosts)
    except ValueError as error:
        raise CommandError(f"HEIMBOTE_PUSH_ALLOW_HOSTS: {error}") from None


def read_secret(args: argparse.Namespace) -> str:
    """The shared secret from ``--secret-file`` or stdin: never from the command line, where
    every user of the machine can read it in the process list."""
    if args.secret_stdin:
        return sys.stdin.read().strip()
    try:
        return Path(args.secret_file).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise CommandFailed(f"cannot read the secret file {args.secret_file}: "
                           f"{getattr(error, 'strerror', None) or error}") from None


async def stream_subscribe(settings: Settings, args: argparse.Namespace) -> None:
    """Register a portal to receive every event by signed HTTP POST."""
    secret, allow = read_secret(args), allowed_hosts(settings)
    async with database(settings.database_url):
        subscriber = await push.subscribe(CLI, args.url, secret, after=args.after, allow=allow)
    if args.json:
        print(json.dumps({"id": subscriber.id, "url": subscriber.url,
                          "delivered_seq": subscriber.delivered_seq}))
        return
    print(f"subscriber {subscriber.id}: {subscriber.url} receives the events after seq "
          f"{subscriber.delivered_seq} (the running bot sends them)")


async def stream_subscribers(settings: Settings, args: argparse.Namespace) -> None:
    """List the subscribed portals and how far each is."""
    async with database(settings.database_url):
        found = await push.subscribers()
        head = await stream.last_seq()
    rows = [{
        "id": s.id, "url": s.url, "delivered_seq": s.delivered_seq, "head": head,
        "failures": s.failures, "last_error": s.last_error or None,
        "next_attempt_at": s.next_attempt_at.isoformat() if s.next_attempt_at else None,
    } for s in found]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    if not rows:
        print("no subscribers")
    for row in rows:
        line = f"{row['id']}  {row['url']}  delivered {row['delivered_seq']}/{head}"
        if row["failures"]:
            line += f"  {row['failures']} failed attempts, last: {row['last_error']}"
        print(line)


async def stream_unsubscribe(settings: Settings, args: argparse.Namespace) -> None:
    """Stop pushing to a portal."""
    async with database(settings.database_url):
        subscriber = await push.unsubscribe(CLI, args.id)
    print(f"subscriber {subscriber.id} ({subscriber.url}) unsubscribed")

