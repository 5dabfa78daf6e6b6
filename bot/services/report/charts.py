"""The quality report's charts (matplotlib, object-oriented API: no pyplot, no global figure).

Each chart is one :class:`~matplotlib.figure.Figure` a manager reads at a glance: ratings per
category with the 12-month trend, complaints, response times, photo updates and thanks,
relatives. Every label is translated; numbers use the reader's decimal separator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure, SubFigure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from bot.i18n import Translator
from bot.services.report.report import QualityReport
from bot.services.report.text import decimal, month_name, percent, short_month

SIZE = (8.0, 4.5)  # inches: 1200 × 675 pixels at 150 dpi
BLUE, GREEN, RED, GREY, ORANGE = "#1f5f99", "#2e8b57", "#c0392b", "#8a8f98", "#e08e0b"


@dataclass(frozen=True)
class Chart:
    """One chart: a short name (for file names), its title and the figure."""

    name: str
    title: str
    figure: Figure


def category_name(tr: Translator, category: str) -> str:
    """A rating category's name in the reader's language."""
    names = {
        "overall": tr.pgettext("rating category", "Overall"),
        "care": tr.pgettext("rating category", "Care"),
        "staff": tr.pgettext("rating category", "Staff"),
        "food": tr.pgettext("rating category", "Food & drink"),
        "activities": tr.pgettext("rating category", "Activities"),
        "communication": tr.pgettext("rating category", "Communication with relatives"),
    }
    return names[category]


def _month_axis(tr: Translator, axes: Axes, report: QualityReport) -> list[int]:
    positions = list(range(len(report.months)))
    axes.set_xticks(positions, [short_month(tr, month) for month in report.months],
                    rotation=45, ha="right", fontsize=8)
    return positions


def _tidy(axes: Axes) -> None:
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)


def _figure(tr: Translator, report: QualityReport, heading: str) -> Figure:
    figure = Figure(figsize=SIZE, layout="constrained")
    FigureCanvasAgg(figure)  # the Agg renderer: no pyplot, no display
    figure.suptitle(f"{heading} – {month_name(tr, report.month)}", fontsize=13,
                    fontweight="bold")
    return figure


def _legend(figure: Figure | SubFigure) -> None:
    """One legend under the chart for all its axes: it never hides a bar or a line."""
    figure.legend(fontsize=8, ncols=4, loc="outside lower center", frameon=False)


def ratings_chart(tr: Translator, report: QualityReport) -> Chart | None:
    """This month's mean per category (bars) and the 12-month trend of each (lines)."""
    if report.ratings is None or not any(report.ratings.of("overall").monthly_counts):
        return None
    heading = tr._("Ratings per category")
    figure = _figure(tr, report, heading)
    bars, lines = figure.subplots(1, 2, width_ratios=(2, 3))
    categories = report.ratings.categories
    names = [category_name(tr, c.category) for c in categories]
    means = [c.mean or 0.0 for c in categories]
    rows = list(range(len(categories)))[::-1]
    bars.barh(rows, means, color=[BLUE if c.category == "overall" else "#6c9bd2"
                                  for c in categories])
    for row, figures in zip(rows, categories, strict=True):
        label = (f"{decimal(tr, figures.mean)} ({tr.number(figures.count)})"
                 if figures.mean is not None else "–")
        bars.text(min(figures.mean or 0.0, 5.0) + 0.08, row, label, va="center", fontsize=8)
    bars.set_yticks(rows, names, fontsize=9)
    bars.set_xlim(0, 5.9)
    bars.set_xticks([1, 2, 3, 4, 5])
    bars.set_title(tr._("This month: mean (count)"), fontsize=10)
    bars.spines[["top", "right"]].set_visible(False)
    positions = _month_axis(tr, lines, report)
    for figures, name in zip(categories, names, strict=True):
        values = [float("nan") if m is None else m for m in figures.monthly_means]
        overall = figures.category == "overall"
        lines.plot(positions, values, marker="o", markersize=3 if not overall else 5,
                   linewidth=2.5 if overall else 1, color=BLUE if overall else None,
                   alpha=1 if overall else 0.7, label=name)
    lines.set_ylim(1, 5.2)
    lines.set_yticks([1, 2, 3, 4, 5])  # whole stars: no "4.5" tick a reader must interpret
    lines.set_title(tr._("12 months: mean stars"), fontsize=10)
    figure.legend(fontsize=8, ncols=6, loc="outside lower center", frameon=False)
    _tidy(lines)
    return Chart("ratings", heading, figure)


def complaints_chart(tr: Translator, report: QualityReport) -> Chart | None:
    """Complaints opened and resolved per month."""
    if report.complaints is None or not any(
            report.complaints.monthly_opened + report.complaints.monthly_resolved):
        return None
    heading = tr._("Complaints")
    figure = _figure(tr, report, heading)
    axes = figure.subplots()
    positions = _month_axis(tr, axes, report)
    _paired_bars(axes, positions, report.complaints.monthly_opened,
                 report.complaints.monthly_resolved, (RED, GREEN),
                 (tr.pgettext("report chart", "opened"), tr.pgettext("report chart", "resolved")))
    axes.set_title(tr._("Complaints opened and resolved per month"), fontsize=10)
    return Chart("complaints", heading, figure)


def _paired_bars(axes: Axes, positions: list[int], left: Sequence[int], right: Sequence[int],
                 colors: tuple[str, str], labels: tuple[str, str]) -> None:
    width = 0.4
    axes.bar([p - width / 2 for p in positions], left, width, color=colors[0], label=labels[0])
    axes.bar([p + width / 2 for p in positions], right, width, color=colors[1], label=labels[1])
    _count_axis(axes, [*left, *right])
    _legend(axes.figure)
    _tidy(axes)


def _count_axis(axes: Axes, values: Sequence[float | None]) -> None:
    """A y axis of whole numbers from 0, at least up to 1 (never "−0.045 … 0.045")."""
    top = max((value for value in values if value is not None), default=0)
    axes.set_ylim(0, max(1.0, top * 1.1))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))


def response_chart(tr: Translator, report: QualityReport) -> Chart | None:
    """First-response times (median bars, 90th percentile marks) and the share within 4 h."""
    talks = report.conversations
    if talks is None or not any(talks.monthly_counts):
        return None
    heading = tr._("Response times")
    figure = _figure(tr, report, heading)
    axes = figure.subplots()
    positions = _month_axis(tr, axes, report)
    nan = float("nan")
    longest = max((h for h in talks.monthly_p90_hours if h is not None), default=0.0)
    in_minutes = longest < 2  # short answers: whole minutes, not "0.0 0.0 0.0" hours
    scale = 60 if in_minutes else 1
    medians = [nan if h is None else h * scale for h in talks.monthly_median_hours]
    p90s = [nan if h is None else h * scale for h in talks.monthly_p90_hours]
    if in_minutes:
        labels = (tr.pgettext("report chart", "median first response (minutes)"),
                  tr.pgettext("report chart", "90% answered within (minutes)"),
                  tr.pgettext("report chart", "minutes"))
    else:
        labels = (tr.pgettext("report chart", "median first response (hours)"),
                  tr.pgettext("report chart", "90% answered within (hours)"),
                  tr.pgettext("report chart", "hours"))
    axes.bar(positions, medians, 0.6, color=BLUE, label=labels[0])
    axes.plot(positions, p90s, linestyle="none", marker="_", markersize=14,
              markeredgewidth=2.5, color=ORANGE, label=labels[1])
    _count_axis(axes, [longest * scale])
    _tidy(axes)
    share = axes.twinx()
    share.plot(positions, [nan if s is None else s for s in talks.monthly_share_within_4h],
               color=GREEN, marker="o", markersize=4,
               label=tr.pgettext("report chart", "answered within 4 hours"))
    share.set_ylim(0, 1.05)
    share.yaxis.set_major_formatter(FuncFormatter(lambda value, _: percent(tr, value)))
    share.spines[["top"]].set_visible(False)
    axes.set_ylabel(labels[2])
    _legend(figure)
    axes.set_title(tr._("Conversations started: {count} this month").format(
        count=tr.number(talks.count)), fontsize=10)
    return Chart("responses", heading, figure)


def photos_chart(tr: Translator, report: QualityReport) -> Chart | None:
    """Photo updates posted, approved and rejected per month, and the thanks they received."""
    photos = report.photos
    if photos is None or not any(photos.monthly_posted + photos.monthly_thanks):
        return None
    heading = tr._("Photo updates and thanks")
    figure = _figure(tr, report, heading)
    axes = figure.subplots()
    positions = _month_axis(tr, axes, report)
    width = 0.27
    for offset, values, color, label in (
        (-width, photos.monthly_posted, GREY, tr.pgettext("report chart", "posted")),
        (0.0, photos.monthly_approved, GREEN, tr.pgettext("report chart", "approved")),
        (width, photos.monthly_rejected, RED, tr.pgettext("report chart", "rejected")),
    ):
        axes.bar([p + offset for p in positions], values, width, color=color, label=label)
    axes.plot(positions, photos.monthly_thanks, color=ORANGE, marker="o", linewidth=2,
              label=tr.pgettext("report chart", "thanks received"))
    _count_axis(axes, [*photos.monthly_posted, *photos.monthly_thanks])
    _legend(figure)
    _tidy(axes)
    return Chart("photos", heading, figure)


def relatives_chart(tr: Translator, report: QualityReport) -> Chart | None:
    """Relatives linked and active per month."""
    if not any(report.relatives.monthly_linked + report.relatives.monthly_active):
        return None
    heading = tr._("Relatives")
    figure = _figure(tr, report, heading)
    axes = figure.subplots()
    positions = _month_axis(tr, axes, report)
    people = report.relatives
    axes.plot(positions, people.monthly_linked, color=BLUE, marker="o", linewidth=2,
              label=tr.pgettext("report chart", "linked"))
    axes.bar(positions, people.monthly_active, 0.6, color=GREEN, alpha=0.8,
             label=tr.pgettext("report chart", "active"))
    _count_axis(axes, [*people.monthly_linked, *people.monthly_active])
    _legend(figure)
    _tidy(axes)
    return Chart("relatives", heading, figure)


def empty_states(tr: Translator, report: QualityReport) -> dict[str, str]:
    """In words, for each chart left out for want of data: what the 12 months held."""
    empty = {
        "ratings": report.ratings is not None
        and not any(report.ratings.of("overall").monthly_counts),
        "responses": report.conversations is not None
        and not any(report.conversations.monthly_counts),
        "photos": report.photos is not None
        and not any(report.photos.monthly_posted + report.photos.monthly_thanks),
        "complaints": report.complaints is not None and not any(
            report.complaints.monthly_opened + report.complaints.monthly_resolved),
        "relatives": not any(report.relatives.monthly_linked + report.relatives.monthly_active),
    }
    words = {
        "ratings": tr._("No ratings in the 12 months up to this month."),
        "responses": tr._("No conversations in the 12 months up to this month."),
        "photos": tr._("No photo updates in the 12 months up to this month."),
        "complaints": tr._("No complaints in the 12 months up to this month."),
        "relatives": tr._("No relatives linked in the 12 months up to this month."),
    }
    return {name: words[name] for name, is_empty in empty.items() if is_empty}


def charts(tr: Translator, report: QualityReport) -> list[Chart]:
    """Every chart that has data to show, in reading order."""
    found = [ratings_chart(tr, report), response_chart(tr, report),
             photos_chart(tr, report), complaints_chart(tr, report),
             relatives_chart(tr, report)]
    return [chart for chart in found if chart is not None]
