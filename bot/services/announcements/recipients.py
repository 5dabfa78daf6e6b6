"""Who gets an announcement, and the version each of them reads."""

from __future__ import annotations

from bot.delivery.outbox import Outgoing, Recipient
from bot.models import (
    Account,
    Announcement,
    Audience,
    Facility,
    RelativeLink,
    ResidentStatus,
    StaffRole,
)


async def recipients_of(announcement: Announcement) -> list[tuple[Recipient, str]]:
    """Who gets it, each once, with the language of the version they get.

    Relatives: accounts with an active link to an active resident of the facility (of the
    unit); staff: the facility's staff. Unreachable accounts are left out.
    """
    facility = await Facility.get(id=announcement.facility_id)  # type: ignore[attr-defined]
    accounts: dict[int, Account] = {}
    if announcement.audience == Audience.STAFF:
        roles = await StaffRole.filter(
            facility_id=facility.id, account__unreachable=False
        ).prefetch_related("account")
        accounts = {role.account.id: role.account for role in roles}
    else:
        query = RelativeLink.filter(
            active=True,
            resident__facility_id=facility.id,
            resident__status=ResidentStatus.ACTIVE,
            account__unreachable=False,
        )
        if announcement.audience == Audience.UNIT:
            query = query.filter(resident__unit_id=announcement.unit_id)  # type: ignore[attr-defined]
        for link in await query.prefetch_related("account").order_by("id"):
            accounts.setdefault(link.account.id, link.account)
    chosen = []
    for account in sorted(accounts.values(), key=lambda account: account.id):
        locale = account.locale if account.locale in announcement.texts else None
        recipient = Recipient(account.telegram_id, account, facility.timezone)
        chosen.append((recipient, locale or announcement.default_locale))
    return chosen


def outgoing_in(announcement: Announcement, locale: str) -> Outgoing:
    """The message as recipients of the ``locale`` version see it."""
    version = announcement.texts.get(locale) or announcement.texts[announcement.default_locale]
    if announcement.photo_file_id:
        outgoing = Outgoing.photo(announcement.photo_file_id, version["text"])
        if version["entities"]:
            outgoing.content["caption_entities"] = version["entities"]
        return outgoing
    return Outgoing.text(version["text"], entities=version["entities"])
