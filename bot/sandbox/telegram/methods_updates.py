"""Getting updates: getUpdates (long polling) and the webhook methods."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from bot.sandbox.telegram.api_errors import ApiError, bad_request
from bot.sandbox.telegram.request_params import ApiRequest
from bot.sandbox.telegram.webhook import WebhookSettings

if TYPE_CHECKING:
    from bot.sandbox.telegram.fake_telegram import FakeTelegram

_WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
MAX_POLL_TIMEOUT = 50


async def get_updates(tg: FakeTelegram, call: ApiRequest) -> list[dict[str, Any]]:
    """getUpdates: confirm below ``offset``, then return or long-poll up to ``timeout``."""
    if tg.webhook.active:
        raise ApiError(409, _WEBHOOK_ACTIVE)
    tg.updates.set_allowed(_allowed_updates(call))
    tg.updates.confirm(call.get("offset"))
    limit = int(call.get("limit") or 100)
    timeout = min(float(call.get("timeout") or 0), MAX_POLL_TIMEOUT)
    return await tg.updates.long_poll(limit, timeout)


def _allowed_updates(call: ApiRequest) -> list[str] | None:
    allowed = call.get("allowed_updates")
    if allowed is None or allowed == "":
        return None
    if not isinstance(allowed, list):
        raise bad_request("can't parse allowed_updates JSON object")
    return [str(kind) for kind in allowed]


async def set_webhook(tg: FakeTelegram, call: ApiRequest) -> bool:
    """setWebhook: switch to webhook delivery (an empty url switches back)."""
    url = str(call.get("url") or "")
    if not url:
        await tg.webhook.remove()
        return True
    if not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
    secret = call.get("secret_token")
    if secret is not None and not _SECRET_TOKEN.fullmatch(str(secret)):
        raise bad_request("secret token contains unallowed characters")
    if call.get("drop_pending_updates"):
        tg.updates.drop_pending()
    allowed = _allowed_updates(call)
    tg.updates.set_allowed(allowed)
    tg.webhook.configure(
        WebhookSettings(
            url=url,
            secret_token=str(secret) if secret is not None else None,
            max_connections=int(call.get("max_connections") or 40),
            allowed_updates=allowed,
        )
    )
    return True


async def delete_webhook(tg: FakeTelegram, call: ApiRequest) -> bool:
    """deleteWebhook: back to getUpdates, optionally dropping pending updates."""
    await tg.webhook.remove()
    if call.get("drop_pending_updates"):
        tg.updates.drop_pending()
    return True


async def get_webhook_info(tg: FakeTelegram, call: ApiRequest) -> dict[str, Any]:
    """getWebhookInfo: url, pending_update_count, last error."""
    return tg.webhook.info()


HANDLERS = {
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
}
