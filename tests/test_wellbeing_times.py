"""The evening digest's time is never inside the relative's quiet hours."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.models import Account
from bot.services.wellbeing.consent import digest_presets, effective_digest_at


def someone(quiet_from: int | None, quiet_until: int | None) -> Account:
    """An account with quiet hours (local clock times, stored with UTC attached as the
    service does); ``None``: the default 21:00–08:00."""
    def wall(hour: int | None) -> dt.time | None:
        return None if hour is None else dt.time(hour, 0, tzinfo=dt.UTC)
    return Account(telegram_id=1, first_name="Anna", quiet_from=wall(quiet_from),
                   quiet_until=wall(quiet_until))


@pytest.mark.parametrize(("quiet", "chosen", "due"), [
    ((None, None), 18, 18),  # default 21:00–08:00: 18:00 is fine
    ((None, None), 20, 20),
    ((17, 8), 18, 16),  # widened over the chosen time: the hour before they start
    ((18, 8), 18, 17),
    ((19, 21), 20, 18),
    ((20, 20), 20, 20),  # equal times: no quiet hours
])
def test_the_digest_comes_before_quiet_hours(
    quiet: tuple[int | None, int | None], chosen: int, due: int
) -> None:
    assert effective_digest_at(someone(*quiet), dt.time(chosen, 0)) == dt.time(due, 0)


def test_only_times_outside_quiet_hours_are_offered() -> None:
    assert digest_presets(someone(19, 7)) == [dt.time(17, 0), dt.time(18, 0)]
    assert digest_presets(someone(None, None)) == [dt.time(h, 0) for h in (17, 18, 19, 20)]
