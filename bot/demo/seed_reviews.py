"""Published ratings of Haus Sonnenhof, so that its public review page has something to show.

Three relatives of other residents (fake Telegram users without a persona) join with a family
invite and rate the home through the same services /rate uses; the ratings are published the
usual way (with their ``review.published`` events in the stream), and Carla answers one of
them publicly. Their dates lie in the past, oldest first, so the stream stays in order.
"""

from __future__ import annotations

import datetime as dt

from bot import clock
from bot.demo.cast import Cast
from bot.models import Account, Facility, Resident
from bot.sandbox.telegram import FakeUser
from bot.services.accounts.accounts import account_for, choose_locale
from bot.services.accounts.actors import Actor
from bot.services.onboarding import joining
from bot.services.onboarding.invites import create_relative_invite
from bot.services.reviews import complaints, ratings

# (rater, their resident, days ago, overall, categories, comment, Carla's public reply)
RATINGS: tuple[tuple[str, str, int, int, dict[str, int], str, str], ...] = (
    ("Jonas", "Herr K.", 41, 4, {"care": 5, "food": 3},
     "Sehr freundliches Team, mein Vater fühlt sich wohl. Das Essen könnte abwechslungs"
     "reicher sein.",
     "Vielen Dank! Ab nächstem Monat gibt es zweimal pro Woche ein vegetarisches Menü."),
    ("Petra", "Frau S.", 23, 5, {"care": 5, "staff": 5, "activities": 4},
     "Die Fotogrüße aus dem Garten freuen uns jedes Mal.", ""),
    ("Mehmet", "Frau T.", 9, 4, {"communication": 4, "staff": 4},
     "Auf Nachrichten bekommen wir schnell eine Antwort.", ""),
)


def _days_ago(days: int) -> dt.datetime:
    return clock.now() - dt.timedelta(days=days)


async def _relative(facility: Facility, carla: Account, user: FakeUser, resident: str) -> Account:
    """A relative joins with a family invite made by Carla, as Anna does in the tour."""
    found = await Resident.get(facility_id=facility.id, display_name=resident)
    created = await create_relative_invite(
        Actor.of(carla, frozenset()), found.id, uses=1, days=30
    )
    account = await account_for(user.id, user.first_name)
    await joining.begin_join(account, created.code)
    await choose_locale(account, user.language_code or facility.default_locale)
    await joining.accept_join(account)
    return account


async def seed_reviews(facility: Facility, cast: Cast, carla: Account) -> None:
    """Three published ratings with categories and comments; Carla's reply to the first."""
    raters = {user.first_name: user for user in cast.raters}
    for name, resident, days, overall, categories, comment, reply in RATINGS:
        account = await _relative(facility, carla, raters[name], resident)
        moment = _days_ago(days)
        draft = await ratings.start(account, facility.id, now=moment)
        draft = ratings.with_overall(draft, overall)
        for category, stars in categories.items():
            draft = ratings.with_category(draft, category, stars)
        draft = ratings.with_comment(draft, comment)
        draft.public = True
        await ratings.save_draft(account, draft)
        review = await ratings.submit(account, now=moment)
        if reply:
            await complaints.reply(
                Actor.of(carla, frozenset()), review.id, reply,
                now=moment + dt.timedelta(hours=5),
            )
