"""Who gets an announcement, and the version each of them reads."""

from __future__ import annotations

from bot.delivery.outbox import Outgoing, Recipient
from bot.models import Account, Audience, RelativeLink, ResidentStatus, StaffRole
from bot.services.announcements.views import AnnouncementView


async def recipients_of(announcement: AnnouncementView) -> list[tuple[Recipient, str]]:
    """Who gets it, each once, with the language of the version they get.

    Relatives: accounts with an active link to an active resident of the facility (of the
    unit); staff: the facility's staff. Unreachable accounts are left out.
    """
    accounts: dict[int, Account] = {}
    if announcement.audience == Audience.STAFF:
        roles = await StaffRole.filter(
            facility_id=announcement.facility_id, account__unreachable=False
        ).prefetch_related("account")
        accounts = {role.account.id: role.account for role in roles}
    else:
        query = RelativeLink.filter(
            active=True,
            resident__facility_id=announcement.facility_id,
            resident__status=ResidentStatus.ACTIVE,
            account__unreachable=False,
        )
        if announcement.audience == Audience.UNIT:
            query = query.filter(resident__unit_id=announcement.unit_id)
        for link in await query.prefetch_related("account").order_by("id"):
            accounts.setdefault(link.account.id, link.account)
    chosen = []
    for account in sorted(accounts.values(), key=lambda account: account.id):
        locale = account.locale if account.locale in announcement.versions else None
        recipient = Recipient(account.telegram_id, account, announcement.timezone)
        chosen.append((recipient, locale or announcement.default_locale))
    return chosen


def outgoing_in(announcement: AnnouncementView, locale: str) -> Outgoing:
    """The message as recipients of the ``locale`` version see it."""
    version = (announcement.versions.get(locale)
               or announcement.versions[announcement.default_locale])
    if announcement.photo_file_id:
        outgoing = Outgoing.photo(announcement.photo_file_id, version.text)
        if version.entities:
            outgoing.content["caption_entities"] = list(version.entities)
        return outgoing
    return Outgoing.text(version.text, entities=version.entities)
