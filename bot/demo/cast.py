"""The people of the demo: Anna, Ben, Carla, the staff group, Mira who moderates ratings for the
platform, and relatives who rated the home.

They are created in a fixed order, so their Telegram ids are the same at every start and a
reused demo database still knows them.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.sandbox.telegram import FakeGroup, FakeTelegram, FakeUser
from bot.sandbox.telegram.chat_view import ChatView

RATERS = ("Jonas", "Petra", "Mehmet")  # relatives of Herr K., Frau S. and Frau T.


@dataclass(frozen=True)
class Persona:
    """Someone whose Telegram the page shows; ``key`` is used in the page's URLs."""

    key: str
    name: str
    chat: ChatView
    speakers: tuple[FakeUser, ...]  # who can type here (the group: Ben or Carla)

    @property
    def is_group(self) -> bool:
        """Whether this persona is a group chat (someone in it speaks)."""
        return isinstance(self.chat, FakeGroup)


@dataclass(frozen=True)
class Cast:
    """Everyone in the demo."""

    anna: FakeUser
    ben: FakeUser
    carla: FakeUser
    staff_group: FakeGroup
    # The platform's moderator (HEIMBOTE_ADMIN_IDS in the demo): decides about held ratings.
    moderator: FakeUser
    # Relatives of other residents who rated the home (no persona: the page does not show them).
    raters: tuple[FakeUser, ...] = ()

    @property
    def personas(self) -> dict[str, Persona]:
        """The personas by key, in the order of the page's switcher."""
        return {
            "anna": Persona("anna", "Anna", self.anna, (self.anna,)),
            "ben": Persona("ben", "Ben", self.ben, (self.ben,)),
            "carla": Persona("carla", "Carla", self.carla, (self.carla,)),
            "team": Persona("team", self.staff_group.title, self.staff_group,
                            (self.carla, self.ben)),
            "mira": Persona("mira", self.moderator.first_name, self.moderator,
                            (self.moderator,)),
        }


def create_cast(tg: FakeTelegram, language: str) -> Cast:
    """Create the demo's Telegram users and the staff group.

    Anna has never written to the bot (she joins with her invite). Ben and Carla have: the
    bot may write to them. Their Telegram apps speak ``language`` (Anna picks hers on joining).
    """
    anna = tg.user("Anna", last_name="M.", language_code=language)
    ben = tg.user("Ben", language_code=language, started=True)
    carla = tg.user("Carla", language_code=language, started=True)
    team = tg.group("Team Sonnenhof", supergroup=True, bot_admin=True, members=(ben, carla))
    # Created after everyone above, so that their Telegram ids stay the same as before.
    raters = tuple(
        tg.user(name, language_code="de", started=True) for name in RATERS
    )
    mira = tg.user("Mira", language_code=language, started=True)  # after them: same ids
    return Cast(anna=anna, ben=ben, carla=carla, staff_group=team, moderator=mira,
                raters=raters)
