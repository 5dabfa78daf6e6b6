"""Please call us: urgent alerts from the home to one resident's emergency contacts.

The public face of the package: handlers import only what is named here, the package's
own modules import each other directly.
"""

from bot.models import CallAnswer, CallReason
from bot.services.emergency_calls.calls import (
    ACKNOWLEDGED,
    ALERT,
    ANSWER_WITHIN,
    MOST_SENDS,
    OVERDUE,
    REPEAT_EVERY,
    Acknowledgement,
    CallView,
    NoEmergencyContacts,
    NotAnEmergencyContact,
    Reach,
    acknowledge,
    callable_residents,
    prepare_call,
    start_call,
)
from bot.services.emergency_calls.contacts import (
    Contact,
    contacts_of,
    emergency_contact_for,
    set_emergency_contact,
)
from bot.services.emergency_calls.privacy import erase_acknowledgements, export_of
from bot.services.emergency_calls.repeats import CallRun, run_calls
from bot.services.emergency_calls.texts import reason_text

__all__ = [
    "ACKNOWLEDGED",
    "ALERT",
    "ANSWER_WITHIN",
    "MOST_SENDS",
    "OVERDUE",
    "REPEAT_EVERY",
    "Acknowledgement",
    "CallAnswer",
    "CallReason",
    "CallRun",
    "CallView",
    "Contact",
    "NoEmergencyContacts",
    "NotAnEmergencyContact",
    "Reach",
    "acknowledge",
    "callable_residents",
    "contacts_of",
    "emergency_contact_for",
    "erase_acknowledgements",
    "export_of",
    "prepare_call",
    "reason_text",
    "run_calls",
    "set_emergency_contact",
    "start_call",
]
