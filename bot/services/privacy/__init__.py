"""A relative's data rights: what we keep about them (/mydata) and erasure (/deleteme).

The public face of the package: handlers import only what is named here, the package's
own modules import each other directly.
"""

from bot.services.privacy.privacy import erase_account, export_account, facility_contacts

__all__ = ["erase_account", "export_account", "facility_contacts"]
