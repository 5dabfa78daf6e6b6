"""Photo updates without Telegram: drafting, review, the one decision, who receives what."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence

import pytest

from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.i18n import translator
from bot.models import (
    Account,
    AuditEntry,
    Delivery,
    DeliveryState,
    Facility,
    PhotoConsent,
    PhotoUpdate,
    PhotoUpdateState,
    RejectReason,
    RelativeLink,
    Resident,
    ResidentStatus,
    Role,
    StaffRole,
)
from bot.services.accounts import residents
from bot.services.accounts.actors import Actor
from bot.services.accounts.facilities import update_facility
from bot.services.photo_updates import relay as photo_relay
from bot.services.photo_updates import updates as photo_updates

pytestmark = [pytest.mark.usefixtures("db"), pytest.mark.calendar]

_ids = iter(range(5_000, 1_000_000))


async def account(name: str, locale: str | None = "en", **fields: object) -> Account:
    return await Account.create(telegram_id=next(_ids), first_name=name, locale=locale, **fields)


async def member(facility: Facility, name: str, role: Role, locale: str = "en") -> Actor:
    someone = await account(name, locale)
    await StaffRole.create(account=someone, facility=facility, role=role)
    return Actor.of(someone, frozenset())


class Home:
    """Haus Linden with Ben (staff), Carla (approver, German) and Dora (admin)."""

    facility: Facility
    ben: Actor
    carla: Actor
    dora: Actor

    @classmethod
    async def open(cls, **settings: object) -> Home:
        home = cls()
        home.facility = await Facility.create(slug="linden", name="Haus Linden", **settings)
        home.ben = await member(home.facility, "Ben", Role.STAFF)
        home.carla = await member(home.facility, "Carla", Role.APPROVER, "de")
        home.dora = await member(home.facility, "Dora", Role.ADMIN)
        return home

    async def resident(self, name: str, consent: bool = True, **fields: object) -> Resident:
        return await Resident.create(
            facility=self.facility, display_name=name,
            photo_consent=PhotoConsent.GRANTED if consent else PhotoConsent.NONE, **fields,
        )

    async def post(
        self,
        who: Sequence[Resident],
        files: Sequence[str] = ("photo-1",),
        caption: str = "",
        author: Actor | None = None,
    ) -> PhotoUpdate:
        """Draft, tag, caption and submit an update."""
        author = author or self.ben
        update = await photo_updates.start_draft(author, self.facility.id, files[0])
        for file_id in files[1:]:
            await photo_updates.add_photo(author, update.id, file_id)
        for resident in who:
            await photo_updates.toggle_resident(author, update.id, resident.id)
        await photo_updates.set_caption(author, update.id, caption)
        return await photo_updates.submit(author, update.id)


async def relative(name: str, *linked: Resident, locale: str = "en", **link: object) -> Account:
    someone = await account(name, locale)
    for resident in linked:
        await RelativeLink.create(account=someone, resident=resident, **link)
    return someone


async def relayed_to(update: PhotoUpdate) -> dict[str, list[Delivery]]:
    """The relay rows of an update by the first name of the relative."""
    rows = await Delivery.filter(purpose=photo_relay.RELAY).order_by("id").prefetch_related(
        "account"
    )
    found: dict[str, list[Delivery]] = {}
    for row in rows:
        if row.reference.startswith(f"{update.id}:"):
            found.setdefault(row.account.first_name, []).append(row)
    return found


# Drafting


async def test_a_draft_collects_up_to_ten_photos_and_a_new_one_replaces_it() -> None:
    home = await Home.open()
    first = await photo_updates.start_draft(home.ben, home.facility.id, "a", "album-1")
    # the parts of an album arrive at once
    await asyncio.gather(*(photo_updates.add_photo(home.ben, first.id, f"p{i}") for i in range(9)))
    assert len((await PhotoUpdate.get(id=first.id)).file_ids) == 10
    with pytest.raises(InvalidInput) as error:
        await photo_updates.add_photo(home.ben, first.id, "eleven")
    assert (error.value.field, error.value.reason) == ("photos", "too_many")
    await photo_updates.add_photo(home.ben, first.id, "p3")  # a redelivered part counts once
    assert await photo_updates.draft_for_album(home.ben, "album-1") is not None
    assert (await photo_updates.current_draft(home.ben)).id == first.id  # type: ignore[union-attr]

    second = await photo_updates.start_draft(home.ben, home.facility.id, "b")
    assert not await PhotoUpdate.exists(id=first.id)
    assert (await photo_updates.current_draft(home.ben)).id == second.id  # type: ignore[union-attr]
    await photo_updates.discard_draft(home.ben, second.id)
    assert await photo_updates.current_draft(home.ben) is None


async def test_another_part_of_the_same_album_joins_its_draft() -> None:
    home = await Home.open()
    parts = await asyncio.gather(
        *(photo_updates.start_draft(home.ben, home.facility.id, f"p{i}", "grp") for i in range(3))
    )
    assert await PhotoUpdate.filter(state=PhotoUpdateState.DRAFT).count() == 1
    latest = await PhotoUpdate.get(id=parts[-1].id)
    assert sorted(latest.file_ids) == ["p0", "p1", "p2"]


async def test_drafts_belong_to_their_author_and_to_staff_only() -> None:
    home = await Home.open()
    draft = await photo_updates.start_draft(home.ben, home.facility.id, "a")
    with pytest.raises(NotFound):
        await photo_updates.add_photo(home.carla, draft.id, "b")
    with pytest.raises(NotFound):
        await photo_updates.get_update(home.carla, draft.id)
    outsider = Actor.of(await account("Olga"), frozenset())
    with pytest.raises(NotAllowed):
        await photo_updates.start_draft(outsider, home.facility.id, "a")
    with pytest.raises(NotAllowed):
        await photo_updates.start_draft(Actor.cli(), home.facility.id, "a")
    assert [f.name for f in await photo_updates.posting_facilities(home.ben)] == ["Haus Linden"]
    assert await photo_updates.posting_facilities(outsider) == []
    await StaffRole.filter(account_id=home.ben.account.id).delete()  # type: ignore[union-attr]
    with pytest.raises(NotAllowed):
        await photo_updates.set_caption(home.ben, draft.id, "Hallo")


async def test_the_picker_shows_everyone_but_only_residents_with_consent_can_be_chosen() -> None:
    home = await Home.open()
    anna = await home.resident("Anna B.", room="3")
    frau_m = await home.resident("Frau M.", room="12")
    herr_k = await home.resident("Herr K.", consent=False, room="14")
    await home.resident("Herr Z.", status=ResidentStatus.MOVED_OUT)
    elsewhere = await Resident.create(
        facility=await Facility.create(slug="eiche", name="Haus Eiche"), display_name="Frau O.",
        photo_consent=PhotoConsent.GRANTED,
    )
    draft = await photo_updates.start_draft(home.ben, home.facility.id, "a")
    await photo_updates.toggle_resident(home.ben, draft.id, frau_m.id)

    choices, total = await photo_updates.resident_choices(home.ben, draft.id, limit=2)
    assert total == 3
    assert [(c.name, c.selectable, c.selected) for c in choices] == [
        ("Anna B.", True, False), ("Frau M.", True, True)
    ]
    choices, total = await photo_updates.resident_choices(home.ben, draft.id, offset=2)
    assert [(c.name, c.selectable, c.consent) for c in choices] == [
        ("Herr K.", False, PhotoConsent.NONE)
    ]
    found, total = await photo_updates.resident_choices(home.ben, draft.id, query="  herr ")
    assert [c.name for c in found] == ["Herr K."]
    by_room, _ = await photo_updates.resident_choices(home.ben, draft.id, query="12")
    assert [c.name for c in by_room] == ["Frau M."]

    with pytest.raises(InvalidInput) as error:
        await photo_updates.toggle_resident(home.ben, draft.id, herr_k.id)
    assert (error.value.field, error.value.reason) == ("consent", "none")
    with pytest.raises(NotFound):
        await photo_updates.toggle_resident(home.ben, draft.id, elsewhere.id)
    assert await photo_updates.toggle_resident(home.ben, draft.id, anna.id) == sorted(
        [anna.id, frau_m.id]
    )
    assert await photo_updates.toggle_resident(home.ben, draft.id, frau_m.id) == [anna.id]


async def test_captions_fit_under_a_photo_and_an_update_needs_someone_in_it() -> None:
    home = await Home.open()
    draft = await photo_updates.start_draft(home.ben, home.facility.id, "a")
    with pytest.raises(InvalidInput) as error:
        await photo_updates.set_caption(home.ben, draft.id, "x" * 1025)
    assert (error.value.field, error.value.reason) == ("caption", "too_long")
    assert (await photo_updates.set_caption(home.ben, draft.id, " x " * 300)).caption.startswith(
        "x"
    )
    with pytest.raises(InvalidInput) as error:
        await photo_updates.submit(home.ben, draft.id)
    assert (error.value.field, error.value.reason) == ("residents", "none")
    assert (await PhotoUpdate.get(id=draft.id)).state == PhotoUpdateState.DRAFT


# Review


async def test_submitting_sends_the_review_to_approvers_in_their_language() -> None:
    home = await Home.open()
    frau_m = await home.resident("Frau M.")
    update = await home.post([frau_m], files=["a", "b"], caption="Sommerfest")
    assert update.state == PhotoUpdateState.PENDING
    assert await photo_updates.submit(home.ben, update.id) == update  # a second tap: no change
    rows = await Delivery.filter(purpose=photo_relay.REVIEW).order_by("id").prefetch_related(
        "account"
    )
    assert sorted({row.account.first_name for row in rows}) == ["Carla", "Dora"]
    assert all(row.urgent for row in rows)
    notes = {row.account.first_name: row for row in rows if row.kind == "text"}
    assert [row.kind for row in rows if row.account.first_name == "Dora"] == ["album", "text"]
    assert notes["Dora"].reference == str(update.id)
    assert notes["Dora"].content["text"].startswith("New photo update from Ben")
    assert "Frau M." in notes["Dora"].content["text"]
    assert "Sommerfest" in notes["Dora"].content["text"]
    assert [b["callback_data"] for row in notes["Dora"].content["buttons"] for b in row] == [
        f"photo:1:ok:{update.id}", f"photo:1:edit:{update.id}", f"photo:1:no:{update.id}"
    ]
    assert notes["Carla"].content["locale"] == "de"
    assert await AuditEntry.filter(action="photo.submit", subject=f"photo_update:{update.id}")


async def test_consent_is_checked_when_submitting() -> None:
    home = await Home.open()
    frau_m = await home.resident("Frau M.")
    draft = await photo_updates.start_draft(home.ben, home.facility.id, "a")
    await photo_updates.toggle_resident(home.ben, draft.id, frau_m.id)
    await Resident.filter(id=frau_m.id).update(photo_consent=PhotoConsent.WITHDRAWN)
    with pytest.raises(InvalidInput) as error:
        await photo_updates.submit(home.ben, draft.id)
    assert (error.value.field, error.value.reason) == ("consent", "Frau M.")


async def test_approving_relays_once_to_each_relative_and_tells_the_author() -> None:
    home = await Home.open()
    mother, father = await home.resident("Frau M."), await home.resident("Herr M.")
    anna = await relative("Anna", mother, father, locale="de")
    await relative("Emil", father)
    update = await home.post([mother, father], files=["a", "b"], caption="Kaffee")

    decision = await photo_updates.approve(home.carla, update.id)

    assert (decision.decided_by_name, decision.relatives) == ("Carla", 2)
    assert decision.update.state == PhotoUpdateState.APPROVED
    sent = await relayed_to(update)
    assert [(row.kind, row.reference) for row in sent["Anna"]] == [
        ("album", f"{update.id}:photos"), ("text", f"{update.id}:note")
    ]
    assert sent["Anna"][0].content["caption"] == "Kaffee"
    assert sent["Anna"][1].content["text"] == "📷 Frau M. und Herr M. · Haus Linden"
    assert sent["Emil"][1].content["text"] == "📷 Herr M. · Haus Linden"  # only his own
    assert [b["callback_data"] for b in sent["Emil"][1].content["buttons"][0]] == [
        f"photo:1:thx:{update.id}", f"photo:1:re:{update.id}"
    ]
    assert not any(row.urgent for rows in sent.values() for row in rows)  # quiet hours apply
    assert all(row.account_id == anna.id for row in sent["Anna"])  # type: ignore[attr-defined]
    notice = await Delivery.get(purpose=photo_relay.DECISION, reference=str(update.id))
    assert notice.chat_id == home.ben.account.telegram_id  # type: ignore[union-attr]
    assert "approved by Carla" in notice.content["text"]
    assert "2 relatives" in notice.content["text"]
    approval = await AuditEntry.get(action="photo.approve")
    assert approval.details == {"residents": [mother.id, father.id], "relatives": 2}


async def test_a_single_photo_is_one_message_with_caption_line_and_buttons() -> None:
    home = await Home.open()
    frau_m = await home.resident("Frau M.")
    await relative("Anna", frau_m)
    short = await home.post([frau_m], caption="Sonne im Garten")
    await photo_updates.approve(home.carla, short.id)
    [message] = (await relayed_to(short))["Anna"]
    assert message.kind == "photo"
    assert message.content["caption"] == "Sonne im Garten\n\n📷 Frau M. · Haus Linden"
    assert message.content["buttons"][0][0]["text"] == "❤️ Thank you"

    long = await home.post([frau_m], caption="x" * 1020)  # no room for the line
    await photo_updates.approve(home.carla, long.id)
    photo, note = (await relayed_to(long))["Anna"]
    assert (photo.kind, photo.content["caption"], "buttons" in photo.content) == (
        "photo", "x" * 1020, False
    )
    assert (note.kind, note.content["text"]) == ("text", "📷 Frau M. · Haus Linden")


async def test_relatives_who_should_not_get_it_do_not() -> None:
    home = await Home.open()
    frau_m, herr_k = await home.resident("Frau M."), await home.resident("Herr K.")
    await relative("Anna", frau_m)
    await relative("Lena", frau_m, photo_updates=False)  # switched photo updates off
    await relative("Karl", frau_m, active=False)  # unlinked
    blocked = await relative("Mia", frau_m)
    await Account.filter(id=blocked.id).update(unreachable=True)  # blocked the bot
    await relative("Otto", herr_k)  # someone else's relative
    update = await home.post([frau_m])
    decision = await photo_updates.approve(home.carla, update.id)
    assert decision.relatives == 1
    assert list(await relayed_to(update)) == ["Anna"]


async def test_nobody_gets_an_update_of_a_resident_who_moved_out() -> None:
    home = await Home.open()
    frau_m = await home.resident("Frau M.")
    await relative("Anna", frau_m)
    update = await home.post([frau_m])
    await Resident.filter(id=frau_m.id).update(status=ResidentStatus.MOVED_OUT)  # no hook
    with pytest.raises(InvalidInput) as error:
        await photo_updates.approve(home.carla, update.id)
    assert (error.value.field, error.value.reason) == ("consent", "Frau M.")
    assert (await PhotoUpdate.get(id=update.id)).state == PhotoUpdateState.PENDING  # rolled back
    assert await relayed_to(update) == {}


async def test_consent_withdrawn_between_submitting_and_approving_stops_the_update() -> None:
    home = await Home.open()
    frau_m, herr_k = await home.resident("Frau M."), await home.resident("Herr K.")
    await relative("Anna", frau_m)
    update = await home.post([frau_m, herr_k])
    other = await home.post([herr_k])

    await residents.withdraw_consent(home.dora, frau_m.id)

    assert (await PhotoUpdate.get(id=update.id)).state == PhotoUpdateState.REJECTED
    assert (await PhotoUpdate.get(id=update.id)).reject_reason == RejectReason.CONSENT
    assert (await PhotoUpdate.get(id=other.id)).state == PhotoUpdateState.PENDING
    with pytest.raises(photo_updates.AlreadyDecided) as error:
        await photo_updates.approve(home.carla, update.id)
    assert (error.value.state, error.value.decided_by_name) == (PhotoUpdateState.REJECTED, "")
    assert await relayed_to(update) == {}
    notice = await Delivery.get(purpose=photo_relay.DECISION, reference=str(update.id))
    assert "consent for Frau M. was withdrawn" in notice.content["text"]
    withdrawal = await AuditEntry.get(action="consent.withdraw")
    assert withdrawal.details["photo_updates_rejected"] == 1
    assert await AuditEntry.filter(action="photo.reject", via="system").count() == 1


async def test_consent_withdrawn_stops_approved_photos_still_waiting_for_quiet_hours() -> None:
    home = await Home.open()
    frau_m = await home.resident("Frau M.")
    await relative("Anna", frau_m)
    update = await home.post([frau_m])
    await photo_updates.approve(home.carla, update.id)
    await residents.withdraw_consent(home.dora, frau_m.id)
    [row] = (await relayed_to(update))["Anna"]
    assert row.state == DeliveryState.SKIPPED


async def test_a_stay_ending_closes_pending_updates_and_stops_what_only_concerned_them() -> None:
    home = await Home.open()
    frau_m, herr_k = await home.resident("Frau M."), await home.resident("Herr K.")
    await relative("Anna", frau_m)
    await relative("Bert", frau_m, herr_k)
    await relative("Emil", herr_k)
    approved = await home.post([frau_m, herr_k])
    await photo_updates.approve(home.carla, approved.id)  # waiting: nobody sent it yet
    waiting = await home.post([frau_m])
    draft = await photo_updates.start_draft(home.ben, home.facility.id, "d")
    await photo_updates.toggle_resident(home.ben, draft.id, frau_m.id)

    await residents.end_stay(home.dora, frau_m.id, ResidentStatus.DECEASED, notify_relatives=False)

    assert (await PhotoUpdate.get(id=waiting.id)).state == PhotoUpdateState.CLOSED
    with pytest.raises(photo_updates.AlreadyDecided) as error:
        await photo_updates.approve(home.carla, waiting.id)
    assert error.value.state == PhotoUpdateState.CLOSED
    states = {name: rows[0].state for name, rows in (await relayed_to(approved)).items()}
    assert states == {
        "Anna": DeliveryState.SKIPPED,  # only because of Frau M.
        "Bert": DeliveryState.PENDING,  # also Herr K.'s relative
        "Emil": DeliveryState.PENDING,
    }
    assert await photo_updates.toggle_resident(home.ben, draft.id, herr_k.id) == [herr_k.id]
    notice = await Delivery.get(purpose=photo_relay.DECISION, reference=str(waiting.id))
    assert "no longer lives in the home" in notice.content["text"]
    ended = await AuditEntry.get(action="resident.end_stay")
    assert ended.details["photo_updates_closed"] == 1


async def test_of_two_approvers_pressing_at_once_exactly_one_approves() -> None:
    home = await Home.open()
    frau_m = await home.resident("Frau M.")
    await relative("Anna", frau_m)
    update = await home.post([frau_m])

    results = await asyncio.gather(
        photo_updates.approve(home.carla, update.id),
        photo_updates.approve(home.dora, update.id),
        return_exceptions=True,
    )

    decisions = [r for r in results if isinstance(r, photo_updates.Decision)]
    refused = [r for r in results if isinstance(r, photo_updates.AlreadyDecided)]
    assert (len(decisions), len(refused)) == (1, 1), results
    assert refused[0].decided_by_name == decisions[0].decided_by_name
    assert refused[0].state == PhotoUpdateState.APPROVED
    assert len((await relayed_to(update))["Anna"]) == 1
    assert await AuditEntry.filter(action="photo.approve").count() == 1
    assert await Delivery.filter(purpose=photo_relay.DECISION).count() == 1


async def test_approve_and_reject_at_once_decide_once() -> None:
    home = await Home.open()
    frau_m = await home.resident("Frau M.")
    await relative("Anna", frau_m)
    update = await home.post([frau_m])
    results = await asyncio.gather(
        photo_updates.reject(home.dora, update.id, RejectReason.DIGNITY),
        photo_updates.approve(home.carla, update.id),
        return_exceptions=True,
    )
    assert sum(isinstance(r, photo_updates.Decision) for r in results) == 1, results
    final = await PhotoUpdate.get(id=update.id)
    assert bool(await relayed_to(update)) == (final.state == PhotoUpdateState.APPROVED)


async def test_four_eyes_keeps_authors_from_approving_their_own_post() -> None:
    home = await Home.open()
    frau_m = await home.resident("Frau M.")
    update = await home.post([frau_m], author=home.carla)
    reviewers = await Delivery.filter(purpose=photo_relay.REVIEW).values_list("chat_id", flat=True)
    assert home.carla.account.telegram_id not in reviewers  # type: ignore[union-attr]
    with pytest.raises(photo_updates.OwnPost):
        await photo_updates.approve(home.carla, update.id)
    with pytest.raises(NotAllowed):  # staff do not approve at all
        await photo_updates.approve(home.ben, update.id)
    await photo_updates.approve(home.dora, update.id)

    await update_facility(home.dora, home.facility.id, four_eyes=False)
    own = await home.post([frau_m], author=home.carla)
    reviewers = await Delivery.filter(
        purpose=photo_relay.REVIEW, reference=str(own.id)
    ).values_list("chat_id", flat=True)
    assert home.carla.account.telegram_id in reviewers  # type: ignore[union-attr]
    assert (await photo_updates.approve(home.carla, own.id)).decided_by_name == "Carla"


async def test_rejecting_tells_the_author_why_and_an_author_may_withdraw() -> None:
    home = await Home.open()
    frau_m = await home.resident("Frau M.")
    await relative("Anna", frau_m)
    update = await home.post([frau_m])
    with pytest.raises(InvalidInput):
        await photo_updates.reject(home.carla, update.id, RejectReason.OTHER, "x" * 501)
    decision = await photo_updates.reject(home.carla, update.id, RejectReason.QUALITY)
    assert decision.update.state == PhotoUpdateState.REJECTED
    notice = await Delivery.get(purpose=photo_relay.DECISION, reference=str(update.id))
    assert "not approved by Carla" in notice.content["text"]
    assert "The photo is not good enough" in notice.content["text"]
    with pytest.raises(photo_updates.AlreadyDecided) as error:
        await photo_updates.reject(home.dora, update.id, RejectReason.OTHER)
    assert error.value.decided_by_name == "Carla"
    assert await relayed_to(update) == {}

    mine = await home.post([frau_m])
    with pytest.raises(NotAllowed):  # Ben's colleague without approval rights
        other_staff = await member(home.facility, "Fritz", Role.STAFF)
        await photo_updates.reject(other_staff, mine.id, RejectReason.OTHER)
    withdrawn = await photo_updates.reject(home.ben, mine.id, RejectReason.OTHER, "Falsches Foto")
    assert withdrawn.update.reject_note == "Falsches Foto"
    assert not await Delivery.exists(purpose=photo_relay.DECISION, reference=str(mine.id))


async def test_an_approver_edits_the_caption_while_it_is_pending() -> None:
    home = await Home.open()
    frau_m = await home.resident("Frau M.")
    await relative("Anna", frau_m)
    update = await home.post([frau_m], caption="Sommerfst")
    with pytest.raises(NotAllowed):
        await photo_updates.edit_caption(home.ben, update.id, "Sommerfest")
    with pytest.raises(InvalidInput):
        await photo_updates.edit_caption(home.carla, update.id, "x" * 1025)
    edited = await photo_updates.edit_caption(home.carla, update.id, "  Sommerfest ")
    assert edited.caption == "Sommerfest"
    await photo_updates.approve(home.dora, update.id)
    [row] = (await relayed_to(update))["Anna"]
    assert row.content["caption"].startswith("Sommerfest\n")
    with pytest.raises(photo_updates.AlreadyDecided):
        await photo_updates.edit_caption(home.carla, update.id, "Later")
    assert await AuditEntry.filter(action="photo.edit").count() == 1


async def test_pending_is_the_approvers_queue_and_my_posts_the_authors_list() -> None:
    home = await Home.open()
    frau_m = await home.resident("Frau M.")
    first = await home.post([frau_m])
    second = await home.post([frau_m])
    await photo_updates.start_draft(home.ben, home.facility.id, "unsent")
    elsewhere = await Facility.create(slug="eiche", name="Haus Eiche")
    await StaffRole.create(account=home.ben.account, facility=elsewhere, role=Role.STAFF)

    queue, total = await photo_updates.pending(home.carla)
    assert ([u.id for u in queue], total) == ([first.id, second.id], 2)
    assert [t.resident.display_name for t in queue[0].tags] == ["Frau M."]
    assert (await photo_updates.pending(home.carla, offset=1, limit=1))[0][0].id == second.id
    assert await photo_updates.pending(home.ben) == ([], 0)  # staff have no queue

    await photo_updates.approve(home.carla, first.id)
    mine, total = await photo_updates.my_posts(home.ben)
    assert ([(u.id, u.state) for u in mine], total) == (
        [(second.id, PhotoUpdateState.PENDING), (first.id, PhotoUpdateState.APPROVED)], 2
    )
    assert mine[1].decided_by.first_name == "Carla"
    assert (await photo_updates.get_update(home.ben, first.id)).facility.name == "Haus Linden"
    with pytest.raises(NotAllowed):
        await photo_updates.get_update(Actor.of(await account("Olga"), frozenset()), first.id)


# After the relay: thanks, replies, recall


async def mark_sent(update: PhotoUpdate, first_name: str, hours_ago: float = 0.0) -> None:
    """Play the sender: the relative's rows went out ``hours_ago``."""
    sent_at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours_ago)
    for row in (await relayed_to(update))[first_name]:
        row.state = DeliveryState.SENT
        row.sent_at = sent_at
        row.sent_message_ids = [row.id * 10, row.id * 10 + 1] if row.kind == "album" else [row.id]
        await row.save()


async def test_thanks_come_once_per_relative_and_only_from_those_who_received_it() -> None:
    home = await Home.open()
    frau_m = await home.resident("Frau M.")
    anna, bert = await relative("Anna", frau_m), await relative("Bert", frau_m)
    stranger = await account("Olga")
    update = await home.post([frau_m])
    await photo_updates.approve(home.carla, update.id)
    await mark_sent(update, "Anna")

    assert await photo_updates.thank(anna, update.id) == 1
    assert await photo_updates.thank(anna, update.id) == 1  # twice counts once
    with pytest.raises(NotAllowed):
        await photo_updates.thank(bert, update.id)  # not sent to him yet
    with pytest.raises(NotAllowed):
        await photo_updates.thank(stranger, update.id)
    with pytest.raises(NotFound):
        await photo_updates.thank(anna, 999_999)
    await mark_sent(update, "Bert")
    assert await photo_updates.thank(bert, update.id) == 2
    assert await photo_updates.thanks_count(update.id) == 2
    view = await photo_relay.shown(update.id)
    assert "2 relatives said thank you" in photo_relay.author_text(view, translator("en"))
    assert "Approved by Carla, sent to 2 relatives" in photo_relay.review_text(
        view, translator("en")
    )


async def test_a_reply_is_about_the_relatives_own_resident() -> None:
    home = await Home.open()
    frau_m, herr_k = await home.resident("Frau M."), await home.resident("Herr K.")
    anna = await relative("Anna", herr_k)
    update = await home.post([frau_m, herr_k])
    await photo_updates.approve(home.carla, update.id)
    with pytest.raises(NotAllowed):
        await photo_updates.reply_about(anna, update.id)  # not received yet
    await mark_sent(update, "Anna")

    assert await photo_updates.reply_about(anna, update.id) == herr_k.id

    await RelativeLink.filter(account_id=anna.id).update(active=False)
    with pytest.raises(NotAllowed):
        await photo_updates.reply_about(anna, update.id)


async def test_a_recall_deletes_what_telegram_allows_and_cancels_what_waits() -> None:
    home = await Home.open()
    frau_m = await home.resident("Frau M.")
    for name in ("Anna", "Bert", "Cleo"):
        await relative(name, frau_m)
    update = await home.post([frau_m], files=["a", "b"])
    await photo_updates.approve(home.carla, update.id)
    await mark_sent(update, "Anna", hours_ago=1)
    await mark_sent(update, "Bert", hours_ago=50)  # Cleo's still waits for her quiet hours
    with pytest.raises(NotAllowed):
        await photo_updates.recall(home.carla, update.id)  # admins only

    recall = await photo_updates.recall(home.dora, update.id)

    anna_rows = (await relayed_to(update))["Anna"]
    assert recall.messages == [
        (anna_rows[0].chat_id, [*anna_rows[0].sent_message_ids, *anna_rows[1].sent_message_ids])
    ]
    assert (recall.skipped, recall.too_old, recall.total) == (1, 1, 6)  # albums: 2 ids + note
    assert recall.update.state == PhotoUpdateState.RECALLED
    assert {row.state for row in (await relayed_to(update))["Cleo"]} == {DeliveryState.SKIPPED}
    with pytest.raises(InvalidInput):
        await photo_updates.recall(home.dora, update.id)
    with pytest.raises(InvalidInput):
        await photo_updates.thank(await Account.get(first_name="Anna"), update.id)
    entry = await AuditEntry.get(action="photo.recall")
    assert entry.details == {"deleted_in": 1, "too_old": 1, "cancelled": 1}


async def test_decision_messages_are_the_review_notes_and_the_authors_notice() -> None:
    home = await Home.open()
    frau_m = await home.resident("Frau M.")
    update = await home.post([frau_m], files=["a", "b"])
    await photo_updates.approve(home.carla, update.id)
    for row in await Delivery.filter(purpose__in=(photo_relay.REVIEW, photo_relay.DECISION)):
        row.state = DeliveryState.SENT
        row.sent_message_ids = [row.id + 100]
        await row.save()
    notes = await Delivery.filter(
        purpose__in=(photo_relay.REVIEW, photo_relay.DECISION), reference=str(update.id)
    ).order_by("id")
    assert await photo_updates.decision_messages(update.id) == [
        (row.chat_id, row.id + 100, row.content["locale"]) for row in notes
    ]
    assert {locale for _, _, locale in await photo_updates.decision_messages(update.id)} == {
        "de", "en"
    }
    assert len(notes) == 3  # Carla's and Dora's notes, Ben's notice
    assert [(n.purpose, n.admin) for n in await photo_updates.sent_notes(update.id)] == [
        (photo_relay.REVIEW, False), (photo_relay.REVIEW, True), (photo_relay.DECISION, False)
    ]
