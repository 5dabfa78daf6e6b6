"""/visits: the team sees today's and tomorrow's visits of its home(s), by unit."""

from __future__ import annotations

import datetime as dt

from telegram import Update

from bot import clock
from bot.services import accounts
from bot.services import visits as service
from handlers.kit.context import HeimboteContext, actor_of
from handlers.kit.screens import show


async def show_visits(update: Update, context: HeimboteContext) -> None:
    """Today's and tomorrow's bookings, for every home where the account is on the team."""
    tr, locale = context.tr, context.tr.locale
    actor = actor_of(context)
    homes = await accounts.facilities_for(actor)
    if not homes:
        await show(update, tr._("Only the team of a care home can see its visits."))
        return
    parts = []
    for home in homes:
        facility, visits = await service.staff_list(actor, home.id, days=2)
        today = service.local_day(clock.now(), facility.timezone)
        lines = [tr._("Visits at {home}").format(home=facility.name)]
        for day, title in ((today, tr._("Today")),
                           (today + dt.timedelta(days=1), tr._("Tomorrow"))):
            of_day = [v for v in visits
                      if service.local_day(v.starts_at, facility.timezone) == day]
            lines.append(f"\n{title}, {service.day_text(locale, day)}:")
            lines.extend(service.by_unit(locale, of_day, facility.timezone)
                         or [tr._("No visits booked.")])
        parts.append("\n".join(lines))
    await show(update, "\n\n".join(parts))
