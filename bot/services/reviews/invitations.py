"""Invitations to rate: the bot asks relatives on its own, never twice in one interval.

The first invitation goes ``Facility.rating_invite_after_days`` after a relative was linked to
a resident of the home, then at most once per ``rating_interval_days``, and not while a rating
of theirs from this interval exists. Invitations go through the outbox (quiet hours kept) with
a "Rate now" button that starts ``/rate`` for that home.
"""

from __future__ import annotations

import datetime as dt

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from bot import clock
from bot.delivery.outbox import Outgoing, Recipient, enqueue
from bot.domain.callbacks import Prefix, button
from bot.i18n import translator
from bot.models import (
    Account,
    Facility,
    RatingInvitation,
    RelativeLink,
    ResidentStatus,
    Review,
    StaffRole,
)
from bot.services.accounts.accounts import locale_of
from bot.services.reviews.ratings import NOT_COUNTED

PURPOSE = "rating_invitation"
RATING_BUTTONS = Prefix.RATING
# Only one process sends invitations at a time (PostgreSQL): "HBRI".
INVITATION_LOCK_KEY = 0x48_42_52_49


async def _locked(connection: BaseDBAsyncClient) -> bool:
    """Take the invitation lock for this transaction (always granted on SQLite)."""
    if connection.capabilities.dialect != "postgres":
        return True
    _, rows = await connection.execute_query(
        "SELECT pg_try_advisory_xact_lock($1) AS locked", [INVITATION_LOCK_KEY]
    )
    return bool(rows[0]["locked"])


async def _due(
    account: Account, facility: Facility, linked_since: dt.datetime, now: dt.datetime,
    connection: BaseDBAsyncClient,
) -> bool:
    if linked_since > now - dt.timedelta(days=facility.rating_invite_after_days):
        return False
    interval_start = now - dt.timedelta(days=facility.rating_interval_days)
    invited = await RatingInvitation.filter(
        account_id=account.id, facility_id=facility.id, sent_at__gt=interval_start
    ).using_db(connection).exists()
    if invited:
        return False
    rated = await Review.filter(
        author_id=account.id, facility_id=facility.id, created_at__gt=interval_start
    ).exclude(state__in=NOT_COUNTED).using_db(connection).exists()
    return not rated


async def send_rating_invitations(now: dt.datetime | None = None) -> int:
    """Invite every relative who is due; returns how many were invited this run.

    Safe in several processes: on PostgreSQL one run at a time holds an advisory lock (the
    others skip), and the outbox reference counts the invitations, so a repeat sends once.
    """
    moment = now or clock.now()
    invited = 0
    async with in_transaction() as connection:
        if not await _locked(connection):
            return 0
        links = await RelativeLink.filter(
            active=True, resident__status=ResidentStatus.ACTIVE, account__unreachable=False
        ).using_db(connection).prefetch_related("account", "resident__facility").order_by("id")
        earliest: dict[tuple[int, int], tuple[Account, Facility, dt.datetime]] = {}
        for link in links:
            key = (link.account.id, link.resident.facility.id)
            if key not in earliest or link.created_at < earliest[key][2]:
                earliest[key] = (link.account, link.resident.facility, link.created_at)
        staff = set(await StaffRole.all().using_db(connection).values_list(
            "account_id", "facility_id"))
        for (account_id, facility_id), (account, facility, since) in sorted(earliest.items()):
            if (account_id, facility_id) in staff:
                continue
            if await _due(account, facility, since, moment, connection):
                await invite(account, facility, moment, connection)
                invited += 1
    return invited


async def invite(
    account: Account, facility: Facility, now: dt.datetime, connection: BaseDBAsyncClient
) -> None:
    """Record one invitation and put its message in the outbox (it waits for quiet hours)."""
    count = await RatingInvitation.filter(
        account_id=account.id, facility_id=facility.id
    ).using_db(connection).count()
    await RatingInvitation.create(
        using_db=connection, account=account, facility=facility, sent_at=now
    )
    tr = translator(locale_of(account, None, facility.default_locale))
    text = tr._(
        "How are things at {home}? Your rating helps other families and the home itself. "
        "It takes under a minute: stars, and a comment if you like."
    ).format(home=facility.name)
    rows = [[button(tr._("Rate now"), RATING_BUTTONS, "start", facility.id)]]
    await enqueue(
        [Recipient(account.telegram_id, account, facility.timezone)],
        Outgoing.text(text, buttons=rows),
        purpose=PURPOSE, reference=f"{facility.id}:{count + 1}", not_before=now,
        using_db=connection,
    )
