"""A thread as the edges read it, and who may see it: its relative, and its facility's staff.

Handlers get a :class:`ThreadView` (ids and names, read while the thread was loaded), never
the model with relations that would have to be fetched first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from tortoise.expressions import Q

from bot.domain.errors import NotFound
from bot.models import Account, Facility, Resident, Role, Thread, ThreadState
from bot.services.accounts.actors import Actor, require_role


@dataclass(frozen=True)
class ThreadView:
    """A relative's conversation with a facility about one resident: "#12 Frau M. – Anna"."""

    id: int
    number: int
    state: ThreadState
    facility_id: int
    facility_name: str
    resident_id: int
    resident_name: str
    relative_id: int  # the relative's account
    relative_name: str
    closed_at: dt.datetime | None
    closed_by_id: int | None


def view_of(thread: Thread, relative: Account, resident: Resident, facility: Facility
            ) -> ThreadView:
    """The view of ``thread``, its relations given as they were loaded."""
    return ThreadView(
        id=thread.id, number=thread.number, state=thread.state,
        facility_id=facility.id, facility_name=facility.name,
        resident_id=resident.id, resident_name=resident.display_name,
        relative_id=relative.id, relative_name=relative.first_name,
        closed_at=thread.closed_at,
        closed_by_id=thread.closed_by_id,
    )


def loaded_view(thread: Thread) -> ThreadView:
    """The view of a thread loaded by :func:`load_thread`."""
    return view_of(thread, thread.relative, thread.resident, thread.facility)


async def load_thread(thread_id: int) -> Thread:
    """The thread with its facility, relative and resident (:class:`NotFound` if gone)."""
    thread = await Thread.get_or_none(id=thread_id).prefetch_related(
        "facility", "relative", "resident")
    if thread is None:
        raise NotFound(f"thread {thread_id}")
    return thread


async def staff_thread(actor: Actor, thread_id: int) -> Thread:
    """The loaded thread, for a staff member of its facility (:class:`NotAllowed` otherwise)."""
    thread = await load_thread(thread_id)
    await require_role(actor, thread.facility.id, Role.STAFF)
    return thread


async def thread_for_staff(actor: Actor, thread_id: int) -> ThreadView:
    """A thread, for a staff member of its facility (:class:`NotAllowed` for anyone else)."""
    return loaded_view(await staff_thread(actor, thread_id))


async def thread_for_relative(account: Account, thread_id: int) -> ThreadView:
    """A thread, for its own relative only (:class:`NotFound` for anyone else's)."""
    thread = await load_thread(thread_id)
    if thread.relative.id != account.id:
        raise NotFound(f"thread {thread_id}")
    return loaded_view(thread)


def outbox_about(thread_ids: Iterable[int], message_ids: Iterable[int]) -> Q:
    """The outbox rows about these threads and messages, by their references: relays and
    answers (``msg:``), "already answered" notices (``answered:``), closing notices
    (``closed:``), reminders and escalations (``thread:``)."""
    references = [f"{kind}:{i}" for i in message_ids for kind in ("msg", "answered")]
    about_threads = Q(reference__in=references)
    for thread_id in thread_ids:
        about_threads |= Q(reference__startswith=f"closed:{thread_id}:")
        about_threads |= Q(reference__startswith=f"thread:{thread_id}:")
    return about_threads
