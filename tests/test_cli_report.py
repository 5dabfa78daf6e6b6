"""``heimbote report``: the quality report as PDF, HTML or PNG charts from the command line."""

from __future__ import annotations

import asyncio
import json
import os
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot import cli
from bot.db import database
from tests.conftest import POSTGRES_URL_VARIABLE, reset_postgres
from tests.report_data import linden, relatives

pytestmark = pytest.mark.calendar  # run at every instant of tests.conftest.CLOCKS


@pytest.fixture
def heimbote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    """Run ``heimbote ARGS`` in-process on a database with Haus Linden's relatives seeded."""
    url = os.environ.get(POSTGRES_URL_VARIABLE) or f"sqlite://{tmp_path / 'heimbote.sqlite3'}"

    async def seed() -> None:
        if url.startswith("postgres"):
            await reset_postgres(url)
        async with database(url):
            facility, _ = await linden()
            await relatives(facility)

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

    return run


def test_the_default_is_a_pdf_named_after_the_facility_and_month(heimbote, tmp_path) -> None:
    code, out, err = heimbote("report", "--facility", "linden", "--month", "2026-03",
                              "--lang", "en")
    assert code == 0, err
    written = Path(out.strip())
    assert written.name == "report-linden-2026-03.pdf"
    pages = PdfReader(BytesIO((tmp_path / written).read_bytes())).pages
    assert "Haus Linden" in pages[0].extract_text() and "March 2026" in pages[0].extract_text()
    text = "\n".join(page.extract_text() for page in pages)
    assert "Linked: 4 (2 new)" in text


def test_the_facility_language_is_the_default(heimbote, tmp_path) -> None:
    code, out, _ = heimbote("report", "--facility", "linden", "--month", "2026-03",
                            "--output", "bericht.pdf")
    assert code == 0 and out.strip() == "bericht.pdf"
    text = PdfReader(tmp_path / "bericht.pdf").pages[0].extract_text()
    assert "März 2026" in text  # Haus Linden's default_locale is de


def test_html_and_json(heimbote, tmp_path) -> None:
    code, out, err = heimbote("report", "--facility", "linden", "--month", "2026-03",
                              "--format", "html", "--lang", "en", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["output"] == "report-linden-2026-03.html" and data["language"] == "en"
    assert data["facility_slug"] == "linden" and data["month"] == "2026-03"
    people = data["relatives"]
    assert (people["linked"], people["new"], people["unreachable"]) == (4, 2, 1)
    assert people["monthly_linked"][-2:] == [2, 4]
    html = (tmp_path / data["output"]).read_text(encoding="utf-8")
    assert "Haus Linden" in html and "March 2026" in html and "<svg" in html


def test_png_is_a_folder_with_one_image_per_chart(heimbote, tmp_path) -> None:
    code, out, _ = heimbote("report", "--facility", "linden", "--month", "2026-03",
                            "--format", "png", "--output", "charts")
    assert code == 0 and out.strip() == "charts"
    images = sorted((tmp_path / "charts").glob("*.png"))
    assert images and images[-1].name.endswith("-relatives.png")
    assert all(image.read_bytes().startswith(b"\x89PNG") for image in images)


@pytest.mark.parametrize(("args", "message", "status"), [
    (("--facility", "nowhere", "--month", "2026-03"), "no facility 'nowhere'", 1),
    (("--facility", "linden", "--month", "März"), "--month must be YYYY-MM", 2),
    (("--facility", "linden", "--month", "2026-13"), "--month must be YYYY-MM", 2),
    (("--facility", "linden", "--month", "2999-01"), "2999-01 has not begun yet", 1),
])
def test_bad_input_is_one_line_and_fails(heimbote, tmp_path, args, message, status) -> None:
    code, out, err = heimbote("report", *args)
    assert code == status and out == ""  # as README's "Errors and --json" states
    assert len(err.strip().splitlines()) == 1 and message in err
    assert not list(tmp_path.glob("report-*"))
