"""``heimbote resident contacts``: the operator lists and sets a resident's emergency contacts."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from bot import cli
from bot.db import database
from bot.models import AuditEntry, RelativeLink
from tests import factories
from tests.conftest import POSTGRES_URL_VARIABLE, reset_postgres

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def seeded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[Run, dict[str, int], str]:
    """Haus Linden with Frau M. (Anna and Bernd) and Herr K. (Ida); ``heimbote`` in-process."""
    url = os.environ.get(POSTGRES_URL_VARIABLE) or f"sqlite://{tmp_path / 'heimbote.sqlite3'}"
    ids: dict[str, int] = {}

    async def seed() -> None:
        if url.startswith("postgres"):
            await reset_postgres(url)
        async with database(url):
            linden = await factories.home("linden")
            mother = await factories.resident(linden, "Frau M.", "12")
            uncle = await factories.resident(linden, "Herr K.", "14")
            ids.update(mother=mother.id, uncle=uncle.id)
            for name, resident in (("Anna", mother), ("Bernd", mother), ("Ida", uncle)):
                ids[name] = (await factories.relative(name, resident)).id

    asyncio.run(seed())
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("HEIMBOTE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HEIMBOTE_DATABASE_URL", url)

    def run(*args: str) -> tuple[int, str, str]:
        code = cli.main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run, ids, url


def test_the_operator_lists_and_sets_emergency_contacts(
    seeded: tuple[Run, dict[str, int], str],
) -> None:
    run, ids, url = seeded
    mother = ["resident", "contacts", "--facility", "linden", "--resident", str(ids["mother"])]
    code, out, _ = run(*mother, "--json")
    assert code == 0
    assert json.loads(out) == [
        {"relative": ids["Anna"], "name": "Anna", "relation": "", "emergency_contact": False},
        {"relative": ids["Bernd"], "name": "Bernd", "relation": "", "emergency_contact": False},
    ]
    code, out, _ = run(*mother, "--add", str(ids["Anna"]), "--json")
    assert code == 0 and [c["emergency_contact"] for c in json.loads(out)] == [True, False]
    code, out, _ = run(*mother)
    assert code == 0
    assert out.splitlines() == [
        "RELATIVE  NAME   RELATION  EMERGENCY CONTACT",
        f"{ids['Anna']:<8}  Anna             yes",
        f"{ids['Bernd']:<8}  Bernd            no",
    ]
    code, _, err = run(*mother, "--add", str(ids["Ida"]))  # Herr K.'s niece
    assert code == 1 and "is not a relative of resident" in err
    code, _, err = run("resident", "contacts", "--facility", "linden", "--resident", "999")
    assert code == 1 and err.strip() == "heimbote: no resident 999 in linden"
    code, out, _ = run(*mother, "--remove", str(ids["Anna"]), "--json")
    assert code == 0 and [c["emergency_contact"] for c in json.loads(out)] == [False, False]

    async def check() -> None:
        async with database(url):
            assert not await RelativeLink.filter(emergency_contact=True).exists()
            audited = await AuditEntry.filter(via="cli").order_by("id").values_list(
                "action", flat=True)
            assert audited == ["emergency_contact.add", "emergency_contact.remove"]

    asyncio.run(check())
