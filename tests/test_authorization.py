"""Who may do what: every role × every administrative action, and forged buttons in Telegram.

The table runs against the services (fast): the same rules serve Telegram, the web and the CLI.
A few journeys then show that a forged or outdated button is refused in Telegram too, with a
polite alert, and that nothing changed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest

from bot.app import Heimbote
from bot.domain.callbacks import callback
from bot.domain.errors import NotAllowed
from bot.models import (
    Account,
    AuditEntry,
    ConsentGiver,
    Facility,
    Invite,
    PhotoConsent,
    Resident,
    ResidentStatus,
    Role,
    StaffRole,
)
from bot.services.accounts import facilities, residents, staff
from bot.services.accounts.actors import Actor
from bot.services.onboarding import invites
from tests import factories
from tests.fakes import FakeTelegram, FakeUser
from tests.test_journey_bad_input import forge_press

StartBot = Callable[..., Awaitable[Heimbote]]
CLI = Actor.cli()
REFUSAL = "Sorry, you may not do this here. Nothing was changed."


@dataclass
class World:
    """Home A with Frau M. and a staff member Dora; home B next door; actors by role."""

    home_a: Facility
    home_b: Facility
    frau_m: Resident
    dora: Account
    actors: dict[str, Actor]


@pytest.fixture
async def world(db: str) -> World:
    home_a = await facilities.create_facility(CLI, slug="home-a", name="Haus A")
    home_b = await facilities.create_facility(CLI, slug="home-b", name="Haus B")
    frau_m = await residents.add_resident(CLI, home_a.id, display_name="Frau M.", room="12")
    dora = await factories.account("Dora", telegram_id=100)
    await factories.give_role(dora, home_a, Role.STAFF)
    actors: dict[str, Actor] = {}
    for number, (who, home, role) in enumerate(
        [
            ("staff", home_a, Role.STAFF),
            ("approver", home_a, Role.APPROVER),
            ("admin of home A", home_a, Role.ADMIN),
            ("admin of home B", home_b, Role.ADMIN),
            ("ex-staff", home_a, Role.ADMIN),
        ],
        start=1,
    ):
        person = await factories.account(who, telegram_id=number)
        held = await factories.give_role(person, home, role)
        if who == "ex-staff":
            await held.delete()  # was the admin once; the role is gone
        actors[who] = Actor(account=person)
    relative = await factories.account("relative", telegram_id=10)
    await factories.link(relative, frau_m)
    actors["relative"] = Actor(account=relative)
    operator = await factories.account("platform admin", telegram_id=11)
    actors["platform admin"] = Actor.of(operator, frozenset({11}))
    return World(home_a, home_b, frau_m, dora, actors)


Action = Callable[[World, Actor], Awaitable[object]]


async def list_residents(w: World, actor: Actor) -> object:
    return await residents.list_residents(actor, w.home_a.id)


async def add_resident(w: World, actor: Actor) -> object:
    return await residents.add_resident(actor, w.home_a.id, display_name="Herr K.")


async def record_consent(w: World, actor: Actor) -> object:
    return await residents.record_consent(actor, w.frau_m.id, ConsentGiver.RESIDENT)


async def create_relative_invite(w: World, actor: Actor) -> object:
    return await invites.create_relative_invite(actor, w.frau_m.id)


async def create_staff_invite(w: World, actor: Actor) -> object:
    return await invites.create_staff_invite(actor, w.home_a.id, Role.ADMIN)


async def change_role(w: World, actor: Actor) -> object:
    return await staff.change_role(actor, w.home_a.id, w.dora.id, Role.APPROVER)


async def change_setting(w: World, actor: Actor) -> object:
    return await facilities.update_facility(actor, w.home_a.id, relatives_may_invite=True)


ACTIONS: dict[str, Action] = {
    "list residents": list_residents,
    "add resident": add_resident,
    "record consent": record_consent,
    "create relative invite": create_relative_invite,
    "create staff invite": create_staff_invite,
    "change role": change_role,
    "change facility setting": change_setting,
}
ADMINS_ONLY = {"admin of home A", "platform admin"}
# Who may do what in home A; everyone else is refused.
ALLOWED: dict[str, set[str]] = {
    "list residents": {"staff", "approver", *ADMINS_ONLY},
    **{action: ADMINS_ONLY for action in ACTIONS if action != "list residents"},
}
WHO = ["relative", "staff", "approver", "admin of home A", "admin of home B", "ex-staff",
       "platform admin"]


async def home_a_as_it_is(w: World) -> tuple[object, ...]:
    """Everything the actions could change, to show that a refusal changed nothing."""
    await w.home_a.refresh_from_db()
    frau_m = await Resident.get(id=w.frau_m.id)
    return (
        await Resident.filter(facility_id=w.home_a.id).count(),
        frau_m.photo_consent,
        await Invite.all().count(),
        (await StaffRole.get(account_id=w.dora.id)).role,
        w.home_a.relatives_may_invite,
        await AuditEntry.filter(facility_id=w.home_a.id).count(),
    )


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("who", WHO)
async def test_who_may_do_what(world: World, who: str, action: str) -> None:
    run = ACTIONS[action]
    if who in ALLOWED[action]:
        await run(world, world.actors[who])
        return
    before = await home_a_as_it_is(world)
    with pytest.raises(NotAllowed):
        await run(world, world.actors[who])
    assert await home_a_as_it_is(world) == before


# --- forged and outdated buttons in Telegram ------------------------------------------------


async def admin(telegram: FakeTelegram, name: str, home: Facility) -> tuple[FakeUser, StaffRole]:
    user = telegram.user(name, language_code="en")
    person = await factories.account(name, telegram_id=user.id)
    return user, await factories.give_role(person, home, Role.ADMIN)


async def test_an_admin_of_another_home_cannot_forge_buttons_for_frau_m(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    home_a = await facilities.create_facility(CLI, slug="home-a", name="Haus A")
    home_b = await facilities.create_facility(CLI, slug="home-b", name="Haus B")
    frau_m = await residents.add_resident(CLI, home_a.id, display_name="Frau M.", room="12")
    bert, _ = await admin(telegram, "Bert", home_b)

    await bert.send("/residents")
    own_list = await bert.wait_for("0 residents live here.")
    for data in (
        callback("res", "card", frau_m.id),
        callback("res", "cgive", frau_m.id, "resident"),
        callback("res", "endok", frau_m.id, "deceased", 1),
        callback("inv", "mkrel", frau_m.id),
        callback("inv", "mkstaff", home_a.id, "admin"),
        callback("stf", "who", home_a.id, 1),
        callback("fac", "invite", home_a.id, 1),
        callback("adm", "pick", "res", home_a.id),
    ):
        answer = await forge_press(telegram, bert, own_list, data)
        assert (answer.text, answer.show_alert) == (REFUSAL, True), data

    await frau_m.refresh_from_db()
    await home_a.refresh_from_db()
    assert frau_m.photo_consent == PhotoConsent.NONE
    assert frau_m.status == ResidentStatus.ACTIVE
    assert not home_a.relatives_may_invite
    assert await Invite.all().count() == 0
    assert own_list.text.startswith("0 residents")  # his own screen is untouched


async def test_an_old_button_does_nothing_once_the_role_is_gone(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    home_a = await facilities.create_facility(CLI, slug="home-a", name="Haus A")
    await residents.add_resident(CLI, home_a.id, display_name="Frau M.", room="12")
    erik, role = await admin(telegram, "Erik", home_a)
    await erik.send("/residents")
    await erik.wait_for("1 resident lives here.")
    await erik.press("Frau M. · room 12")
    await erik.wait_for("Status: lives here")

    await role.delete()  # Erik left the home
    answer = await erik.press("Passed away")
    assert (answer.text, answer.show_alert) == (REFUSAL, True)
    answer = await erik.press("Record photo consent")
    assert answer.text == REFUSAL
    frau_m = await Resident.get(display_name="Frau M.")
    assert frau_m.status == ResidentStatus.ACTIVE
    assert frau_m.photo_consent == PhotoConsent.NONE


async def test_garbled_admin_buttons_are_no_longer_valid(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    home_a = await facilities.create_facility(CLI, slug="home-a", name="Haus A")
    carla, _ = await admin(telegram, "Carla", home_a)
    await carla.send("/residents")
    listing = await carla.wait_for("0 residents live here.")
    for data in (
        "res:1:card:abc",
        "res:1:card",
        "res:1:list:1:-10",
        "res:1:cgive:1:everyone",
        "res:1:end:1:active",
        "res:1:nothing:1",
        "stf:1:role:1:2:king",
        "fac:1:invite:1:7",
        "adm:1:pick:nowhere:1",
    ):
        answer = await forge_press(telegram, carla, listing, data)
        assert answer.text == "This button is no longer valid.", data
