"""Periodic background jobs: housekeeping that runs while the bot runs.

Each capability adds its job to :data:`JOBS` (a service coroutine taking no arguments and an
interval); a job that needs a setting is built from the settings at start
(:func:`push_stream_job`). The running bot starts one loop per job. A job must be safe to run in
several processes at once and again after a crash: it works on database state, never on memory.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial

from bot.config import Settings
from bot.delivery.outbox import blank_old_content
from bot.delivery.updates import prune_processed_updates
from bot.services.conversations.reminders import send_reminders
from bot.services.conversations.retention import purge_old_conversations
from bot.services.emergency_calls.repeats import run_calls
from bot.services.onboarding.joining import prune_failed_attempts
from bot.services.photo_updates.housekeeping import purge_expired
from bot.services.reviews.complaints import publish_due
from bot.services.reviews.invitations import send_rating_invitations
from bot.services.stream.push import deliver_due as push_stream
from bot.services.stream.targets import AllowList
from bot.services.visits import send_day_lists
from bot.services.wellbeing.digest import purge_old_notes, send_digests

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    """``run`` every ``every_seconds``, the first time right after start."""

    name: str
    every_seconds: float
    run: Callable[[], Awaitable[object]]


JOBS: list[PeriodicJob] = [
    PeriodicJob("prune processed update ids", 3600.0, prune_processed_updates),
    PeriodicJob("purge photo updates past their retention", 24 * 3600.0, purge_expired),
    PeriodicJob("purge conversations past their retention", 24 * 3600.0,
                purge_old_conversations),
    PeriodicJob("blank the content of outbox rows older than 30 days", 24 * 3600.0,
                blank_old_content),
    PeriodicJob("forget wrong invite codes after their hour", 3600.0, prune_failed_attempts),
    PeriodicJob("remind the team of unanswered conversations", 300.0, send_reminders),
    PeriodicJob("publish complaints after their response window", 300.0, publish_due),
    PeriodicJob("invite relatives to rate", 3600.0, send_rating_invitations),
    PeriodicJob("repeat unanswered urgent alerts, tell their senders after an hour", 60.0,
                run_calls),
    PeriodicJob("send each staff group its day's visits", 300.0, send_day_lists),
    PeriodicJob("send the evening digests of wellbeing notes", 300.0, send_digests),
    PeriodicJob("purge wellbeing notes past their retention", 24 * 3600.0, purge_old_notes),
]


def push_stream_job(settings: Settings) -> PeriodicJob:
    """Pushing the review stream: to public addresses, and the hosts the operator allows."""
    allow = AllowList.parse(settings.push_allow_hosts)
    return PeriodicJob("push the review stream to subscribed portals", 1.0,
                       partial(push_stream, allow=allow))


async def run_periodically(job: PeriodicJob) -> None:
    """Run ``job`` until cancelled; a failure is logged and the job runs again next time."""
    while True:
        try:
            await job.run()
        except Exception:
            log.exception("the periodic job %r failed", job.name)
        await asyncio.sleep(job.every_seconds)
