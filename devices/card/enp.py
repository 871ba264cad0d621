"""The 16-digit unified policy number (ЕНП) and its Luhn mod-10 check digit.

The one implementation in the project: the card reader checks what the chip
says, the kiosk checks what the patient typed, and the demo registry generates
valid numbers with it. See ../shared/ref/oms-card.md §2.1.
"""

from __future__ import annotations

ENP_LENGTH = 16


def enp_check_digit(first15: str) -> int:
    """Luhn check digit for the first 15 digits (the digit next to the check digit is doubled)."""
    if len(first15) != ENP_LENGTH - 1 or not first15.isdigit():
        raise ValueError("expected 15 digits")
    total = 0
    for index, char in enumerate(reversed(first15)):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def is_valid_enp(number: str) -> bool:
    """True for exactly 16 ASCII digits whose last digit is the Luhn check digit."""
    return (
        len(number) == ENP_LENGTH
        and number.isascii()
        and number.isdigit()
        and enp_check_digit(number[:15]) == int(number[15])
    )


def complete_enp(first15: str) -> str:
    """Append the check digit to a 15-digit prefix."""
    return first15 + str(enp_check_digit(first15))


def mask_enp(number: str) -> str:
    """``7700000000000017`` → ``7700 **** **** 0017``: the only form of a policy number for logs and repr.

    ``kiosk.domain.mask_policy`` is this same function.
    """
    digits = "".join(ch for ch in number if ch.isdigit())
    if len(digits) < 8:
        return "****"
    return f"{digits[:4]} **** **** {digits[-4:]}"
