"""How a facility receives relatives' messages: its staff group, the inbox duty, reminder times.

With a linked staff group, every relative's message appears there (in its own forum topic when
the group is a forum). Without one, it goes in private chat to the facility's admins and to the
staff members with the inbox duty.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from bot import clock
from bot.delivery.outbox import Outgoing, Recipient, enqueue
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.text import clean
from bot.models import Account, ConversationSetup, Facility, Role, StaffRole
from bot.services.accounts import audit
from bot.services.accounts.actors import Actor, require_role
from bot.services.conversations.texts import group_removed_text

SYSTEM = Actor(account=None, platform_admin=True, via="system")
REMINDER_HOURS_RANGE = range(1, 49)  # hours of daytime
ESCALATION_HOURS_RANGE = range(1, 169)  # up to a week
NOTICE = "conversation.notice"


@dataclass(frozen=True)
class StaffChat:
    """Where staff read a thread: a chat, the language it is written in, whether in a topic."""

    recipient: Recipient
    locale: str
    in_topic: bool = False


async def setup_of(
    facility_id: int, using_db: BaseDBAsyncClient | None = None
) -> ConversationSetup:
    """The facility's conversation setup (made with the defaults the first time)."""
    setup, _ = await ConversationSetup.get_or_create(facility_id=facility_id, using_db=using_db)
    return setup


async def facility_of_group(chat_id: int) -> Facility | None:
    """The facility a group is linked with, if any."""
    setup = await ConversationSetup.get_or_none(group_chat_id=chat_id).prefetch_related("facility")
    return setup.facility if setup else None


async def link_group(
    actor: Actor, facility_id: int, *, chat_id: int, title: str, is_forum: bool
) -> int | None:
    """Link a Telegram group as the facility's staff group. Admin. Audited.

    A group serves one facility (:class:`InvalidInput` ``group`` when it is another's); a
    facility has one group: linking a new one replaces the old, whose chat id is returned.
    """
    await require_role(actor, facility_id, Role.ADMIN)
    taken = await ConversationSetup.get_or_none(group_chat_id=chat_id)
    if taken is not None and taken.facility_id != facility_id:
        raise InvalidInput("group", "linked with another facility")
    async with in_transaction() as connection:
        facility = await Facility.get(id=facility_id, using_db=connection)
        setup = await setup_of(facility_id, connection)
        previous = setup.group_chat_id if setup.group_chat_id != chat_id else None
        setup.group_chat_id = chat_id
        setup.group_title = clean(title, lines=False)[:255]
        setup.group_is_forum = is_forum
        setup.group_linked_by = actor.account
        setup.group_linked_at = clock.now()
        await setup.save(using_db=connection)
        await audit.record(
            actor, "conversations.link_group", facility=facility, subject=f"chat:{chat_id}",
            forum=is_forum, replaced=previous,
        )
    return previous


async def unlink_group(actor: Actor, chat_id: int) -> Facility:
    """Unlink a group from its facility (:class:`NotFound` when not linked). Admin. Audited."""
    setup = await ConversationSetup.get_or_none(group_chat_id=chat_id).prefetch_related("facility")
    if setup is None:
        raise NotFound(f"chat {chat_id} is not linked")
    await require_role(actor, setup.facility.id, Role.ADMIN)
    async with in_transaction():
        await _forget_group(setup)
        await audit.record(
            actor, "conversations.unlink_group", facility=setup.facility,
            subject=f"chat:{chat_id}",
        )
    return setup.facility


async def _forget_group(setup: ConversationSetup) -> None:
    setup.group_chat_id = None
    setup.group_title = ""
    setup.group_is_forum = False
    setup.group_linked_by = None
    setup.group_linked_at = None
    await setup.save()


async def bot_left_group(chat_id: int) -> Facility | None:
    """The bot was removed from a group: unlink it and tell the facility's admins. Audited."""
    setup = await ConversationSetup.get_or_none(group_chat_id=chat_id).prefetch_related("facility")
    if setup is None:
        return None
    facility, title = setup.facility, setup.group_title
    async with in_transaction() as connection:
        await _forget_group(setup)
        await audit.record(SYSTEM, "conversations.group_lost", facility=facility,
                           subject=f"chat:{chat_id}")
        for chat in await admin_chats(facility, connection):
            await enqueue(
                [chat.recipient],
                Outgoing.text(group_removed_text(chat.locale, facility=facility.name, group=title)),
                purpose=NOTICE, reference=f"group-lost:{chat_id}:{clock.now().isoformat()}"[:64],
                urgent=True, using_db=connection,
            )
    return facility


@dataclass(frozen=True)
class Overview:
    """A facility's conversation setup with the names of the staff on inbox duty."""

    facility: Facility
    setup: ConversationSetup
    inbox: list[str]


async def overview(actor: Actor, facility_id: int) -> Overview:
    """The facility's staff group, inbox duty and reminder settings. Admin."""
    await require_role(actor, facility_id, Role.ADMIN)
    facility = await Facility.get(id=facility_id)
    roles = await StaffRole.filter(facility_id=facility_id, inbox=True).prefetch_related(
        "account").order_by("id")
    return Overview(facility, await setup_of(facility_id),
                    [role.account.first_name for role in roles])


async def update_settings(
    actor: Actor,
    facility_id: int,
    *,
    reminder_hours: int | None = None,
    escalation_hours: int | None = None,
) -> ConversationSetup:
    """Change when the team is reminded (daytime hours) and the admins told. Admin. Audited."""
    await require_role(actor, facility_id, Role.ADMIN)
    changes: dict[str, int] = {}
    for field, value, allowed in (
        ("reminder_hours", reminder_hours, REMINDER_HOURS_RANGE),
        ("escalation_hours", escalation_hours, ESCALATION_HOURS_RANGE),
    ):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
            raise InvalidInput(field, f"must be between {allowed.start} and {allowed.stop - 1}")
        changes[field] = value
    async with in_transaction() as connection:
        setup = await setup_of(facility_id, connection)
        changed = {k: v for k, v in changes.items() if getattr(setup, k) != v}
        if changed:
            setup.update_from_dict(changed)
            await setup.save(using_db=connection, update_fields=list(changed))
            facility = await Facility.get(id=facility_id, using_db=connection)
            await audit.record(actor, "conversations.settings", facility=facility,
                               subject=f"facility:{facility_id}", **changed)
    return setup


async def set_inbox(actor: Actor, facility_id: int, account_id: int, on: bool) -> StaffRole:
    """Give a team member the inbox duty (or take it away). Admin. Audited."""
    await require_role(actor, facility_id, Role.ADMIN)
    held = await StaffRole.get_or_none(facility_id=facility_id, account_id=account_id)
    if held is None:
        raise NotFound(f"account {account_id} has no role in facility {facility_id}")
    if held.inbox != on:
        async with in_transaction():
            held.inbox = on
            await held.save(update_fields=["inbox"])
            facility = await Facility.get(id=facility_id)
            await audit.record(actor, "staff.inbox", facility=facility,
                               subject=f"account:{account_id}", inbox=on)
    return held


async def staff_member(facility_id: int, telegram_id: int) -> Account:
    """The account of a team member by Telegram id (:class:`NotFound` if not on the team)."""
    held = await StaffRole.get_or_none(
        facility_id=facility_id, account__telegram_id=telegram_id
    ).prefetch_related("account")
    if held is None:
        raise NotFound(f"Telegram user {telegram_id} is not on the team of facility {facility_id}")
    return held.account


def _private(account: Account, facility: Facility) -> StaffChat:
    return StaffChat(
        Recipient(account.telegram_id, account, facility.timezone),
        account.locale or facility.default_locale,
    )


async def admin_chats(
    facility: Facility, using_db: BaseDBAsyncClient | None = None
) -> list[StaffChat]:
    """The facility's admins in private chat (reachable ones)."""
    roles = await StaffRole.filter(
        facility_id=facility.id, role=Role.ADMIN, account__unreachable=False
    ).using_db(using_db).prefetch_related("account").order_by("id")
    return [_private(role.account, facility) for role in roles]


async def staff_chats(
    facility: Facility, using_db: BaseDBAsyncClient | None = None
) -> list[StaffChat]:
    """Where the facility's staff read relatives' messages.

    The linked staff group (in the thread's forum topic when it is a forum), else every admin
    and every staff member with the inbox duty, each in private chat and their own language.
    """
    setup = await setup_of(facility.id, using_db)
    if setup.group_chat_id is not None:
        return [StaffChat(Recipient(setup.group_chat_id), facility.default_locale,
                          in_topic=setup.group_is_forum)]
    roles = await StaffRole.filter(
        facility_id=facility.id, account__unreachable=False
    ).using_db(using_db).prefetch_related("account").order_by("id")
    return [
        _private(role.account, facility) for role in roles
        if role.inbox or role.role == Role.ADMIN
    ]
