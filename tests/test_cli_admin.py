"""Setting up a home from the command line, as an operator does it on a fresh machine."""

from __future__ import annotations

import asyncio
import json
import os
import struct
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.cli import build_parser
from tests.conftest import POSTGRES_URL_VARIABLE, TOKEN, heimbote_command
from tests.fakes import FakeTelegram


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> object:
        assert self.returncode == 0, self.stderr
        return json.loads(self.stdout)

    @property
    def error_lines(self) -> list[str]:
        return self.stderr.strip().splitlines()


async def heimbote(cwd: Path, *args: str, **env: str) -> Finished:
    """``python -m bot ARGS`` in ``cwd``, without the caller's HEIMBOTE_* settings.

    Asynchronous, so that the fake Telegram in this test's event loop can answer it.
    """
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HEIMBOTE_")}
    process = await asyncio.create_subprocess_exec(
        *heimbote_command(*args), cwd=cwd, env={**clean, **env},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return Finished(process.returncode, stdout.decode(), stderr.decode())


def png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


# SQLite through the default file in the current folder always; PostgreSQL too when CI has it.
DATABASES = ["sqlite-default-file"] + (
    ["database_url"] if os.environ.get(POSTGRES_URL_VARIABLE) else []
)


@pytest.mark.parametrize("where", DATABASES)
async def test_a_newcomer_sets_up_a_home_and_invites_a_daughter(
    tmp_path: Path, telegram: FakeTelegram, database_url: str, where: str
) -> None:
    env = {"HEIMBOTE_DATABASE_URL": database_url} if where == "database_url" else {}
    telegram_env = {"HEIMBOTE_BOT_TOKEN": TOKEN, "HEIMBOTE_TELEGRAM_API_URL": telegram.api_root}

    home = (await heimbote(tmp_path, "facility", "add", "--slug", "sonnenhof",
                           "--name", "Haus Sonnenhof", "--json", **env)).json()
    assert isinstance(home, dict) and home.pop("id") > 0
    assert home == {
        "slug": "sonnenhof", "name": "Haus Sonnenhof", "timezone": "Europe/Berlin",
        "locale": "de", "contact": "", "relatives_may_invite": False,
        "conversation_retention_days": 365,
        "max_relatives_per_resident": 5, "four_eyes": True, "photo_retention_days": 180,
        "rating_interval_days": 90, "complaint_window_hours": 72, "rating_invite_after_days": 14,
    }

    frau_m = (await heimbote(tmp_path, "resident", "add", "--facility", "sonnenhof",
                             "--name", "Frau M.", "--room", "12", "--unit", "Wohnbereich 1",
                             "--json", **env)).json()
    assert isinstance(frau_m, dict) and frau_m["unit"] == "Wohnbereich 1"

    (tmp_path / "bewohner.csv").write_text(
        "name;room;unit\nHerr K.;14;Wohnbereich 1\nAnna B.;3;\n", encoding="utf-8"
    )
    imported = await heimbote(tmp_path, "resident", "import", "--facility", "sonnenhof",
                              "bewohner.csv", **env)
    assert imported.returncode == 0, imported.stderr
    assert "imported 2 residents" in imported.stdout

    consent = (await heimbote(tmp_path, "resident", "consent", str(frau_m["id"]),
                              "--granted-by", "representative", "--json", **env)).json()
    assert isinstance(consent, dict)
    assert (consent["photo_consent"], consent["consent_given_by"]) == ("granted", "representative")

    invited = await heimbote(tmp_path, "invite", "relative", "--resident", str(frau_m["id"]),
                             "--uses", "2", "--qr", "frau-m.png", **env, **telegram_env)
    assert invited.returncode == 0, invited.stderr
    code = next(line.split()[1] for line in invited.stdout.splitlines() if line.startswith("code:"))
    assert len(code) == 14 and code[4] == code[9] == "-"  # ABCD-EFGH-JKMN
    link = f"https://t.me/{telegram.bot_username}?start={code.replace('-', '')}"
    assert link in invited.stdout
    assert telegram.calls_of("getMe")
    width, _ = png_size((tmp_path / "frau-m.png").read_bytes())
    assert width >= 300  # scannable from paper

    listed = (await heimbote(tmp_path, "invite", "list", "--facility", "sonnenhof", "--json",
                             **env)).json()
    assert isinstance(listed, list) and len(listed) == 1
    (invite,) = listed
    assert (invite["resident"], invite["max_uses"], invite["state"]) == ("Frau M.", 2, "active")
    assert code.replace("-", "") not in json.dumps(listed)

    revoked = await heimbote(tmp_path, "invite", "revoke", str(invite["id"]), **env)
    assert revoked.returncode == 0, revoked.stderr
    assert (await heimbote(tmp_path, "invite", "list", "--facility", "sonnenhof", "--json",
                           **env)).json() == []

    residents = (await heimbote(tmp_path, "resident", "list", "--facility", "sonnenhof",
                                "--json", **env)).json()
    assert isinstance(residents, list)
    assert [r["name"] for r in residents] == ["Anna B.", "Frau M.", "Herr K."]


async def test_mistakes_get_one_clear_line(tmp_path: Path) -> None:
    unknown = await heimbote(tmp_path, "resident", "add", "--facility", "nowhere",
                             "--name", "Frau M.")
    assert unknown.returncode == 1
    assert unknown.error_lines == ["heimbote: no facility 'nowhere'"]

    assert (await heimbote(tmp_path, "facility", "add", "--slug", "sonnenhof",
                           "--name", "Haus Sonnenhof")).returncode == 0
    (tmp_path / "bad.csv").write_text("name,room\nFrau M.,12\n,14\n", encoding="utf-8")
    bad_csv = await heimbote(tmp_path, "resident", "import", "--facility", "sonnenhof", "bad.csv")
    assert bad_csv.returncode == 1
    assert len(bad_csv.error_lines) == 1 and "line 3" in bad_csv.stderr

    bad_role = await heimbote(tmp_path, "invite", "staff", "--facility", "sonnenhof",
                              "--role", "boss")
    assert bad_role.returncode == 2
    assert len(bad_role.error_lines) == 1 and "--role" in bad_role.stderr

    no_link = await heimbote(tmp_path, "invite", "staff", "--facility", "sonnenhof",
                             "--role", "admin", "--qr", "admin.png")
    assert no_link.returncode == 2
    assert len(no_link.error_lines) == 1 and "--bot-username" in no_link.stderr

    telegram_down = await heimbote(
        tmp_path, "invite", "staff", "--facility", "sonnenhof", "--role", "admin",
        HEIMBOTE_BOT_TOKEN=TOKEN, HEIMBOTE_TELEGRAM_API_URL="http://127.0.0.1:1",
    )
    assert telegram_down.returncode == 1
    assert len(telegram_down.error_lines) == 1 and "getMe" in telegram_down.stderr
    assert TOKEN not in telegram_down.stderr + telegram_down.stdout

    nothing = (await heimbote(tmp_path, "resident", "list", "--facility", "sonnenhof",
                              "--json")).json()
    assert nothing == []  # the bad CSV imported nothing
    no_invites = (await heimbote(tmp_path, "invite", "list", "--facility", "sonnenhof", "--all",
                                 "--json")).json()
    assert no_invites == []  # no invite was made whose code nobody saw


@pytest.mark.parametrize(
    "command",
    [
        ["facility"], ["facility", "add"], ["facility", "list"], ["facility", "show"],
        ["facility", "set"],
        ["resident"], ["resident", "add"], ["resident", "list"], ["resident", "import"],
        ["resident", "consent"],
        ["invite"], ["invite", "relative"], ["invite", "staff"], ["invite", "list"],
        ["invite", "revoke"],
    ],
)
def test_every_setup_command_has_help(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args([*command, "--help"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: heimbote {' '.join(command)}")


@pytest.mark.parametrize(
    ("content", "hint"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x90", "bewohner.csv: not a text"),
        (b"name,room\nHerr K.,14\n\x81\x8d\x90\x9d", "bewohner.csv: not a text"),
        (b"name,room\nHerr K.,14\nFrau \x1b[31mM.,12\n", "line 3"),
        (b'name,room\nHerr K.,14\n"Frau,1\n', "line"),
        (b'name,room\nHerr K.,14\n"Frau" M.,1\n', "line 3"),
    ],
    ids=["png", "neither-utf8-nor-cp1252", "control-characters", "unterminated-quote",
         "stray-quote"],
)
async def test_a_file_that_is_no_clean_csv_is_refused_whole(
    tmp_path: Path, content: bytes, hint: str
) -> None:
    assert (await heimbote(tmp_path, "facility", "add", "--slug", "sonnenhof",
                           "--name", "Haus Sonnenhof")).returncode == 0
    (tmp_path / "bewohner.csv").write_bytes(content)

    refused = await heimbote(tmp_path, "resident", "import", "--facility", "sonnenhof",
                             "bewohner.csv")

    assert refused.returncode == 1
    assert len(refused.error_lines) == 1, refused.stderr
    assert refused.error_lines[0].startswith("heimbote: ") and hint in refused.stderr
    assert "Traceback" not in refused.stderr and refused.stdout == ""
    nobody = (await heimbote(tmp_path, "resident", "list", "--facility", "sonnenhof",
                             "--json")).json()
    assert nobody == []  # not even the good first row
