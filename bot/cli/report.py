"""``heimbote report``: the monthly quality report of one facility, as a file.

``--format pdf`` (default) and ``html`` write one file; ``png`` writes a folder with one PNG per
chart (the same images the bot sends in Telegram), named ``1-ratings.png``, ``2-responses.png``…
The command prints the path it wrote; ``--json`` prints the path and every figure as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli.errors import CommandError, CommandFailed
from bot.cli.output import print_json
from bot.config import Settings
from bot.db import database
from bot.domain.errors import InvalidInput, NotFound
from bot.i18n import available_locales, translator
from bot.services.accounts.actors import Actor
from bot.services.accounts.facilities import facility_by_slug

if TYPE_CHECKING:
    from bot.services.report.report import QualityReport

FORMATS = ("pdf", "html", "png")
EXTENSIONS = {"pdf": ".pdf", "html": ".html", "png": ""}


async def _figures(args: argparse.Namespace) -> QualityReport:
    # Imported here, not at the top: the package bot.services.report imports matplotlib, which
    # takes seconds, and every `heimbote` command (also --help) imports this module.
    from bot.services.report.report import parse_month, quality_report

    try:
        month = parse_month(args.month)
    except InvalidInput as error:
        raise CommandError(f"--month must be YYYY-MM, e.g. 2026-03 (not {args.month!r})") from error
    try:
        facility = await facility_by_slug(args.facility)
    except NotFound as error:
        raise CommandFailed(f"no facility {args.facility!r}") from error
    try:
        return await quality_report(Actor.cli(), facility.id, month)
    except InvalidInput as error:
        raise CommandFailed(f"{args.month} has not begun yet") from error


def _write(report: QualityReport, fmt: str, locale: str, output: Path | None) -> Path:
    """Render and write; returns the path written (a folder for PNG)."""
    # matplotlib takes seconds to import: only the command that draws pays for it.
    from bot.services.report.render import file_name, html_document, pdf_document, png_charts

    tr = translator(locale)
    target = output or Path(file_name(report, EXTENSIONS[fmt]))
    try:
        if fmt == "png":
            target.mkdir(parents=True, exist_ok=True)
            for number, (name, content) in enumerate(png_charts(tr, report), start=1):
                (target / f"{number}-{name}.png").write_bytes(content)
        elif fmt == "html":
            target.write_text(html_document(tr, report), encoding="utf-8")
        else:
            target.write_bytes(pdf_document(tr, report))
    except OSError as error:
        raise CommandFailed(f"cannot write {target}: {error.strerror or error}") from error
    return target


async def report(settings: Settings, args: argparse.Namespace) -> None:
    """Compute the facility's figures for the month and write the report."""
    from bot.services.report.report import to_json  # see _figures: matplotlib

    async with database(settings.database_url):
        figures = await _figures(args)
    locale = args.lang or figures.default_locale
    if locale not in available_locales():
        locale = settings.default_locale
    written = await asyncio.to_thread(_write, figures, args.format, locale, args.output)
    if args.json:
        data: dict[str, Any] = {"output": str(written), "format": args.format,
                                "language": locale, **to_json(figures)}
        print_json(data)
    else:
        print(written)

