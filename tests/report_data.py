"""Hand-made data for the quality report of March 2026 at Haus Linden (Europe/Berlin).

Every row gets its time set by hand, so each test knows exactly which month it falls in. The
sections whose models come with other capabilities (ratings, conversations, photo updates) are
seeded only where :func:`has` says the model exists.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from bot import models
from bot.models import Account, Facility, Resident, Role
from tests import factories

UTC = dt.UTC
MARCH = dt.date(2026, 3, 1)
NOW = dt.datetime(2026, 4, 10, 12, 0, tzinfo=UTC)  # "today" in these tests
_ids = itertools.count(50_000)  # thread numbers


def at(text: str) -> dt.datetime:
    """``"2026-03-05 12:00"`` in UTC."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


async def backdate(row: Any, **moments: dt.datetime) -> None:
    """Set ``created_at`` & co. after creation (``auto_now_add`` would overwrite them)."""
    await type(row).filter(id=row.id).update(**moments)
    for name, moment in moments.items():
        setattr(row, name, moment)


async def person(name: str, **fields: Any) -> Account:
    """An account with a fresh Telegram id."""
    return await factories.account(name, locale="en", **fields)


async def linden(slug: str = "linden", name: str = "Haus Linden") -> tuple[Facility, Account]:
    """The home and Carla, its admin."""
    facility = await factories.home(slug, name, default_locale="de")
    carla = await factories.staff("Carla", facility, Role.ADMIN, locale="en")
    return facility, carla


async def link(relative: Account, resident: Resident, since: str, active: bool = True) -> None:
    """Link a relative to a resident, made at ``since`` (UTC)."""
    made = await factories.link(relative, resident, active=active)
    await backdate(made, created_at=at(since))


async def relatives(facility: Facility) -> dict[str, Account]:
    """Linked at the end of March: Anna, Ben (new), Emil (unreachable), Gerda (new: local
    1 March 00:30). Not: Dora (linked in April), Fritz (link ended)."""
    mother = await factories.resident(facility, "Frau M.", "12")
    father = await factories.resident(facility, "Herr K.", "14")
    people = {name: await person(name) for name in ("Anna", "Ben", "Dora", "Emil", "Fritz",
                                                     "Gerda")}
    await Account.filter(id=people["Emil"].id).update(unreachable=True)
    await link(people["Anna"], mother, "2025-12-01 10:00")
    await link(people["Anna"], father, "2026-03-15 10:00")  # a second link: still one relative
    await link(people["Ben"], father, "2026-03-05 09:00")
    await link(people["Dora"], mother, "2026-04-02 09:00")
    await link(people["Emil"], father, "2026-01-10 09:00")
    await link(people["Fritz"], mother, "2026-02-10 09:00", active=False)
    await link(people["Gerda"], mother, "2026-02-28 23:30")  # 00:30 on 1 March in Berlin
    return people


async def review(facility: Facility, author: Account | None, when: str, overall: int,
                 state: str = "published", **fields: Any) -> Any:
    """A rating (issue 6's Review), given at ``when``."""
    made = await models.Review.create(
        facility=facility, author=author, pseudonym="Angehörige/r T35T", overall=overall,
        public=True, state=state, **fields)
    await backdate(made, created_at=at(when))
    return made


async def thread(facility: Facility, relative: Account, when: str,
                 answered_after: dt.timedelta | None) -> Any:
    """A conversation opened at ``when``, first answered after ``answered_after`` (or not)."""
    resident = await Resident.filter(facility=facility).first()
    opened = at(when)
    made = await models.Thread.create(
        facility=facility, number=next(_ids), relative=relative, resident=resident,
        created_at=opened, last_relative_message_at=opened,
        first_response_at=None if answered_after is None else opened + answered_after)
    await models.ThreadMessage.create(thread=made, direction="in", author=relative,
                                      text="Wann ist der Arzttermin?", created_at=opened)
    return made


async def photo_update(facility: Facility, author: Account, state: str,
                       submitted: str | None, decided: str | None = None) -> Any:
    """A photo update (issue 5) submitted and decided at the given times."""
    made = await models.PhotoUpdate.create(
        facility=facility, author=author, state=state, file_ids=["AgACAgIAAxkBAA000001fake"],
        submitted_at=at(submitted) if submitted else None,
        decided_at=at(decided) if decided else None)
    return made


async def thanks(update: Any, relative: Account, when: str) -> None:
    """A relative's thank-you for a photo update."""
    made = await models.PhotoThanks.create(update=update, account=relative)
    await backdate(made, created_at=at(when))
