"""What the public sees of the reviews: per-facility figures and pages of published reviews.

Read-only. The figures count every review that was ever published, retracted ones included
(erasure removes the person and the text, the stars stay); the pages show only reviews still
published. Figures are computed by the database, one query per facility, whatever the count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from tortoise import connections
from tortoise.functions import Count, Sum

from bot import clock
from bot.domain.errors import InvalidInput, NotFound
from bot.models import Facility, Review, ReviewState
from bot.services.accounts.facilities import SLUG
from bot.services.reviews.public_sql import Parameters, decode, encode, review_position
from bot.services.stream.chain import timestamp
from bot.services.stream.events import CATEGORIES, public_reply_shape, public_review_shape

COUNTED_STATES = (ReviewState.PUBLISHED, ReviewState.RETRACTED)
STARS = (5, 4, 3, 2, 1)
MONTHS = 12
# What a page of reviews reads: the public shape needs no more (and each date costs parsing).
PUBLIC_FIELDS = ("id", "overall", *CATEGORIES, "comment", "pseudonym", "published_at", "response")


@dataclass(frozen=True)
class MonthFigure:
    """Reviews published in one calendar month (the facility's time zone)."""

    month: str  # "2026-05"
    count: int
    mean: float | None


@dataclass(frozen=True)
class Figures:
    """A facility's ratings at a glance."""

    count: int
    mean: float | None  # overall stars, None without reviews
    categories: dict[str, tuple[float | None, int]]  # name → (mean, how many rated it)
    distribution: dict[int, int]  # stars → reviews, 5 first
    months: list[MonthFigure] = field(default_factory=list)  # oldest first, this month last


@dataclass(frozen=True)
class FacilitySummary:
    """One entry of the facility list."""

    slug: str
    name: str
    count: int
    mean: float | None


@dataclass(frozen=True)
class Page:
    """Some items and the cursor of the next page (None on the last one)."""

    items: list[Any]
    next_cursor: str | None


def _mean(total: Any, count: Any) -> float | None:
    return round(int(total) / int(count), 2) if count else None  # SUM of nothing is NULL


def month_starts(now: dt.datetime, timezone: str, months: int = MONTHS) -> list[dt.datetime]:
    """The starts of the last ``months`` local months and of the next one, in UTC, oldest first."""
    local = now.astimezone(ZoneInfo(timezone))
    year, month = local.year, local.month
    starts = []
    for back in range(months - 1, -2, -1):
        index = year * 12 + month - 1 - back
        start = dt.datetime(index // 12, index % 12 + 1, 1, tzinfo=ZoneInfo(timezone))
        starts.append(start.astimezone(dt.UTC))
    return starts


async def facility(slug: str) -> Facility:
    """The facility with this slug, or :class:`NotFound`."""
    if not SLUG.fullmatch(slug):  # not even a slug: no query (an over-long one would fail)
        raise NotFound(f"no facility {slug[:64]!r}")
    found = await Facility.get_or_none(slug=slug)
    if found is None:
        raise NotFound(f"no facility {slug!r}")
    return found


async def _figures_row(facility_id: int, starts: list[dt.datetime]) -> dict[str, Any]:
    """Counts and sums of one facility's counted reviews (means are divided in Python).

    Plain SQL: the ORM takes longer to build a query of 40 aggregates than the database takes
    to run it. Datetimes are passed as UTC values, compared as the ORM stores them.
    """
    connection = connections.get("default")
    param = Parameters(connection.capabilities.dialect)
    columns = ["COUNT(*) AS n", "SUM(overall) AS total"]
    for name in CATEGORIES:
        columns += [f"SUM({name}) AS {name}_sum", f"COUNT({name}) AS {name}_n"]
    columns += [f"SUM(CASE WHEN overall = {s} THEN 1 ELSE 0 END) AS stars_{s}" for s in STARS]
    for index, (start, end) in enumerate(pairwise(starts)):
        for column, value in (("n", "1"), ("sum", "overall")):
            columns.append(
                f"SUM(CASE WHEN published_at >= {param(start)} AND published_at < {param(end)}"
                f" THEN {value} ELSE 0 END) AS month_{index}_{column}"
            )
    states = ", ".join(f"'{state.value}'" for state in COUNTED_STATES)
    sql = (
        f"SELECT {', '.join(columns)} FROM review WHERE facility_id = {param(facility_id)}"
        f" AND state IN ({states}) AND published_at IS NOT NULL"
    )
    rows: list[dict[str, Any]] = await connection.execute_query_dict(sql, param.values)
    return rows[0]


async def figures(of: Facility, now: dt.datetime | None = None) -> Figures:
    """Count, means, distribution and the last 12 months, in one aggregate query."""
    starts = month_starts(now or clock.now(), of.timezone)
    row = await _figures_row(of.id, starts)
    zone = ZoneInfo(of.timezone)
    return Figures(
        count=int(row["n"]),
        mean=_mean(row["total"], row["n"]),
        categories={
            name: (_mean(row[f"{name}_sum"], row[f"{name}_n"]), int(row[f"{name}_n"]))
            for name in CATEGORIES
        },
        distribution={stars: int(row[f"stars_{stars}"] or 0) for stars in STARS},
        months=[
            MonthFigure(
                start.astimezone(zone).strftime("%Y-%m"),
                int(row[f"month_{index}_n"] or 0),
                _mean(row[f"month_{index}_sum"], row[f"month_{index}_n"]),
            )
            for index, start in enumerate(starts[:-1])
        ],
    )


async def facilities_page(cursor: str | None, limit: int) -> Page:
    """Facilities by slug, each with its count and mean; ``cursor`` is the last slug seen."""
    query = Facility.all().order_by("slug")
    if cursor is not None:
        after = decode(cursor)
        if not SLUG.fullmatch(after):
            raise InvalidInput("cursor", "not a cursor this API gave out")
        query = query.filter(slug__gt=after)
    found = await query.limit(limit + 1).only("id", "slug", "name")
    shown = found[:limit]
    counts = {
        row["facility_id"]: row
        for row in await Review.filter(
            facility_id__in=[f.id for f in shown],
            state__in=COUNTED_STATES,
            published_at__isnull=False,
        )
        .annotate(n=Count("id"), total=Sum("overall"))
        .group_by("facility_id")
        .values("facility_id", "n", "total")
    }
    items = [
        FacilitySummary(
            f.slug,
            f.name,
            int(counts[f.id]["n"]) if f.id in counts else 0,
            _mean(counts[f.id]["total"], counts[f.id]["n"]) if f.id in counts else None,
        )
        for f in shown
    ]
    more = len(found) > limit
    return Page(items, encode(shown[-1].slug) if more else None)


_REVIEW_COLUMNS = ", ".join(f"r.{name}" for name in PUBLIC_FIELDS)
_REPLY_COLUMNS = (
    "rr.review_id AS reply_review_id, rr.text AS reply_text,"
    " rr.created_at AS reply_created_at, rr.edited_at AS reply_edited_at"
)


def _moment(value: Any) -> dt.datetime | None:
    """A datetime column as the ORM would give it: aware, UTC (SQLite hands back text)."""
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _timestamp(value: Any) -> str | None:
    if isinstance(value, str) and len(value) in (25, 32) and value.endswith("+00:00"):
        return f"{value[:10]}T{value[11:19]}Z"  # SQLite's text of a UTC moment, as written
    moment = _moment(value)
    return timestamp(moment) if moment is not None else None


def _public_row(row: dict[str, Any], facility_slug: str) -> dict[str, Any]:
    """A row of review and reply in the public shape (:func:`stream.public_review_shape`)."""
    reply = None
    if row["reply_review_id"] is not None:
        reply = public_reply_shape(
            review_id=row["reply_review_id"],
            text=row["reply_text"],
            created_at=_timestamp(row["reply_created_at"]),
            edited_at=_timestamp(row["reply_edited_at"]),
        )
    return public_review_shape(
        review_id=row["id"],
        facility_slug=facility_slug,
        overall=row["overall"],
        categories=row,
        comment=row["comment"],
        pseudonym=row["pseudonym"],
        published_at=_timestamp(row["published_at"]),
        response=row["response"],
        reply=reply,
    )


async def _reviews_rows(
    where: str, value: Any, cursor: str | None, limit: int
) -> list[dict[str, Any]]:
    """The facility's row (``f.<where> = value``) joined with a page of its reviews.

    No row: no such facility; one row without ``id``: a facility without (more) reviews.
    """
    connection = connections.get("default")
    param = Parameters(connection.capabilities.dialect)
    sql = (
        f"SELECT {_REVIEW_COLUMNS}, {_REPLY_COLUMNS} FROM facility f"
        f" LEFT JOIN review r ON r.facility_id = f.id"
        f" AND r.state = {param(ReviewState.PUBLISHED.value)} AND r.published_at IS NOT NULL"
    )
    if cursor is not None:
        published_at, review_id = review_position(cursor)
        sql += (
            f" AND (r.published_at < {param(published_at)}"
            f" OR (r.published_at = {param(published_at)} AND r.id < {param(review_id)}))"
        )
    sql += (
        f" LEFT JOIN review_reply rr ON rr.review_id = r.id WHERE f.{where} = {param(value)}"
        f" ORDER BY r.published_at DESC, r.id DESC LIMIT {param(limit + 1)}"
    )
    rows: list[dict[str, Any]] = await connection.execute_query_dict(sql, param.values)
    return rows


def _page(found: list[dict[str, Any]], facility_slug: str, limit: int) -> Page:
    found = [row for row in found if row["id"] is not None]
    shown = found[:limit]
    items = [_public_row(row, facility_slug) for row in shown]
    next_cursor = None
    if len(found) > limit:
        last = shown[-1]
        moment = _moment(last["published_at"])
        assert moment is not None  # the query asks for published reviews only
        next_cursor = encode(f"{moment.isoformat()}|{last['id']}")
    return Page(items, next_cursor)


async def reviews_page(of: Facility, cursor: str | None, limit: int) -> Page:
    """Published reviews, newest first, in their public shape, with the home's replies.

    One query of plain rows (reviews joined with their replies): model instances and their
    date parsing cost more than the query on this, the most read list of the public API.
    """
    return _page(await _reviews_rows("id", of.id, cursor, limit), of.slug, limit)


async def facility_reviews_page(slug: str, cursor: str | None, limit: int) -> Page:
    """:func:`reviews_page` of the facility with this slug, or :class:`NotFound`.

    The facility is looked up in the same query as its reviews.
    """
    if not SLUG.fullmatch(slug):
        raise NotFound(f"no facility {slug[:64]!r}")
    try:
        found = await _reviews_rows("slug", slug, cursor, limit)
    except InvalidInput:
        await facility(slug)  # an unknown facility is reported before a bad cursor
        raise
    if not found:
        raise NotFound(f"no facility {slug!r}")
    return _page(found, slug, limit)
