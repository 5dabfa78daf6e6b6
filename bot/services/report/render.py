"""The quality report as files: PNG charts, one PDF document, a print-friendly HTML page.

No Telegram types here: the handler and the CLI call these and send or write the bytes.
matplotlib draws with its Agg canvas (no pyplot, no display needed); the PDF is typeset by
typst (:mod:`bot.services.report.typeset`) with the charts as SVG whose text stays text, so
the words and figures in the PDF can be searched and extracted.
Rendering is CPU work: call it through ``asyncio.to_thread`` from async code.
"""

from __future__ import annotations

import threading
from io import BytesIO, StringIO
from typing import TYPE_CHECKING, Any

from matplotlib import rc_context
from matplotlib.figure import Figure

from bot.i18n import Translator
from bot.services.report.charts import Chart, charts
from bot.services.report.html import render_html
from bot.services.report.report import QualityReport
from bot.services.report.typeset import typeset

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

DPI = 150
STYLE: dict[RcKeyType, Any] = {
    "pdf.fonttype": 42, "svg.fonttype": "none", "font.family": "DejaVu Sans"
}

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


def pdf_document(tr: Translator, report: QualityReport) -> bytes:
    """One typeset PDF: the key figures on the first page, then each section with its chart."""
    with _drawing, rc_context(STYLE):
        drawn = [(chart, _svg(chart.figure)) for chart in charts(tr, report)]
    return typeset(tr, report, drawn)


def html_document(tr: Translator, report: QualityReport) -> str:
    """The print-friendly HTML page, charts as inline SVG, no external resources."""
    with _drawing, rc_context(STYLE):
        drawn: list[tuple[Chart, str]] = [(chart, _svg(chart.figure))
                                          for chart in charts(tr, report)]
    return render_html(tr, report, drawn)


def file_name(report: QualityReport, extension: str) -> str:
    """``report-linden-2026-03.pdf``: the facility's slug and the month, no spaces."""
    return f"report-{report.facility_slug}-{report.month:%Y-%m}{extension}"
