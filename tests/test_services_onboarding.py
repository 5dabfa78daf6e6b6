"""Setting up a home: facilities, residents, consent, invites and staff, and their rules."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.models import (
    Account,
    AuditEntry,
    ConsentGiver,
    Delivery,
    Facility,
    Invite,
    InviteKind,
    PhotoConsent,
    RelativeLink,
    Resident,
    ResidentStatus,
    Role,
)
from bot.services.accounts import facilities, residents, staff
from bot.services.accounts.actors import Actor
from bot.services.onboarding import invites
from bot.services.onboarding.invite_codes import code_hash, normalize
from tests import factories

pytestmark = pytest.mark.calendar  # run at every instant of tests.conftest.CLOCKS

CLI = Actor.cli()


async def member(facility: Facility, role: Role, name: str, telegram_id: int) -> Actor:
    return Actor(account=await factories.staff(name, facility, role, telegram_id=telegram_id))


@pytest.fixture
async def sonnenhof(db: str) -> Facility:
    return await facilities.create_facility(CLI, slug="sonnenhof", name="Haus Sonnenhof")


# --- facilities ------------------------------------------------------------------------------


async def test_a_facility_is_created_with_its_settings_and_audited(db: str) -> None:
    home = await facilities.create_facility(
        CLI, slug="lindenhof-2", name="  Lindenhof ", timezone="Europe/Vienna", locale="en"
    )
    assert (home.name, home.timezone, home.default_locale) == ("Lindenhof", "Europe/Vienna", "en")
    assert await facilities.facility_by_slug("lindenhof-2") == home
    entry = await AuditEntry.get(action="facility.create")
    assert (entry.facility_id, entry.actor_id, entry.via) == (home.id, None, "cli")


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"slug": "Sonnenhof"}, "slug"),
        ({"slug": "x"}, "slug"),
        ({"slug": "haus sonnenhof"}, "slug"),
        ({"timezone": "Europe/Atlantis"}, "timezone"),
        ({"locale": "xx"}, "locale"),
        ({"name": "   "}, "name"),
    ],
)
async def test_a_facility_needs_a_clean_slug_a_real_timezone_and_a_locale(
    db: str, settings: dict[str, str], field: str
) -> None:
    values = {"slug": "lindenhof", "name": "Lindenhof", **settings}
    with pytest.raises(InvalidInput) as error:
        await facilities.create_facility(CLI, **values)
    assert error.value.field == field
    assert await Facility.all().count() == 0


async def test_slugs_are_unique(sonnenhof: Facility) -> None:
    with pytest.raises(InvalidInput, match="already taken"):
        await facilities.create_facility(CLI, slug="sonnenhof", name="Noch ein Sonnenhof")
    with pytest.raises(NotFound):
        await facilities.facility_by_slug("nowhere")


async def test_only_platform_admins_create_facilities(sonnenhof: Facility) -> None:
    admin = await member(sonnenhof, Role.ADMIN, "Lea", 1)
    with pytest.raises(NotAllowed):
        await facilities.create_facility(admin, slug="eigenes-heim", name="Eigenes Heim")


async def test_staff_of_one_home_cannot_touch_another(sonnenhof: Facility) -> None:
    lindenhof = await facilities.create_facility(CLI, slug="lindenhof", name="Lindenhof")
    lea = await member(sonnenhof, Role.ADMIN, "Lea", 1)
    frau_m = await residents.add_resident(CLI, lindenhof.id, display_name="Frau M.")

    assert await facilities.facilities_for(lea) == [sonnenhof]
    assert await facilities.facilities_for(CLI) == [sonnenhof, lindenhof]  # by name
    for attempt in (
        residents.add_resident(lea, lindenhof.id, display_name="Herr K."),
        residents.get_resident(lea, frau_m.id),
        residents.list_residents(lea, lindenhof.id),
        residents.record_consent(lea, frau_m.id, ConsentGiver.RESIDENT),
        invites.create_relative_invite(lea, frau_m.id),
        invites.create_staff_invite(lea, lindenhof.id, Role.ADMIN),
        invites.list_invites(lea, lindenhof.id),
        facilities.update_facility(lea, lindenhof.id, name="Mein Heim"),
        staff.list_staff(lea, lindenhof.id),
    ):
        with pytest.raises(NotAllowed):
            await attempt
    assert await Resident.filter(facility=lindenhof).count() == 1


async def test_plain_staff_see_residents_but_do_not_manage_them(sonnenhof: Facility) -> None:
    ben = await member(sonnenhof, Role.STAFF, "Ben", 2)
    frau_m = await residents.add_resident(CLI, sonnenhof.id, display_name="Frau M.")
    assert (await residents.get_resident(ben, frau_m.id)).display_name == "Frau M."
    with pytest.raises(NotAllowed):
        await residents.add_resident(ben, sonnenhof.id, display_name="Herr K.")
    with pytest.raises(NotAllowed):
        await invites.create_relative_invite(ben, frau_m.id)


async def test_an_admin_changes_the_settings_of_their_home(sonnenhof: Facility) -> None:
    lea = await member(sonnenhof, Role.ADMIN, "Lea", 1)
    home = await facilities.update_facility(
        lea, sonnenhof.id, contact="Tel. 0761 123", relatives_may_invite=True,
        max_relatives_per_resident=3,
    )
    assert (home.contact, home.relatives_may_invite, home.max_relatives_per_resident) == (
        "Tel. 0761 123", True, 3
    )
    entry = await AuditEntry.get(action="facility.update")
    assert entry.actor_id == lea.account.id and entry.via == "telegram"  # type: ignore[union-attr]
    with pytest.raises(InvalidInput):
        await facilities.update_facility(lea, sonnenhof.id, slug="anders")
    with pytest.raises(InvalidInput):
        await facilities.update_facility(lea, sonnenhof.id, timezone="Mars/Olympus")


# --- residents -------------------------------------------------------------------------------


async def test_residents_are_added_listed_searched_and_paged(sonnenhof: Facility) -> None:
    frau_m = await residents.add_resident(
        CLI, sonnenhof.id, display_name="Frau M.", room="12", unit="Wohnbereich 1"
    )
    await residents.add_resident(CLI, sonnenhof.id, display_name="Herr K.", room="14",
                                 unit="Wohnbereich 1")
    await residents.add_resident(CLI, sonnenhof.id, display_name="Anna B.", room="3")
    assert frau_m.unit is not None and frau_m.unit.name == "Wohnbereich 1"
    assert await sonnenhof.units.all().count() == 1  # created once, then reused

    page, total = await residents.list_residents(CLI, sonnenhof.id, limit=2)
    assert [r.display_name for r in page] == ["Anna B.", "Frau M."] and total == 3
    page, _ = await residents.list_residents(CLI, sonnenhof.id, offset=2, limit=2)
    assert [r.display_name for r in page] == ["Herr K."]
    page, total = await residents.list_residents(CLI, sonnenhof.id, search="frau")
    assert [r.display_name for r in page] == ["Frau M."] and total == 1
    page, _ = await residents.list_residents(CLI, sonnenhof.id, search="14")
    assert [r.display_name for r in page] == ["Herr K."]

    with pytest.raises(InvalidInput):
        await residents.add_resident(CLI, sonnenhof.id, display_name=" ")
    with pytest.raises(InvalidInput):
        await residents.add_resident(CLI, sonnenhof.id, display_name="x" * 101)
    with pytest.raises(NotFound):
        await residents.get_resident(CLI, 999)


async def test_a_resident_is_renamed_and_moved(sonnenhof: Facility) -> None:
    frau_m = await residents.add_resident(CLI, sonnenhof.id, display_name="Frau M.", unit="EG")
    moved = await residents.update_resident(CLI, frau_m.id, room="21", unit="")
    assert (moved.display_name, moved.room, moved.unit) == ("Frau M.", "21", None)
    assert await AuditEntry.filter(action="resident.update").count() == 1


async def test_consent_is_recorded_with_who_when_and_by_whom_and_can_be_withdrawn(
    sonnenhof: Facility,
) -> None:
    lea = await member(sonnenhof, Role.ADMIN, "Lea", 1)
    frau_m = await residents.add_resident(CLI, sonnenhof.id, display_name="Frau M.")
    before = dt.datetime.now(dt.UTC)

    await residents.record_consent(lea, frau_m.id, ConsentGiver.REPRESENTATIVE)
    stored = await Resident.get(id=frau_m.id)
    assert stored.photo_consent == PhotoConsent.GRANTED
    assert stored.consent_given_by == ConsentGiver.REPRESENTATIVE
    assert stored.consent_recorded_by_id == lea.account.id  # type: ignore[union-attr]
    assert stored.consent_changed_at is not None and stored.consent_changed_at >= before

    await residents.withdraw_consent(CLI, frau_m.id)
    stored = await Resident.get(id=frau_m.id)
    assert stored.photo_consent == PhotoConsent.WITHDRAWN
    assert stored.consent_recorded_by_id is None  # the command line recorded it
    actions = await AuditEntry.filter(subject=f"resident:{frau_m.id}").values_list(
        "action", flat=True
    )
    assert {"consent.grant", "consent.withdraw"} <= set(actions)
    with pytest.raises(InvalidInput):
        await residents.withdraw_consent(CLI, frau_m.id)


async def test_the_end_of_a_stay_ends_links_and_revokes_invites(sonnenhof: Facility) -> None:
    frau_m = await residents.add_resident(CLI, sonnenhof.id, display_name="Frau M.")
    await factories.relative("Anna", frau_m, telegram_id=10)
    pending = await invites.create_relative_invite(CLI, frau_m.id, uses=2)

    links = await residents.end_stay(CLI, frau_m.id, ResidentStatus.DECEASED,
                                     notify_relatives=True)

    assert [link.account.first_name for link in links] == ["Anna"]
    assert not await RelativeLink.filter(active=True).exists()
    assert (await Invite.get(id=pending.invite.id)).revoked_at is not None
    assert (await Resident.get(id=frau_m.id)).status == ResidentStatus.DECEASED
    page, total = await residents.list_residents(CLI, sonnenhof.id)
    assert (page, total) == ([], 0)
    _, total = await residents.list_residents(CLI, sonnenhof.id, include_inactive=True)
    assert total == 1
    with pytest.raises(InvalidInput):
        await invites.create_relative_invite(CLI, frau_m.id)
    with pytest.raises(InvalidInput):
        await residents.end_stay(CLI, frau_m.id, ResidentStatus.MOVED_OUT, notify_relatives=False)


async def test_the_notices_of_an_ended_stay_commit_with_it(
    sonnenhof: Facility, monkeypatch: pytest.MonkeyPatch
) -> None:
    frau_m = await residents.add_resident(CLI, sonnenhof.id, display_name="Frau M.")
    anna = await Account.create(telegram_id=10, first_name="Anna", locale="de")
    ben = await Account.create(telegram_id=11, first_name="Ben", locale="en")
    for relative in (anna, ben):
        await RelativeLink.create(account=relative, resident=frau_m)

    async def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the process died before the end of the stay was recorded")

    # A crash inside the service: neither the end of the stay nor a notice is kept.
    with monkeypatch.context() as patched:
        patched.setattr(residents.audit, "record", crash)
        with pytest.raises(RuntimeError):
            await residents.end_stay(CLI, frau_m.id, ResidentStatus.MOVED_OUT,
                                     notify_relatives=True)
    assert (await Resident.get(id=frau_m.id)).status == ResidentStatus.ACTIVE
    assert await RelativeLink.filter(active=True).count() == 2
    assert not await Delivery.filter(purpose="end_of_stay").exists()

    # Once end_stay returns, the notices are in the outbox: written by the service itself.
    await residents.end_stay(CLI, frau_m.id, ResidentStatus.MOVED_OUT, notify_relatives=True)
    notices = {
        row.chat_id: row.content["text"]
        for row in await Delivery.filter(purpose="end_of_stay", reference=f"resident:{frau_m.id}")
    }
    assert set(notices) == {10, 11}
    assert "Frau M." in notices[10] and "ausgezogen" in notices[10]
    assert "Frau M." in notices[11] and "moved out" in notices[11]


async def test_an_import_adds_every_row(sonnenhof: Facility) -> None:
    imported = await residents.import_residents(
        CLI, sonnenhof.id,
        "\ufeffName;Room;Unit\nFrau M.;12;Wohnbereich 1\n\nHerr K.;;\nAnna B.;3;Wohnbereich 1\n",
    )
    assert [(r.display_name, r.room) for r in imported] == [
        ("Frau M.", "12"), ("Herr K.", ""), ("Anna B.", "3")
    ]
    assert await sonnenhof.units.all().count() == 1
    assert await AuditEntry.filter(action="resident.import").count() == 1


@pytest.mark.parametrize(
    ("csv_text", "line"),
    [
        ("name,room\nFrau M.,12\n,14\n", "line 3"),
        ("name,room\nFrau M.,12\nHerr K.,14,EG,extra\n", "line 3"),
        ("name,room\nFrau M.,12\nHerr K.," + "9" * 40 + "\n", "line 3"),
        ("name,room\nFrau M.,12\nFrau M.,12\n", "line 3"),
        ("Frau M.,12\nHerr K.,14\n", "line 1"),
        ("", "line 1"),
        ("name,room,unit\n", "line 2"),
    ],
)
async def test_a_bad_import_row_names_its_line_and_imports_nothing(
    sonnenhof: Facility, csv_text: str, line: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        await residents.import_residents(CLI, sonnenhof.id, csv_text)
    assert error.value.field == line
    assert await Resident.all().count() == 0


async def test_an_import_failing_halfway_in_the_database_leaves_nothing_behind(
    sonnenhof: Facility, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken_audit(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(residents.audit, "record", broken_audit)
    with pytest.raises(RuntimeError):
        await residents.import_residents(CLI, sonnenhof.id, "name,unit\nFrau M.,EG\nHerr K.,OG\n")
    assert await Resident.all().count() == 0
    assert await sonnenhof.units.all().count() == 0


# --- invites ---------------------------------------------------------------------------------


async def test_an_invite_stores_only_the_hash_of_its_code(sonnenhof: Facility) -> None:
    frau_m = await residents.add_resident(CLI, sonnenhof.id, display_name="Frau M.")
    created = await invites.create_relative_invite(CLI, frau_m.id, uses=3, days=7)

    stored = await Invite.get(id=created.invite.id)
    assert stored.code_hash == code_hash(created.code) != created.code
    rows = await Invite.all().values()
    assert created.code not in repr(rows)
    assert (stored.kind, stored.resident_id, stored.max_uses, stored.uses) == (
        InviteKind.RELATIVE, frau_m.id, 3, 0
    )
    expected = dt.datetime.now(dt.UTC) + dt.timedelta(days=7)
    assert abs(stored.expires_at - expected) < dt.timedelta(minutes=1)
    assert invites.state_of(stored) == invites.InviteState.ACTIVE


async def test_staff_invites_carry_a_role(sonnenhof: Facility) -> None:
    created = await invites.create_staff_invite(CLI, sonnenhof.id, Role.APPROVER, days=1)
    assert (created.invite.kind, created.invite.role) == (InviteKind.STAFF, Role.APPROVER)
    with pytest.raises(InvalidInput):
        await invites.create_staff_invite(CLI, sonnenhof.id, Role.STAFF, uses=0)
    with pytest.raises(InvalidInput):
        await invites.create_staff_invite(CLI, sonnenhof.id, Role.STAFF, days=400)


async def test_a_revoked_invite_leaves_the_list(sonnenhof: Facility) -> None:
    first = await invites.create_staff_invite(CLI, sonnenhof.id, Role.STAFF)
    second = await invites.create_staff_invite(CLI, sonnenhof.id, Role.STAFF)
    assert [i.id for i in await invites.list_invites(CLI, sonnenhof.id)] == [
        second.invite.id, first.invite.id
    ]
    revoked = await invites.revoke_invite(CLI, first.invite.id)
    assert invites.state_of(revoked) == invites.InviteState.REVOKED
    assert [i.id for i in await invites.list_invites(CLI, sonnenhof.id)] == [second.invite.id]
    everything = await invites.list_invites(CLI, sonnenhof.id, include_inactive=True)
    assert len(everything) == 2
    await invites.revoke_invite(CLI, first.invite.id)  # again: harmless, not audited twice
    assert await AuditEntry.filter(action="invite.revoke").count() == 1
    with pytest.raises(NotFound):
        await invites.revoke_invite(CLI, 999)


def test_the_deep_link_and_its_qr_code() -> None:
    link = invites.deep_link("@heimbote_bot", "ABCD-EFGH-JKMN")
    assert link == "https://t.me/heimbote_bot?start=ABCDEFGHJKMN"
    assert normalize("ABCD-EFGH-JKMN") == "ABCDEFGHJKMN"
    png = invites.qr_png(link)
    assert png.startswith(b"\x89PNG")
    with pytest.raises(InvalidInput):
        invites.deep_link("no spaces allowed", "ABCD")


# --- staff -----------------------------------------------------------------------------------


async def test_the_last_admin_cannot_be_demoted_or_removed(sonnenhof: Facility) -> None:
    lea = await member(sonnenhof, Role.ADMIN, "Lea", 1)
    ben = await member(sonnenhof, Role.STAFF, "Ben", 2)
    assert lea.account is not None and ben.account is not None

    listed = await staff.list_staff(lea, sonnenhof.id)
    assert [r.account.first_name for r in listed] == ["Lea", "Ben"]
    with pytest.raises(InvalidInput):
        await staff.change_role(lea, sonnenhof.id, lea.account.id, Role.STAFF)
    with pytest.raises(InvalidInput):
        await staff.remove_staff(lea, sonnenhof.id, lea.account.id)
    with pytest.raises(NotAllowed):
        await staff.change_role(ben, sonnenhof.id, ben.account.id, Role.ADMIN)

    await staff.change_role(lea, sonnenhof.id, ben.account.id, Role.ADMIN)
    await staff.change_role(lea, sonnenhof.id, lea.account.id, Role.APPROVER)  # Ben is admin now
    await staff.remove_staff(ben, sonnenhof.id, lea.account.id)
    assert [r.role for r in await staff.list_staff(ben, sonnenhof.id)] == [Role.ADMIN]
    with pytest.raises(NotFound):
        await staff.remove_staff(ben, sonnenhof.id, lea.account.id)
    assert await AuditEntry.filter(action__startswith="staff.").count() == 3

