"""A relative's data rights: what we keep about them (/mydata) and erasure (/deleteme).

The public face of the package: handlers import only what is named here, the package's
own modules import each other directly.
"""

from bot.services.privacy.privacy import (
    CONTENT_KEPT_DAYS,
    Retention,
    erase_account,
    export_account,
    facility_contacts,
    retention_of,
)

__all__ = [
    "CONTENT_KEPT_DAYS",
    "Retention",
    "erase_account",
    "export_account",
    "facility_contacts",
    "retention_of",
]
