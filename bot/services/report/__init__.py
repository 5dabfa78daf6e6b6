"""The monthly quality report: figures, charts, text, and the rendered HTML/PDF.

The public face of the package: handlers import only what is named here, the package's
own modules import each other directly.
"""

from bot.services.report.render import file_name, pdf_document, png_charts
from bot.services.report.report import (
    QualityReport,
    parse_month,
    quality_report,
    recent_months,
    report_facilities,
)
from bot.services.report.text import month_name, summary, title

__all__ = [
    "QualityReport",
    "file_name",
    "month_name",
    "parse_month",
    "pdf_document",
    "png_charts",
    "quality_report",
    "recent_months",
    "report_facilities",
    "summary",
    "title",
]
