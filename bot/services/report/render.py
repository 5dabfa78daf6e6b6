"""The quality report as files: PNG charts, one PDF document, a print-friendly HTML page.

No Telegram types here: the handler and the CLI call these and send or write the bytes.
matplotlib draws with its Agg canvas (no pyplot, no display needed); PDF text is embedded as
TrueType (``pdf.fonttype`` 42), so the words and figures in the PDF can be searched and
extracted.
Rendering is CPU work: call it through ``asyncio.to_thread`` from async code.
"""

from __future__ import annotations

import textwrap
import threading
from io import BytesIO, StringIO
from typing import TYPE_CHECKING, Any

from matplotlib import rc_context
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from bot.i18n import Translator
from bot.services.report.charts import Chart, charts
from bot.services.report.html import render_html
from bot.services.report.report import QualityReport
from bot.services.report.text import key_figures, month_name, title

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

DPI = 150
A4 = (8.27, 11.69)  # inches, portrait
STYLE: dict[RcKeyType, Any] = {
    "pdf.fonttype": 42, "svg.fonttype": "none", "font.family": "DejaVu Sans"
}
WRAP = 78  # characters per line on the title page

# rcParams are global: one rendering at a time keeps a report's style its own.
_drawing = threading.Lock()


def _png(figure: Figure) -> bytes:
    buffer = BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _svg(figure: Figure) -> str:
    buffer = StringIO()
    figure.savefig(buffer, format="svg")
    markup = buffer.getvalue()
    return markup[markup.find("<svg"):]  # inline: without the XML declaration and doctype


def png_charts(tr: Translator, report: QualityReport) -> list[tuple[str, bytes]]:
    """Each chart as a PNG: ``[("ratings", b"\\x89PNG…"), …]``, in reading order."""
    with _drawing, rc_context(STYLE):
        return [(chart.name, _png(chart.figure)) for chart in charts(tr, report)]


def _title_page(tr: Translator, report: QualityReport) -> Figure:
    page = Figure(figsize=A4)
    y = 0.92
    page.text(0.08, y, tr._("Quality report"), fontsize=24, fontweight="bold")
    y -= 0.045
    page.text(0.08, y, report.facility_name, fontsize=16)
    y -= 0.03
    page.text(0.08, y, month_name(tr, report.month), fontsize=16)
    y -= 0.06
    for section in key_figures(tr, report):
        page.text(0.08, y, section.heading, fontsize=13, fontweight="bold")
        y -= 0.028
        for line in section.lines:
            for part in textwrap.wrap(line, WRAP):
                page.text(0.1, y, part, fontsize=10.5)
                y -= 0.022
        y -= 0.018
    page.text(0.08, 0.05, tr._("Made by Heimbote on {date}.").format(
        date=tr.datetime(report.generated_at, report.timezone)), fontsize=8, color="#555555")
    return page


def pdf_document(tr: Translator, report: QualityReport) -> bytes:
    """One PDF: a title page with the key figures in words, then one page per chart."""
    buffer = BytesIO()
    metadata = {"Title": title(tr, report), "Creator": "Heimbote"}
    with _drawing, rc_context(STYLE), PdfPages(buffer, metadata=metadata) as pdf:
        pdf.savefig(_title_page(tr, report))
        for chart in charts(tr, report):
            pdf.savefig(chart.figure)
    return buffer.getvalue()


def html_document(tr: Translator, report: QualityReport) -> str:
    """The print-friendly HTML page, charts as inline SVG, no external resources."""
    with _drawing, rc_context(STYLE):
        drawn: list[tuple[Chart, str]] = [(chart, _svg(chart.figure))
                                          for chart in charts(tr, report)]
    return render_html(tr, report, drawn)


def file_name(report: QualityReport, extension: str) -> str:
    """``report-linden-2026-03.pdf``: the facility's slug and the month, no spaces."""
    return f"report-{report.facility_slug}-{report.month:%Y-%m}{extension}"
