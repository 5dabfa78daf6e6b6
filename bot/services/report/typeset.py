"""The quality report as a typeset PDF (typst): the same content as the HTML page, paginated.

The first page has the month's key figures against the previous month and the 12-month mean
(:mod:`bot.services.report.overview`); then each section with a short explanation of its
figures, its sentences, its chart, or in words why there is none. Every page carries the
home's name, the month and "page n of m".

typst comes as a self-contained wheel (``pip install typst``: no system libraries); the fonts
are matplotlib's DejaVu, so the document looks the same on every machine. All text reaches
typst as JSON data, never as markup: a home called ``#Haus $1`` stays text.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import matplotlib
import typst

from bot.i18n import Translator
from bot.services.report.charts import Chart, category_name, empty_states
from bot.services.report.overview import columns, overview
from bot.services.report.report import QualityReport
from bot.services.report.text import (
    decimal,
    key_figures,
    month_name,
    public_comparison,
    signed,
    title,
)

FONTS = str(Path(matplotlib.get_data_path()) / "fonts" / "ttf")
TEMPLATE = Path(__file__).with_name("report.typ")


def explanations(tr: Translator) -> dict[str, str]:
    """A short explanation of each section's figures, by section name."""
    return {
        "ratings": tr._(
            "A rating counts in the month it was given, whether public or sent to the home "
            "only; ratings held for or rejected by moderation do not count. The change compares "
            "the month's mean with the mean of the 11 months before."),
        "complaints": tr._(
            "A complaint is a rating of one or two stars. It is opened when it is given and "
            "resolved when the home marks it so; the time to resolution runs from the rating to "
            "that mark."),
        "responses": tr._(
            "A conversation starts with a relative's message. The response time runs to the "
            "home's first answer: half of the conversations were answered faster than the "
            "median, nine in ten within the second time."),
        "photos": tr._(
            "Photo updates staff posted, those the approvers approved or rejected, and the "
            "thanks relatives sent for them."),
        "relatives": tr._(
            "Linked: connected with a resident at the end of the month. Active: did something "
            "in the bot during the month. Unreachable: Telegram could not deliver to them."),
        "emergency_calls": tr._(
            "Urgent please-call-us alerts staff sent to a resident's emergency contacts. "
            "Answered: a relative acknowledged the alert; the time runs from the alert to that "
            "answer."),
        "visits": tr._(
            "Visiting slots relatives booked, and those cancelled by the family or the home."),
        "events": tr._(
            "The home's events in the month and the places relatives signed up for."),
    }


def _rating_table(tr: Translator, report: QualityReport) -> dict[str, Any] | None:
    if report.ratings is None or report.ratings.count == 0:
        return None
    return {
        "columns": [tr._("Category"), tr._("Ratings"), tr._("Mean stars"),
                    tr._("Change against the 11 months before")],
        "rows": [
            [category_name(tr, figures.category), tr.number(figures.count),
             "–" if figures.mean is None else decimal(tr, figures.mean),
             "–" if figures.change is None else signed(tr, figures.change)]
            for figures in report.ratings.categories
        ],
    }


def document_data(tr: Translator, report: QualityReport,
                  drawn: dict[str, str]) -> dict[str, Any]:
    """Everything the template shows, as plain JSON (``drawn``: chart name → image file)."""
    explained, empty = explanations(tr), empty_states(tr, report)
    sections = []
    for section in key_figures(tr, report):
        sections.append({
            "heading": section.heading,
            "explanation": explained.get(section.name, ""),
            "lines": list(section.lines),
            "chart": drawn.get(section.name),
            "empty": empty.get(section.name),
            "table": _rating_table(tr, report) if section.name == "ratings" else None,
            "note": public_comparison(tr, report) if section.name == "ratings" else None,
        })
    return {
        "lang": tr.locale,
        "title": title(tr, report),
        "heading": tr._("Quality report"),
        "facility": report.facility_name,
        "period": month_name(tr, report.month),
        "overview_heading": tr._("The month at a glance"),
        "columns": columns(tr),
        "rows": [vars(row) for row in overview(tr, report)],
        "overview_note": tr._(
            "Change: this month against the previous month. 12-month mean: the mean of the 12 "
            "months ending with this one. The following pages explain each figure."),
        "sections": sections,
        "page": tr._("Page {page} of {pages}"),
        "made": tr._("Made by Heimbote on {date}.").format(
            date=tr.datetime(report.generated_at, report.timezone)),
    }


def typeset(tr: Translator, report: QualityReport, drawn: list[tuple[Chart, str]]) -> bytes:
    """The PDF, from the report and its charts already drawn as SVG markup."""
    with tempfile.TemporaryDirectory(prefix="heimbote-report-") as folder:
        root = Path(folder)
        files = {}
        for chart, svg in drawn:
            (root / f"{chart.name}.svg").write_text(svg, encoding="utf-8")
            files[chart.name] = f"{chart.name}.svg"
        data = document_data(tr, report, files)
        (root / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        (root / "report.typ").write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
        pdf = typst.compile(str(root / "report.typ"), root=str(root), font_paths=[FONTS],
                            ignore_system_fonts=True)
    assert isinstance(pdf, bytes)
    return pdf
