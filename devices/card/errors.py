"""Why a policy card could not be read: one exception with a reason code."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from devices.card.policy_record import PolicyCard

#: every reason the card side reports (kiosk.card_messages has a patient text for each)
REASONS = ("not_oms", "mute", "timeout", "removed", "bad_status", "malformed", "check_digit", "expired",
           "no_reader", "no_card", "unsupported")


class CardReadError(Exception):
    """The card in the reader could not give us a usable policy.

    ``reason`` is one of :data:`REASONS`; ``detail`` is for logs (never personal
    data); ``card`` is set when the data was read but is not usable (expired).
    """

    def __init__(self, reason: str, detail: str = "", card: PolicyCard | None = None) -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.card = card
