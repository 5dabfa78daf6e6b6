"""The rules of joining, relatives' controls and data rights, without Telegram."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from tortoise import Tortoise

from bot import clock
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.models import (
    Account,
    AuditEntry,
    AwaitedInput,
    Facility,
    FailedInviteAttempt,
    Invite,
    InviteKind,
    RelativeLink,
    Resident,
    ResidentStatus,
    Role,
    StaffRole,
)
from bot.services.accounts import relatives
from bot.services.onboarding import joining
from bot.services.onboarding.invite_codes import code_hash
from bot.services.privacy import privacy
from tests import factories

pytestmark = [pytest.mark.usefixtures("db"), pytest.mark.calendar]

async def invite(
    code: str, facility: Facility, resident: Resident | None = None, **fields: Any
) -> Invite:
    values: dict[str, Any] = {
        "kind": InviteKind.RELATIVE if resident else InviteKind.STAFF,
        "max_uses": 1,
        "expires_at": clock.now() + dt.timedelta(days=14),
    }
    values.update(fields)
    return await Invite.create(
        code_hash=code_hash(code), facility=facility, resident=resident, **values
    )


CODE = "ABCDEFGHJKMN"


async def test_a_relative_joins_and_is_linked() -> None:
    facility = await factories.home("sonnenhof")
    frau_m = await factories.resident(facility, "Frau M.")
    await invite(CODE, facility, frau_m)
    anna = await factories.account("Anna")

    offered = await joining.begin_join(anna, "abcd efgh-jkmn")
    assert (offered.resident_name, offered.facility_name) == ("Frau M.", "Haus Sonnenhof")
    assert (await Account.get(id=anna.id)).pending_invite_id == offered.invite_id
    joined = await joining.accept_join(anna)

    assert joined.resident_name == "Frau M."
    assert await RelativeLink.filter(account=anna, resident=frau_m, active=True).exists()
    stored = await Account.get(id=anna.id)
    assert stored.pending_invite_id is None and stored.privacy_accepted_at is not None
    assert (await Invite.get(code_hash=code_hash(CODE))).uses == 1
    assert await AuditEntry.filter(actor=anna, action="invite.accept.relative").exists()


async def test_a_relative_may_follow_several_residents_in_several_homes() -> None:
    anna = await factories.account("Anna")
    for index, slug in enumerate(("sonnenhof", "lindenhaus")):
        facility = await factories.home(slug)
        code = f"ABCDEFGHJKM{index + 2}"
        await invite(code, facility, await factories.resident(facility, f"Herr {index}"))
        await joining.begin_join(anna, code)
        await joining.accept_join(anna)
    assert [link.facility_name for link in await relatives.links_of(anna)] == [
        "Haus Sonnenhof", "Haus Lindenhaus"
    ]


@pytest.mark.parametrize("case", ["unknown", "expired", "used", "revoked", "moved", "died"])
async def test_every_unusable_code_fails_the_same_way(case: str) -> None:
    facility = await factories.home("sonnenhof")
    frau_m = await factories.resident(facility, "Frau M.")
    fields: dict[str, Any] = {
        "expired": {"expires_at": clock.now() - dt.timedelta(minutes=1)},
        "used": {"uses": 1},
        "revoked": {"revoked_at": clock.now()},
    }.get(case, {})
    if case != "unknown":
        await invite(CODE, facility, frau_m, **fields)
    if case in ("moved", "died"):
        frau_m.status = ResidentStatus.MOVED_OUT if case == "moved" else ResidentStatus.DECEASED
        await frau_m.save()
    anna = await factories.account("Anna")
    with pytest.raises(joining.InviteUnusable) as caught:
        await joining.begin_join(anna, CODE)
    assert str(caught.value) == ""  # the error itself reveals nothing
    assert await joining.failed_attempts(anna) == 1
    assert not await RelativeLink.exists()


async def test_five_wrong_codes_lock_the_account_for_an_hour() -> None:
    facility = await factories.home("sonnenhof")
    await invite(CODE, facility, await factories.resident(facility, "Frau M."))
    anna = await factories.account("Anna")
    for _ in range(joining.MAX_FAILED_ATTEMPTS):
        with pytest.raises(joining.InviteUnusable):
            await joining.begin_join(anna, "ZZZZZZZZZZZZ")
    with pytest.raises(joining.TooManyAttempts) as locked:
        await joining.begin_join(anna, CODE)  # even the right code
    wait = locked.value.retry_at - dt.datetime.now(dt.UTC)
    assert dt.timedelta(minutes=59) < wait <= dt.timedelta(hours=1)
    assert await joining.failed_attempts(anna) == 5  # refusals while locked are not counted

    await FailedInviteAttempt.filter(telegram_id=anna.telegram_id).update(
        attempted_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=61)
    )
    assert (await joining.begin_join(anna, CODE)).resident_name == "Frau M."


async def test_a_single_use_code_is_taken_by_exactly_one_account() -> None:
    facility = await factories.home("sonnenhof")
    await invite(CODE, facility, await factories.resident(facility, "Frau M."))
    anna, bert = await factories.account("Anna"), await factories.account("Bert")
    await joining.begin_join(anna, CODE)
    await joining.begin_join(bert, CODE)

    outcomes = await asyncio.gather(
        joining.accept_join(anna), joining.accept_join(bert), return_exceptions=True
    )
    assert sum(isinstance(o, joining.Joined) for o in outcomes) == 1
    assert sum(isinstance(o, joining.InviteUnusable) for o in outcomes) == 1
    assert await RelativeLink.all().count() == 1
    assert (await Invite.get(code_hash=code_hash(CODE))).uses == 1


async def test_an_invite_revoked_while_reading_the_notice_is_refused() -> None:
    facility = await factories.home("sonnenhof")
    stored = await invite(CODE, facility, await factories.resident(facility, "Frau M."))
    anna = await factories.account("Anna")
    await joining.begin_join(anna, CODE)
    stored.revoked_at = clock.now()
    await stored.save()
    with pytest.raises(joining.InviteUnusable):
        await joining.accept_join(anna)
    assert not await RelativeLink.exists()


async def test_declining_stores_nothing() -> None:
    facility = await factories.home("sonnenhof")
    await invite(CODE, facility, await factories.resident(facility, "Frau M."))
    anna = await factories.account("Anna")
    await joining.begin_join(anna, CODE)
    await joining.decline_join(anna)
    assert (await Account.get(id=anna.id)).pending_invite_id is None
    assert not await RelativeLink.exists()
    assert (await Invite.get(code_hash=code_hash(CODE))).uses == 0
    with pytest.raises(joining.InviteUnusable):
        await joining.accept_join(anna)


async def test_an_already_linked_relative_is_told_so() -> None:
    facility = await factories.home("sonnenhof")
    frau_m = await factories.resident(facility, "Frau M.")
    await invite(CODE, facility, frau_m, max_uses=3)
    anna = await factories.account("Anna")
    await joining.begin_join(anna, CODE)
    await joining.accept_join(anna)
    with pytest.raises(joining.AlreadyJoined) as caught:
        await joining.begin_join(anna, CODE)
    assert caught.value.invitation.resident_name == "Frau M."
    assert (await Invite.get(code_hash=code_hash(CODE))).uses == 1


async def test_staff_invites_grant_and_upgrade_roles_but_never_downgrade() -> None:
    facility = await factories.home("sonnenhof")
    ben = await factories.account("Ben")
    await invite(CODE, facility, role=Role.STAFF)
    await joining.begin_join(ben, CODE)
    assert (await joining.accept_join(ben)).role == Role.STAFF
    await invite("ABCDEFGHJKM2", facility, role=Role.APPROVER)
    await joining.begin_join(ben, "ABCDEFGHJKM2")
    await joining.accept_join(ben)
    assert (await StaffRole.get(account=ben)).role == Role.APPROVER

    await invite("ABCDEFGHJKM3", facility, role=Role.STAFF)
    with pytest.raises(joining.AlreadyJoined):
        await joining.begin_join(ben, "ABCDEFGHJKM3")
    assert (await StaffRole.get(account=ben)).role == Role.APPROVER


async def test_relatives_invite_family_only_where_the_home_allows_and_up_to_its_limit() -> None:
    facility = await factories.home("sonnenhof", max_relatives_per_resident=3)
    frau_m = await factories.resident(facility, "Frau M.")
    anna = await factories.account("Anna")
    await factories.link(anna, frau_m)
    assert await joining.invitable_residents(anna) == []
    with pytest.raises(NotAllowed):
        await joining.create_family_invite(anna, frau_m.id)

    facility.relatives_may_invite = True
    await facility.save()
    assert [r.resident_name for r in await joining.invitable_residents(anna)] == ["Frau M."]
    first = await joining.create_family_invite(anna, frau_m.id)
    await joining.create_family_invite(anna, frau_m.id)
    with pytest.raises(joining.ResidentFull):  # 1 link + 2 open invites = 3
        await joining.create_family_invite(anna, frau_m.id)

    bert = await factories.account("Bert")
    await joining.begin_join(bert, first.code)
    assert (await joining.accept_join(bert)).resident_name == "Frau M."
    with pytest.raises(NotFound):  # Bert's own resident is fine, a stranger's is not
        await joining.create_family_invite(bert, (await factories.resident(facility, "Herr K.")).id)


async def test_photo_updates_quiet_hours_and_unlink_touch_only_ones_own_links() -> None:
    facility = await factories.home("sonnenhof")
    frau_m = await factories.resident(facility, "Frau M.")
    anna, bert = await factories.account("Anna"), await factories.account("Bert")
    annas = await factories.link(anna, frau_m)

    assert not (await relatives.set_photo_updates(anna, annas.id, False)).photo_updates
    for intruder_action in (
        relatives.set_photo_updates(bert, annas.id, True),
        relatives.unlink(bert, annas.id),
    ):
        with pytest.raises(NotFound):
            await intruder_action
    assert await RelativeLink.filter(id=annas.id, photo_updates=False).exists()

    assert relatives.quiet_hours(anna) == relatives.DEFAULT_QUIET_HOURS
    assert relatives.quiet_preset(anna) == "21-8"
    await relatives.set_quiet_hours(anna, "off")
    assert relatives.quiet_hours(await Account.get(id=anna.id)) is None
    await relatives.set_quiet_hours(anna, "22-7")
    assert relatives.quiet_preset(await Account.get(id=anna.id)) == "22-7"
    with pytest.raises(InvalidInput):
        await relatives.set_quiet_hours(anna, "3-4")

    await relatives.unlink(anna, annas.id)
    assert await relatives.links_of(anna) == []


async def test_the_export_holds_everything_about_the_account() -> None:
    facility = await factories.home("sonnenhof", contact="Frau Schulz, 030 1234")
    anna = await factories.account("Anna", telegram_id=700_000_001)
    await invite(CODE, facility, await factories.resident(facility, "Frau M."))
    await joining.begin_join(anna, CODE)
    await joining.accept_join(anna)
    await factories.give_role(anna, facility, Role.STAFF)

    exported = await privacy.export_account(anna)
    assert exported["account"]["telegram_id"] == 700_000_001
    assert exported["account"]["first_name"] == "Anna"
    assert exported["links"][0]["resident"] == "Frau M."
    assert exported["links"][0]["facility"] == "Haus Sonnenhof"
    assert exported["roles"] == [
        {"facility": "Haus Sonnenhof", "role": "staff", "since": exported["roles"][0]["since"]}
    ]
    assert exported["actions"][0]["action"] == "invite.accept.relative"
    contacts = await privacy.facility_contacts(anna)
    assert contacts == [privacy.FacilityContact("Haus Sonnenhof", "Frau Schulz, 030 1234")]


async def every_value_in_the_database() -> list[object]:
    values: list[object] = []
    for models in Tortoise.apps.values():
        for model in models.values():
            for row in await model.all().values():
                values.extend(row.values())
    return values


async def test_erasure_leaves_no_trace_of_the_person() -> None:
    facility = await factories.home("sonnenhof")
    frau_m = await factories.resident(facility, "Frau M.")
    anna = await factories.account("Annegret", telegram_id=700_000_099)
    await invite(CODE, facility, frau_m)
    await joining.begin_join(anna, CODE)
    await joining.accept_join(anna)
    await factories.give_role(anna, facility, Role.STAFF)
    attempt = await FailedInviteAttempt.create(telegram_id=anna.telegram_id)
    # A wrong code of the last hour outlives the erasure (it keeps the lock); this one is older.
    await FailedInviteAttempt.filter(id=attempt.id).update(
        attempted_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=61))
    await AwaitedInput.create(account=anna, kind="comment", payload={})
    frau_m.consent_recorded_by = anna
    await frau_m.save()
    assert 700_000_099 in await every_value_in_the_database()

    await privacy.erase_account(anna)

    values = await every_value_in_the_database()
    assert not any(v == 700_000_099 or "700000099" in str(v) for v in values)
    assert not any("Annegret" in str(v) for v in values)
    assert await AuditEntry.filter(action="invite.accept.relative").exists()  # the fact stays
    assert await Resident.filter(id=frau_m.id, consent_recorded_by=None).exists()
