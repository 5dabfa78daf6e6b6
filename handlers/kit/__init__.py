"""What every handler package uses, so that no capability writes it again.

- :mod:`~handlers.kit.context` — ``HeimboteContext`` (account, translator, settings),
  ``actor_of`` and ``account_of``;
- :mod:`~handlers.kit.preflight` — the negative groups every update passes first;
- :mod:`~handlers.kit.screens` — ``show``: edit the pressed message (text or caption) or reply;
- :mod:`~handlers.kit.buttons` — ``button``, ``buttons`` (one dispatcher per capability, with
  its refusal table as ``explain``), ``typed``, ``error_message``, ``stale_refusal``;
- :mod:`~handlers.kit.args` — ids, codes and paging offsets from callback data, parsed strictly;
- :mod:`~handlers.kit.text_input` — the one router of typed text, and ``typed_text``;
- :mod:`~handlers.kit.paging` — ◀ ▶ lists;
- :mod:`~handlers.kit.menu` and :mod:`~handlers.kit.fallback` — the command menu, the catch-alls.
"""
