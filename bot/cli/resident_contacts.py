"""``heimbote resident contacts``: a resident's emergency contacts, listed or changed.

The relatives are named by their account id (as the listing shows it). Goes through the same
service as the resident's card in Telegram, as :meth:`Actor.cli`, audited with ``via=cli``.
"""

from __future__ import annotations

import argparse

from bot.cli.errors import CommandError, CommandFailed
from bot.cli.output import emit, table
from bot.config import Settings
from bot.db import database
from bot.models import Resident
from bot.services import emergency_calls
from bot.services.accounts import facilities
from bot.services.accounts.actors import Actor

CLI = Actor.cli()


async def resident_contacts(settings: Settings, args: argparse.Namespace) -> None:
    """List the resident's relatives and who is an emergency contact; ``--add``/``--remove``
    one first."""
    if args.add is not None and args.remove is not None:
        raise CommandError("give either --add or --remove, not both")
    async with database(settings.database_url):
        facility = await facilities.facility_by_slug(args.facility)
        if not await Resident.filter(id=args.resident, facility_id=facility.id).exists():
            raise CommandFailed(f"no resident {args.resident} in {facility.slug}")
        if args.add is not None or args.remove is not None:
            account_id = args.add if args.add is not None else args.remove
            contacts = await emergency_calls.set_emergency_contact(
                CLI, args.resident, account_id, args.add is not None)
        else:
            contacts = await emergency_calls.contacts_of(CLI, args.resident)
    emit(
        args,
        [{"relative": c.account_id, "name": c.name, "relation": c.relation,
          "emergency_contact": c.emergency} for c in contacts],
        table(["RELATIVE", "NAME", "RELATION", "EMERGENCY CONTACT"],
              [[c.account_id, c.name, c.relation, "yes" if c.emergency else "no"]
               for c in contacts]) if contacts else ["no relatives linked"],
    )
