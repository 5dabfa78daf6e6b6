"""The forged-press sweep: outsiders press every kind of button, and type every team command,
with the ids of another home's people and things.

A modified client can put anything into a button's callback data. Haus A has residents, a
relative, staff, an admin and everything they have made: an invite, photo updates, ratings, a
conversation, an announcement draft. Four outsiders try to act on it: a stranger, a relative
of another resident, the admin of the home next door and a former admin whose role was
removed. For every capability (:class:`bot.domain.callbacks.Prefix`) and every action that
carries an id, each press is answered (no spinner), the answer is a refusal, the bot raised
nothing, nobody else heard a word, and not one row in the database changed. The same for the
commands of the team (the admin next door gets his own home's screens, never Haus A's), and
in Haus A's team group, where an outsider may still be a member: /linkgroup, /unlinkgroup and
the buttons under a relative's message.

One test per outsider and kind (buttons, commands): each starts the bot once and makes all of
that outsider's presses.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from telegram.ext import CallbackQueryHandler
from tortoise import Tortoise

from bot.app import Heimbote
from bot.domain.callbacks import Prefix, callback
from bot.models import (
    Account,
    Announcement,
    CallReason,
    ComplaintState,
    ConversationSetup,
    EmergencyCall,
    Event,
    EventSignup,
    Facility,
    Invite,
    InviteKind,
    PhotoTag,
    PhotoUpdate,
    PhotoUpdateState,
    RelativeLink,
    Resident,
    Review,
    ReviewState,
    Role,
    Thread,
    Unit,
    VisitBooking,
    VisitOccurrence,
    VisitSlot,
)
from bot.sandbox.telegram.chat_view import ChatView
from bot.services.accounts import await_input
from handlers import capability_handlers
from handlers.admin import facility as admin_facility
from handlers.admin import invites as admin_invites
from handlers.admin import residents as admin_residents
from handlers.admin import staff as admin_staff
from handlers.admin.residents import NEW_ROOM
from handlers.reviews import admin as reviews_admin
from tests import factories
from tests.fakes import FakeMessage, FakeTelegram, FakeUser
from tests.test_journey_bad_input import forge_press

StartBot = Callable[..., Awaitable[Heimbote]]


@dataclass
class HomeA:
    """The ids of Haus A and of the things of its people that a forged button could name."""

    facility: int
    frau_m: int
    unit: int
    ritas_link: int  # Rita, Frau M.'s daughter
    dora: int  # staff
    invite: int
    draft: int  # Dora's photo update, not yet submitted
    pending: int  # Dora's photo update, waiting for approval
    approved: int  # of Frau M., sent to Rita
    held: int  # Rita's rating, its comment waiting for moderation
    complaint: int  # Rita's low rating, waiting for the home's answer
    thread: int  # Rita's conversation with the home about Frau M.
    announcement: int  # Erik's draft, from when he was the admin
    call: int = 0  # Alma's urgent alert to Rita, Frau M.'s emergency contact
    rita: int = 0  # Rita's account
    visit_slot: int = 0  # Haus A's visiting slot
    visit: int = 0  # Rita's booked visit to Frau M.
    event: int = 0  # the summer party, Rita signed up


async def haus_a(erik: Account) -> HomeA:
    """Haus A with Frau M. and Herr K.; Rita, Dora, Alma (admin) and what they have made."""
    now = dt.datetime.now(dt.UTC)
    facility = await factories.home("haus-a", "Haus A")
    frau_m = await factories.resident(facility, "Frau M.", "12", consent=True)
    await factories.resident(facility, "Herr K.", "14", consent=True)
    unit = await Unit.create(facility=facility, name="Garden wing")
    rita = await factories.relative("Rita", frau_m, anytime=True)
    ritas_link = await RelativeLink.get(account=rita, resident=frau_m)
    dora = await factories.staff("Dora", facility, anytime=True)
    await factories.staff("Alma", facility, Role.ADMIN, anytime=True)
    invite = await Invite.create(
        code_hash="0" * 64, kind=InviteKind.RELATIVE, facility=facility, resident=frau_m,
        expires_at=now + dt.timedelta(days=7),
    )
    updates = {}
    for state in (PhotoUpdateState.DRAFT, PhotoUpdateState.PENDING, PhotoUpdateState.APPROVED):
        update = await PhotoUpdate.create(
            facility=facility, author=dora, state=state, file_ids=["photo-1"], caption="Garden",
            submitted_at=None if state == PhotoUpdateState.DRAFT else now,
        )
        await PhotoTag.create(update=update, resident=frau_m)
        updates[state] = update
    held = await Review.create(
        facility=facility, author=rita, pseudonym="Linde", overall=4, comment="Call 0171 2345",
        state=ReviewState.HELD,
    )
    complaint = await Review.create(
        facility=facility, author=rita, pseudonym="Linde", overall=1, comment="Too few staff",
        state=ReviewState.AWAITING_RESPONSE, complaint_state=ComplaintState.OPEN,
        window_ends_at=now + dt.timedelta(hours=72),
    )
    thread = await Thread.create(
        facility=facility, number=1, relative=rita, resident=frau_m, created_at=now,
        last_relative_message_at=now, waiting_since=now,
    )
    announcement = await Announcement.create(
        facility=facility, author=erik, texts={"de": {"text": "Sommerfest", "entities": []}},
    )
    await RelativeLink.filter(id=ritas_link.id).update(emergency_contact=True)
    call = await EmergencyCall.create(
        facility=facility, resident=frau_m, reason=CallReason.CALL, created_at=now, sends=1,
        next_send_at=now + dt.timedelta(minutes=10),
    )
    visit_slot = await VisitSlot.create(facility=facility, weekday=0, starts="14:00",
                                        ends="15:00", minutes=30, parties=2)
    visit = await VisitBooking.create(
        occurrence=await VisitOccurrence.create(
            slot=visit_slot, starts_at=now + dt.timedelta(days=3),
            ends_at=now + dt.timedelta(days=3, minutes=30), parties=2, booked=1),
        relative=rita, resident=frau_m, created_at=now)
    party = await Event.create(
        facility=facility, title="Sommerfest", starts_at=now + dt.timedelta(days=20),
        ends_at=now + dt.timedelta(days=20, hours=3), capacity=40, taken=2, created_at=now,
        changed_at=now,
    )
    await EventSignup.create(event=party, account=rita, people=2, created_at=now)
    return HomeA(
        facility.id, frau_m.id, unit.id, ritas_link.id, dora.id, invite.id,
        updates[PhotoUpdateState.DRAFT].id, updates[PhotoUpdateState.PENDING].id,
        updates[PhotoUpdateState.APPROVED].id, held.id, complaint.id, thread.id, announcement.id,
        call.id, rita.id,
        visit_slot=visit_slot.id, visit=visit.id, event=party.id,
    )


def forged_presses(a: HomeA) -> list[str]:
    """For every capability, each action that names something of Haus A, as a client could
    forge it: the ids of Haus A, of Frau M., of Rita's and Dora's things."""
    home, frau_m, dora = a.facility, a.frau_m, a.dora
    news, pending, sent, draft = a.draft, a.pending, a.approved, a.announcement
    held, complaint, thread = a.held, a.complaint, a.thread
    presses: dict[Prefix, list[tuple[str | int, ...]]] = {
        Prefix.ADMIN_PICK: [("pick", screen, home) for screen in ADMIN_SCREENS],
        Prefix.RESIDENTS: [
            ("list", home, 0), ("add", home), ("noroom", home), ("card", frau_m),
            ("edit", frau_m, "name"), ("consent", frau_m), ("cgive", frau_m, "resident"),
            ("withdraw", frau_m), ("end", frau_m, "deceased"), ("endok", frau_m, "deceased", 1),
        ],
        Prefix.INVITES: [
            ("menu", home), ("rels", home, 0), ("roles", home), ("mkrel", frau_m),
            ("mkstaff", home, "admin"), ("open", home), ("revoke", a.invite),
        ],
        Prefix.STAFF: [
            ("list", home), ("who", home, dora), ("role", home, dora, "admin"),
            ("inbox", home, dora, 1), ("rm", home, dora), ("rmok", home, dora),
        ],
        Prefix.FACILITY: [
            ("invite", home, 1), ("max", home, 9), ("langs", home), ("lang", home, "en"),
            ("contact", home),
        ],
        Prefix.FACILITY_SETTINGS: [
            ("show", "photo", home), ("show", "rate", home), ("4eyes", home, 0),
            ("pick", home, "keep"), ("set", home, "keep", 30), ("ask", home, "keep"),
        ],
        Prefix.CONVERSATION_SETTINGS: [
            ("show", home), ("remind", home, 4), ("escalate", home, 48), ("keep", home, 30),
        ],
        Prefix.CONVERSATION_GROUP: [("link", home)],
        Prefix.CONVERSATION_STAFF: [("reply", thread), ("close", thread)],
        Prefix.CONVERSATION_RELATIVE: [
            ("to", frau_m), ("about", frau_m), ("reply", thread), ("close", thread),
        ],
        Prefix.PHOTO: [
            ("fac", news, home), ("tag", news, frau_m, 0), ("why", news, frau_m, 0),
            ("pg", news, 0), ("all", news), ("done", news), ("skip", news), ("nocap", news),
            ("send", news), ("drop", news), ("pend", 0),
            ("ok", pending), ("edit", pending), ("no", pending), ("rsn", pending, "quality"),
            ("note", pending), ("back", pending), ("recall", sent), ("rcl", sent),
            ("thx", sent), ("re", sent),
        ],
        Prefix.BROADCAST: [
            ("home", home), ("list", home), ("aud", draft, "rel"), ("unit", draft, a.unit),
            ("lang", draft, "en"), ("nolang", draft), ("urgent", draft, 1),
            ("when", draft, "now"), ("ok", draft), ("drop", draft), ("stop", draft),
        ],
        Prefix.RATING: [("start", home), ("o", 5), ("send",)],
        Prefix.COMPLAINTS: [
            ("revs", home, 0), ("show", complaint), ("rev", complaint),
            ("st", complaint, "resolved"), ("ans", complaint), ("rep", complaint),
        ],
        Prefix.MODERATION: [
            ("pub", held), ("bare", held), ("rej", held), ("back", held), ("why", held, "spam"),
        ],
        Prefix.REPORT: [("home", home), ("month", home, "2026-01")],
        Prefix.JOIN: [("family", frau_m), ("yes",), ("no",)],
        Prefix.RELATIVE_SETTINGS: [
            ("photos", a.ritas_link, 0), ("unlink", a.ritas_link),
            ("unlinkok", a.ritas_link),
        ],
        Prefix.CALL_US: [
            ("home", home, 0), ("res", frau_m), ("reason", frau_m, "call"),
            ("send", frau_m, "call"), ("ack", a.call, "call"), ("ack", a.call, "come"),
            ("flag", frau_m, a.rita, 0),
        ],
        Prefix.VISITS: [
            ("resident", frau_m), ("rebook", frau_m), ("day", frau_m, "20300107"),
            ("time", frau_m, a.visit_slot, 1893999600),
            ("people", frau_m, a.visit_slot, 1893999600, 2),
            ("book", frau_m, a.visit_slot, 1893999600, 2), ("cancel", a.visit),
            ("adm", home), ("rm", home, a.visit_slot), ("list", home, "0800"), ("add", home),
            ("close", home), ("close", home, a.unit), ("close", home, 0),
        ],
        Prefix.WELLBEING: [
            ("pick", frau_m), ("m", frau_m, "good"), ("a", frau_m, "well"),
            ("act", frau_m, 0), ("save", frau_m), ("consent", a.ritas_link, 1),
            ("rnotes", frau_m, 0), ("home", home), ("homeset", home, 0), ("unit", a.unit),
            ("photos", frau_m, "20260617"),
        ],
        Prefix.EVENTS: [
            ("show", a.event), ("join", a.event, 1), ("withdraw", a.event), ("home", home),
            ("ev", a.event), ("time", a.event), ("place", a.event), ("cancel", a.event),
            ("cancelok", a.event), ("public", a.event, 1), ("announce", a.event),
            ("new", home), ("create", home, "relatives"),
        ],
    }
    return [callback(prefix, *press) for prefix, each in presses.items() for press in each]


# The screens "Which care home?" opens (handlers.admin): every one of them.
ADMIN_SCREENS = [
    screen for module in (admin_residents, admin_invites, admin_staff, admin_facility,
                          reviews_admin)
    for screen in module.SCREENS
]

# Buttons that only ever act on the presser's own account or own unfinished step: a forged
# press of them is the presser's own business (choosing a language, quiet hours, /deleteme).
SELF_SCOPED = {
    Prefix.LANGUAGE: {"set"},
    Prefix.JOIN: {"set"},
    Prefix.RELATIVE_SETTINGS: {"menu", "language", "set", "quiet", "quietset", "erase", "keep"},
    Prefix.PHOTO: {"mine", "thxd"},  # "❤️ Thanked" only answers, quietly: it acts on nothing
    Prefix.RATING: {"c", "nocom", "keep", "pub", "share", "back", "cancel"},
    Prefix.CALL_US: {"cancel"},
    # The presser's own resident picker and own digest time.
    Prefix.WELLBEING: {"pg", "all", "back", "close", "digest", "digestset", "units"},
    Prefix.EVENTS: {"list"},  # the presser's own homes' events
}

# The team's commands, and the relatives' that name a home or a resident.
TEAM_COMMANDS = [
    "/residents", "/invite", "/staff", "/facility", "/complaints", "/reviews", "/broadcast",
    "/broadcasts", "/report", "/pending", "/myposts", "/linkgroup", "/unlinkgroup",
    "/invitefamily", "/message", "/rate", "/callus", "/visits", "/visit",
]


# --- the outsiders --------------------------------------------------------------------------


async def stranger(telegram: FakeTelegram, home_b: Facility, erik: FakeUser) -> FakeUser:
    """Someone who found the bot."""
    user, _ = await factories.person(telegram, "Sam")
    return user


async def relative_of_another_resident(
    telegram: FakeTelegram, home_b: Facility, erik: FakeUser
) -> FakeUser:
    """Ida, Herr K.'s niece: a relative in Haus A, but not Frau M.'s."""
    herr_k = await Resident.get(display_name="Herr K.")
    return await factories.family_member(telegram, "Ida", herr_k)


async def admin_of_another_home(
    telegram: FakeTelegram, home_b: Facility, erik: FakeUser
) -> FakeUser:
    """Bert, the admin of Haus B next door."""
    return await factories.team_member(telegram, home_b, "Bert", Role.ADMIN)


async def former_admin(telegram: FakeTelegram, home_b: Facility, erik: FakeUser) -> FakeUser:
    """Erik, who ran Haus A until his role was removed."""
    return erik


Outsider = Callable[[FakeTelegram, Facility, FakeUser], Awaitable[FakeUser]]
OUTSIDERS: dict[str, Outsider] = {
    "stranger": stranger,
    "relative of another resident": relative_of_another_resident,
    "admin of another home": admin_of_another_home,
    "former admin": former_admin,
}


@dataclass
class Scene:
    """The bot running, Haus A, and one outsider in a private chat with the bot."""

    name: str
    heimbote: Heimbote
    home_a: HomeA
    outsider: FakeUser
    screen: FakeMessage  # a message of the bot in the outsider's chat, to forge presses on


@pytest.fixture(params=list(OUTSIDERS))
async def scene(
    request: pytest.FixtureRequest, telegram: FakeTelegram, start_bot: StartBot
) -> Scene:
    """Haus A, Haus B next door, Erik (Haus A's admin until his role was removed), and the
    outsider of this test, who has asked for /help."""
    heimbote = await start_bot()
    erik_user, erik = await factories.person(telegram, "Erik")
    home_a = await haus_a(erik)
    home_b = await factories.home("haus-b", "Haus B")
    role = await factories.give_role(erik, await Facility.get(id=home_a.facility), Role.ADMIN)
    await role.delete()
    outsider = await OUTSIDERS[request.param](telegram, home_b, erik_user)
    await outsider.send("/help")
    screen = await outsider.wait_for(lambda m: m.text.startswith("Here is what I can do"))
    return Scene(request.param, heimbote, home_a, outsider, screen)


# --- what must not change -------------------------------------------------------------------

# Rows the bot keeps about every update, whoever sent it.
BOOKKEEPING = {"ProcessedUpdate"}


async def everything() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table (but the bookkeeping), to show that nothing changed."""
    rows = {}
    for name, model in sorted(Tortoise.apps["heimbote"].items()):
        if name not in BOOKKEEPING:
            rows[name] = await model.all().order_by(model._meta.pk_attr).values()
    return rows


# --- what an outsider may read -------------------------------------------------------------

# Every answer an outsider got in the sweep: a refusal, an out-of-date button, or a truthful
# "nothing here for you". Anything else (a screen of Haus A, a success, an apology for an
# error) fails the sweep.
REFUSALS = {
    "Sorry, you may not do this here. Nothing was changed.",
    "This button is no longer valid.",
    "I cannot find this photo update any more.",
    "Only the admin of the care home can do this. Nothing was changed.",
    "Sorry, only the team of this care home can answer here. Nothing was sent.",
    "Only the admins of a care home can send announcements.",
    "Only the admins of this care home can do this. Nothing was changed.",
    "Only the platform's moderators decide about ratings.",
    "Only the admins of a care home can read its quality report.",
    "Ratings come from relatives of the residents. To rate a home, you need to be connected "
    "with a resident there, with an invitation from the home.",
    "This rating is no longer open. Please start again with /rate.",
    "Please answer the questions first.",
    "Inviting family members is possible only when the care home has switched it on. Please "
    "ask the home.",
    "Sorry, this code does not work. Please check it, or ask the care home for a new "
    "invitation.",
    # "No, thank you" without an invitation: declining changes nothing.
    "All right, I have not connected you with anyone. If you change your mind, simply open "
    "the invitation again.",
    "This is for the management of a care home. /help shows what I can do for you.",
    "This is for the approvers of a care home. /help shows what I can do for you.",
    "Nothing is waiting for approval.",  # the admin next door approves for his own home
    "You have not posted any photo updates yet. Send me a photo to start one.",
    "Please add me to your team's Telegram group and send /linkgroup there.",
    "Only the admin of a care home can link a group. Nothing was changed.",
    "You are not connected with a resident yet. You need an invitation from the care home: "
    "open its link, or send me its code.",
    "This group is already linked with another care home. Nothing was changed.",
    "Only the admins and approvers of a care home can send urgent alerts.",
    "This alert is not for you. Nothing was changed.",
    "Only the team of a care home can see its visits.",
    "I cannot find this event any more.",
}

# Presses that are an outsider's own business: Ida may rate Haus A, where her uncle lives.
LEGITIMATE = {"relative of another resident": {
    (Prefix.RATING, "start"), (Prefix.RATING, "o"),
    # Herr K. lives in Haus A too: Ida may see its events and sign up.
    (Prefix.EVENTS, "show"), (Prefix.EVENTS, "join"), (Prefix.EVENTS, "withdraw"),
}}

LEGITIMATE_COMMANDS = {"relative of another resident": {"/message", "/rate", "/visit"}}

# What must never reach an outsider: the names of Haus A's people.
HAUS_A_NAMES = ("Haus A", "Frau M.", "Herr K.", "Rita", "Dora", "Alma", "Garden wing")


# --- the sweep ------------------------------------------------------------------------------


def newest_version(chat: ChatView) -> int:
    return max((m.version for m in chat.messages), default=0)


async def press(
    telegram: FakeTelegram, scene: Scene, data: str, *, on: FakeMessage | None = None,
    chat: ChatView | None = None,
) -> list[str]:
    """Forge one press (it must be answered); what the outsider read: the alert, the messages
    the bot sent or edited, else what the pressed message shows now (a step-by-step flow shows
    its refusal in place of the step, and shows it once for two refused steps in a row)."""
    screen, chat = on or scene.screen, chat or scene.outsider
    mark = newest_version(chat)
    answer = await forge_press(telegram, scene.outsider, screen, data)
    read = [m.text for m in chat.messages if m.version > mark]
    if answer.text:
        assert answer.show_alert, data
        return [answer.text, *read]
    return read or [screen.text]


def others_heard(telegram: FakeTelegram, *chats: ChatView) -> list[dict[str, Any]]:
    """What the bot sent to anyone but the outsider (and where the outsider wrote)."""
    ids = {chat.chat_id for chat in chats}
    return [call for method in ("sendMessage", "sendPhoto", "sendMediaGroup", "copyMessage")
            for call in telegram.calls_of(method) if call["chat_id"] not in ids]


async def test_forged_presses_are_refused(telegram: FakeTelegram, scene: Scene) -> None:
    if scene.name == "former admin":  # his role went while he was adding a resident
        erik = await Account.get(telegram_id=scene.outsider.id)
        await await_input(erik, NEW_ROOM, facility_id=scene.home_a.facility, display_name="Z.")
    before = await everything()
    allowed = LEGITIMATE.get(scene.name, set())
    read = {}
    for data in forged_presses(scene.home_a):
        if (Prefix(data.split(":")[0]), data.split(":")[2]) not in allowed:
            read[data] = await press(telegram, scene, data)
    if scene.name == "former admin":  # and the room he types now
        await scene.outsider.send("7")
        read["typed room"] = [(await scene.outsider.wait_for()).text]

    assert {data: texts for data, texts in read.items() if not set(texts) <= REFUSALS} == {}
    assert telegram.unanswered_callbacks == []
    assert await everything() == before
    assert others_heard(telegram, scene.outsider) == []
    assert scene.heimbote.metrics.handler_errors._value.get() == 0


async def test_team_commands_are_refused(telegram: FakeTelegram, scene: Scene) -> None:
    # The outsider is still in Haus A's team group (the relative was added by mistake).
    group = telegram.group("Team Haus A", members=[scene.outsider])
    await ConversationSetup.create(
        facility_id=scene.home_a.facility, group_chat_id=group.id, group_title=group.title
    )
    before = await everything()
    read = {}
    for command in TEAM_COMMANDS:
        if command in LEGITIMATE_COMMANDS.get(scene.name, ()):
            continue
        await scene.outsider.send(command)
        read[command] = (await scene.outsider.wait_for()).text

    if scene.name == "admin of another home":
        # Bert's commands open his own home's screens (and may wait for his typing there).
        assert {c: text for c, text in read.items() if any(n in text for n in HAUS_A_NAMES)} == {}
    else:
        assert {c: text for c, text in read.items() if text not in REFUSALS} == {}

    in_group = {}
    for command in ("/linkgroup", "/unlinkgroup"):
        await group.send(scene.outsider, command)
        in_group[command] = [(await group.wait_for()).text]
    notice = group.messages[-1]
    for data in (
        callback(Prefix.CONVERSATION_STAFF, "reply", scene.home_a.thread),
        callback(Prefix.CONVERSATION_STAFF, "close", scene.home_a.thread),
        callback(Prefix.CONVERSATION_GROUP, "link", scene.home_a.facility),
    ):
        in_group[data] = await press(telegram, scene, data, on=notice, chat=group)
    assert {what: texts for what, texts in in_group.items() if not set(texts) <= REFUSALS} == {}

    after = await everything()
    waiting = after.pop("AwaitedInput")  # Bert's commands wait for his typing, in Haus B
    assert [row for row in waiting if scene.home_a.facility in row["payload"].values()] == []
    if scene.name != "admin of another home":
        assert waiting == before["AwaitedInput"]
    del before["AwaitedInput"]
    assert after == before
    assert telegram.unanswered_callbacks == []
    assert others_heard(telegram, scene.outsider, group) == []
    assert scene.heimbote.metrics.handler_errors._value.get() == 0


def test_the_sweep_presses_every_button_the_bot_has() -> None:
    """Every action of every capability is in the sweep, or acts only on the presser's own."""
    swept = {(Prefix(d.split(":")[0]), d.split(":")[2]) for d in forged_presses(HomeA(*range(13)))}
    registered = set()
    for handler in capability_handlers():
        if isinstance(handler, CallbackQueryHandler):
            names = inspect.getclosurevars(handler.callback).nonlocals
            registered |= {(names["capability"], action) for action in names["actions"]}
    self_scoped = {(prefix, action) for prefix, actions in SELF_SCOPED.items()
                   for action in actions}
    assert registered - swept - self_scoped == set()
    assert {prefix for prefix, _ in registered} == set(Prefix)
