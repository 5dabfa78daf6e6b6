"""``heimbote conversations``: the operator sets the reminder times and the inbox duty."""

from __future__ import annotations

from pathlib import Path

from bot.db import database
from bot.models import Account, AuditEntry, Facility, Role, StaffRole
from tests.test_cli_admin import heimbote


async def test_the_operator_sets_reminders_and_the_inbox_duty(
    tmp_path: Path, database_url: str
) -> None:
    # The test's database (PostgreSQL in CI's second run): a SQLite one opened in this process
    # would leave Tortoise's models compiled for SQLite's dialect for the tests after it.
    url = database_url
    env = {"HEIMBOTE_DATABASE_URL": url}
    assert (await heimbote(tmp_path, "facility", "add", "--slug", "linden",
                           "--name", "Haus Linden", **env)).returncode == 0
    async with database(url):
        ben = await Account.create(telegram_id=4711, first_name="Ben")
        await StaffRole.create(account=ben, facility=await Facility.get(slug="linden"),
                               role=Role.STAFF)

    shown = (await heimbote(tmp_path, "conversations", "settings", "--facility", "linden",
                            "--json", **env)).json()
    assert shown == {"facility": "linden", "group": None, "inbox": [], "reminder_hours": 4,
                     "escalation_hours": 24}
    changed = (await heimbote(tmp_path, "conversations", "settings", "--facility", "linden",
                              "--reminder-hours", "2", "--escalation-hours", "12", "--json",
                              **env)).json()
    assert isinstance(changed, dict)
    assert (changed["reminder_hours"], changed["escalation_hours"]) == (2, 12)
    inbox = (await heimbote(tmp_path, "conversations", "inbox", "--facility", "linden",
                            "--telegram-id", "4711", "--on", "--json", **env)).json()
    assert isinstance(inbox, dict) and inbox["inbox"] == ["Ben"]
    readable = await heimbote(tmp_path, "conversations", "settings", "--facility", "linden",
                              **env)
    assert "inbox duty:       Ben" in readable.stdout

    wrong = await heimbote(tmp_path, "conversations", "settings", "--facility", "linden",
                           "--reminder-hours", "0", **env)
    assert wrong.returncode == 1 and len(wrong.error_lines) == 1
    stranger = await heimbote(tmp_path, "conversations", "inbox", "--facility", "linden",
                              "--telegram-id", "99", "--off", **env)
    assert stranger.returncode == 1 and "not on the team" in stranger.stderr
    async with database(url):
        actions = await AuditEntry.filter(via="cli").values_list("action", flat=True)
    assert sorted(actions) == ["conversations.settings", "facility.create", "staff.inbox"]
