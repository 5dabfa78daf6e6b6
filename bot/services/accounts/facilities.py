"""Facilities (care homes): creating them, finding them, their settings."""

from __future__ import annotations

import re
from functools import cache
from zoneinfo import available_timezones

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.text import check_name, clean
from bot.i18n import available_locales
from bot.models import Facility, Role, StaffRole
from bot.services.accounts import audit
from bot.services.accounts.actors import Actor, ranks_at_least, require_role

SLUG = re.compile(r"[a-z0-9-]{2,64}")
NAME_MAX = 200
CONTACT_MAX = 1000
MAX_RELATIVES_LIMIT = 50
# Ratings: the allowed range of each whole-number setting. Narrow on purpose: a home must not
# hold negative ratings back for weeks, nor let relatives rate only once in years.
RATING_LIMITS: dict[str, tuple[int, int]] = {
    "rating_interval_days": (30, 365),
    "complaint_window_hours": (24, 168),
    "rating_invite_after_days": (1, 365),
}

# The settings a facility admin may change, and the column each one is.
SETTINGS = frozenset(
    {"name", "timezone", "default_locale", "contact", "relatives_may_invite",
     "max_relatives_per_resident", "four_eyes", "photo_retention_days",
     "conversation_retention_days", *RATING_LIMITS}
)
RETENTION_DAYS = (1, 3650)  # how long photo updates may be kept, in days
# How long conversations are kept, in days: long enough to look back on a year of care, and
# never for good.
CONVERSATION_RETENTION_DAYS = (30, 1095)


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def valid_timezone(timezone: str) -> str:
    """``timezone`` if it is an IANA zone name (``Europe/Berlin``), else :class:`InvalidInput`."""
    if timezone not in _timezones():
        raise InvalidInput(
            "timezone", f"{timezone!r} is not a known time zone (e.g. Europe/Berlin)"
        )
    return timezone


def valid_locale(locale: str) -> str:
    """``locale`` if there is a catalog for it, else :class:`InvalidInput`."""
    if locale not in available_locales():
        choices = ", ".join(available_locales())
        raise InvalidInput("locale", f"{locale!r} is not available (one of {choices})")
    return locale


def valid_name(name: str, *, field: str = "name", maximum: int = NAME_MAX) -> str:
    """The name cleaned, on one line, without surrounding spaces; :class:`InvalidInput` when
    empty, invisible, reversed (:func:`~bot.domain.text.check_name`) or too long."""
    name = check_name(name, field)
    if len(name) > maximum:
        raise InvalidInput(field, f"must be at most {maximum} characters")
    return name


def _valid_setting(key: str, value: object) -> object:
    if key == "name":
        return valid_name(str(value))
    if key == "timezone":
        return valid_timezone(str(value))
    if key == "default_locale":
        return valid_locale(str(value))
    if key == "contact":
        contact = clean(str(value)).strip()
        if len(contact) > CONTACT_MAX:
            raise InvalidInput("contact", f"must be at most {CONTACT_MAX} characters")
        return contact
    if key in ("relatives_may_invite", "four_eyes"):
        if not isinstance(value, bool):
            raise InvalidInput(key, "must be true or false")
        return value
    # max_relatives_per_resident, the retentions and the rating settings
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(key, "must be a whole number")
    limits = {"photo_retention_days": RETENTION_DAYS,
              "conversation_retention_days": CONVERSATION_RETENTION_DAYS, **RATING_LIMITS}
    lowest, highest = limits.get(key, (1, MAX_RELATIVES_LIMIT))
    if not lowest <= value <= highest:
        raise InvalidInput(key, f"must be between {lowest} and {highest}")
    return value


async def create_facility(
    actor: Actor, *, slug: str, name: str, timezone: str = "Europe/Berlin", locale: str = "de"
) -> Facility:
    """A new facility. Only platform admins (and the command line) may create one.

    ``slug`` is its short name in links and commands: 2-64 of ``a-z``, ``0-9`` and ``-``.
    """
    if not actor.platform_admin:
        raise NotAllowed("only platform admins create facilities")
    if not SLUG.fullmatch(slug):
        raise InvalidInput("slug", "use 2-64 characters of a-z, 0-9 and -")
    name = valid_name(name)
    valid_timezone(timezone)
    valid_locale(locale)
    if await Facility.exists(slug=slug):
        raise InvalidInput("slug", f"{slug!r} is already taken")
    try:
        async with in_transaction():
            facility = await Facility.create(
                slug=slug, name=name, timezone=timezone, default_locale=locale
            )
            await audit.record(
                actor, "facility.create", facility=facility, subject=f"facility:{facility.id}",
                slug=slug, timezone=timezone, locale=locale,
            )
    except IntegrityError:  # created by someone else a moment ago
        raise InvalidInput("slug", f"{slug!r} is already taken") from None
    return facility


async def facility_by_slug(slug: str) -> Facility:
    """The facility with this slug, or :class:`NotFound`."""
    facility = await Facility.get_or_none(slug=slug)
    if facility is None:
        raise NotFound(f"no facility {slug!r}")
    return facility


async def get_facility(actor: Actor, facility_id: int, minimum: Role = Role.STAFF) -> Facility:
    """The facility, if the actor holds at least ``minimum`` in it."""
    facility = await Facility.get_or_none(id=facility_id)
    if facility is None:
        raise NotFound(f"no facility {facility_id}")
    await require_role(actor, facility.id, minimum)
    return facility


async def facilities_for(actor: Actor, minimum: Role = Role.STAFF) -> list[Facility]:
    """The facilities where the actor holds at least ``minimum``, by name (all for admins)."""
    if actor.platform_admin:
        return await Facility.all().order_by("name", "id")
    if actor.account is None:
        return []
    held = await StaffRole.filter(account_id=actor.account.id).select_related("facility")
    found = [role.facility for role in held if ranks_at_least(role.role, minimum)]
    return sorted(found, key=lambda facility: (facility.name.casefold(), facility.id))


async def update_facility(actor: Actor, facility_id: int, **settings: object) -> Facility:
    """Change a facility's settings (see :data:`SETTINGS`); needs the admin role. Audited."""
    facility = await get_facility(actor, facility_id, Role.ADMIN)
    unknown = sorted(set(settings) - SETTINGS)
    if unknown:
        raise InvalidInput(unknown[0], "is not a facility setting")
    changes = {key: _valid_setting(key, value) for key, value in settings.items()}
    changed = {key: value for key, value in changes.items() if getattr(facility, key) != value}
    if not changed:
        return facility
    async with in_transaction():
        facility.update_from_dict(changed)
        await facility.save(update_fields=list(changed))
        await audit.record(
            actor, "facility.update", facility=facility, subject=f"facility:{facility.id}",
            **changed,
        )
    return facility
