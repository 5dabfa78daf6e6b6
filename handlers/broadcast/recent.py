"""/broadcasts: a home's latest announcements with their figures."""

from __future__ import annotations

from telegram import Update

from bot.services import announcements as service
from handlers.kit.args import int_args
from handlers.kit.context import HeimboteContext, actor_of
from handlers.kit.screens import show


async def show_recent(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """The "list" button (or the only home): the latest announcements with their figures."""
    tr = context.tr
    listed = await service.recent(actor_of(context), int_args(args, 1)[0])
    if not listed:
        await show(update, tr._("No announcements yet. /broadcast writes the first one."))
        return
    lines = [tr._("Recent announcements:")]
    for announcement, figures in listed:
        lines.append(tr._("{when}: “{start}” – sent {sent} of {total}").format(
            when=tr.datetime(announcement.confirmed_at or announcement.created_at,
                             announcement.timezone),
            start=_shortened(announcement.text or "📷"),
            sent=tr.number(figures.sent), total=tr.number(figures.total)))
    await show(update, "\n".join(lines))


def _shortened(text: str, length: int = 40) -> str:
    first_line = text.strip().splitlines()[0] if text.strip() else ""
    return first_line if len(first_line) <= length else first_line[: length - 1] + "…"
