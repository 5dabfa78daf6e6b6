"""Other languages: relatives who read another language get their own version, if one is added."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.domain.callbacks import BadCallbackData
from bot.domain.errors import DomainError
from bot.i18n import available_locales, language_name
from bot.services import announcements as service
from bot.services.accounts import Awaited, await_input, stop_awaiting
from handlers.broadcast.replies import CAP, draft_and_choice, explain
from handlers.broadcast.schedule import ask_urgent
from handlers.kit.args import int_args
from handlers.kit.buttons import button
from handlers.kit.context import HeimboteContext, actor_of
from handlers.kit.screens import show

TRANSLATION = "broadcast_translation"  # awaited: the text in another language


async def ask_language(
    update: Update, context: HeimboteContext, draft: service.AnnouncementView
) -> None:
    """Offer the languages without a version yet; with none left, on to urgency."""
    tr = context.tr
    others = [locale for locale in available_locales() if locale not in draft.languages]
    if not others:
        await ask_urgent(update, context, draft)
        return
    rows = [
        [button(language_name(locale), CAP, "lang", draft.id, locale)] for locale in others
    ]
    rows.append([button(tr._("No, that's all"), CAP, "nolang", draft.id)])
    await show(update, tr._(
        "Relatives who use another language get their own version, if you add one. "
        "Add a version in another language?"
    ), InlineKeyboardMarkup(rows))


async def choose_language(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """The "lang" button: ask for the version in that language."""
    draft_id, locale = draft_and_choice(args)
    if locale not in available_locales():
        raise BadCallbackData(args)
    await service.get_view(actor_of(context), draft_id)
    assert context.account is not None
    await await_input(context.account, TRANSLATION, announcement=draft_id, locale=locale)
    await show(update, context.tr._("Please send the {language} version.").format(
        language=language_name(locale)))


async def translation_received(
    update: Update, context: HeimboteContext, awaited: Awaited
) -> None:
    """Another language's version of the text."""
    message = update.effective_message
    if message is None or message.text is None or context.account is None:
        return
    entities = [entity.to_dict() for entity in message.entities]
    try:
        draft = await service.add_translation(
            actor_of(context), int(awaited.payload["announcement"]), str(awaited.payload["locale"]),
            message.text, entities,
        )
    except DomainError as error:
        await show(update, explain(context.tr, error, len(message.text)))
        return
    await stop_awaiting(context.account)
    await ask_language(update, context, draft)


async def no_more_languages(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> None:
    """The "nolang" button: no more versions, on to urgency."""
    await ask_urgent(update, context, await service.get_view(
        actor_of(context), int_args(args, 1)[0]))
