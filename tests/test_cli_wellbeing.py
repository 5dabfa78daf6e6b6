"""``heimbote wellbeing``: the operator switches notes and sets a home's activities."""

from __future__ import annotations

from pathlib import Path

from bot.db import database
from bot.models import AuditEntry, Facility, WellbeingConsent, WellbeingResident
from tests import factories
from tests.test_cli_admin import heimbote


async def test_the_operator_sets_notes_activities_and_who_is_left_out(
    tmp_path: Path, database_url: str
) -> None:
    url = database_url  # the test's database (see test_cli_conversations)
    env = {"HEIMBOTE_DATABASE_URL": url}
    assert (await heimbote(tmp_path, "facility", "add", "--slug", "linden",
                           "--name", "Haus Linden", **env)).returncode == 0
    async with database(url):
        linden = await Facility.get(slug="linden")
        frau_m = await factories.resident(linden, "Frau M.", "12")
        anna = await factories.relative("Anna", frau_m)
        link = await anna.relative_links.all().first()
        assert link is not None
        frau_m_id, link_id = frau_m.id, link.id

    shown = (await heimbote(tmp_path, "wellbeing", "settings", "--facility", "linden",
                            "--json", **env)).json()
    assert shown == {"facility": "linden", "notes": True,
                     "activities": ["walk", "singing", "visit", "rested"], "residents_off": []}
    readable = await heimbote(tmp_path, "wellbeing", "settings", "--facility", "linden", **env)
    assert "notes never hold medical details" in readable.stdout

    changed = (await heimbote(tmp_path, "wellbeing", "settings", "--facility", "linden",
                              "--notes", "off", "--activities", "Gedächtnistraining, walk",
                              "--json", **env)).json()
    assert isinstance(changed, dict)
    assert (changed["notes"], changed["activities"]) == (False, ["Gedächtnistraining", "walk"])

    off = (await heimbote(tmp_path, "wellbeing", "resident", str(frau_m_id), "--notes", "off",
                          "--json", **env)).json()
    assert off == {"resident": frau_m_id, "name": "Frau M.", "notes": False}
    linked = (await heimbote(tmp_path, "wellbeing", "link", str(link_id), "--notes", "off",
                             "--json", **env)).json()
    assert linked == {"link": link_id, "notes": False}
    listed = (await heimbote(tmp_path, "wellbeing", "links", "--facility", "linden",
                             "--json", **env)).json()
    assert isinstance(listed, list) and listed[0]["home_enabled"] is False
    assert listed[0]["opted_in"] is False and listed[0]["relative"] == "Anna"
    shown = (await heimbote(tmp_path, "wellbeing", "settings", "--facility", "linden",
                            "--json", **env)).json()
    assert isinstance(shown, dict) and shown["residents_off"] == ["Frau M."]

    wrong = await heimbote(tmp_path, "wellbeing", "settings", "--facility", "linden",
                           "--activities", ",".join(f"a{i}" for i in range(9)), **env)
    assert wrong.returncode == 1 and len(wrong.error_lines) == 1
    missing = await heimbote(tmp_path, "wellbeing", "link", "9999", "--notes", "on", **env)
    assert missing.returncode == 1
    async with database(url):
        assert not (await WellbeingResident.get(resident_id=frau_m_id)).notes_enabled
        assert not (await WellbeingConsent.get(link_id=link_id)).home_enabled
        actions = await AuditEntry.filter(via="cli").values_list("action", flat=True)
    assert sorted(actions) == ["facility.create", "wellbeing.link", "wellbeing.resident",
                               "wellbeing.settings"]
