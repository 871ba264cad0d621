"""Patient-facing messages for card faults and typed-number classes.

``devices.card`` reports reason codes only; this table turns a code into an
English gettext msgid (marked with ``N_``), translated at display time with ``_``.
"""

from __future__ import annotations

from kiosk.i18n import N_, _

#: reasons from devices.card.errors.CardReadError / monitor ``unreadable(reason)``
CARD_MESSAGES: dict[str, str] = {
    "not_oms": N_("This card is not an OMS policy. Insert the policy card or enter the policy number."),
    "mute": N_("The card does not answer. Take it out and insert it again, chip first and face up."),
    "removed": N_("The card was taken out too early. Insert it again and wait until it is read."),
    "bad_status": N_("The card could not be read. Insert it again or enter the policy number."),
    "malformed": N_("The data on the card is damaged. Enter the policy number by hand."),
    "check_digit": N_("The policy number on the card is invalid. Enter the policy number by hand."),
    "expired": N_("This policy has expired. Type the number of your new policy, or take a queue ticket to "
                  "the registry desk."),
    "timeout": N_("The card answers too slowly. Take it out and insert it again."),
    "no_reader": N_("The card reader is not working. Enter the policy number by hand."),
    "no_card": N_("Insert the policy card into the reader, chip first."),
    "unsupported": N_("This card is not supported. Enter the 16-digit policy number."),
}

#: card reasons the registry desk sorts out in person: a queue ticket is offered, with this reason printed
CARD_WALK_IN: dict[str, str] = {
    "expired": N_("Expired policy"),
}

#: typed-number reasons the registry desk sorts out in person (the keypad offers a queue ticket)
INPUT_WALK_IN: dict[str, str] = {
    "temporary_certificate": N_("Temporary certificate instead of a policy"),
    "old_policy": N_("Old-style policy"),
}

#: reasons from devices.card.numbers (NumberKind / BirthDateKind values); "enp" and "ok" need no message
INPUT_MESSAGES: dict[str, str] = {
    "enp_check_digit": N_("The policy number has a typo: please check the digits. "
                          "A policy number has 16 digits."),
    "temporary_certificate": N_("This is a temporary certificate number. To book you need the 16-digit OMS "
                                "policy number: ask your insurance company or look it up on Gosuslugi."),
    "snils": N_("This looks like a SNILS. Enter the 16-digit OMS policy number."),
    "blank_or_snils": N_("This looks like the form number of the policy or a SNILS. "
                         "Enter the 16-digit policy number from the front side."),
    "old_policy": N_("Old-style policies are not accepted by the terminal. Please contact the registration "
                     "desk or your insurance company to get your policy number."),
    "social_card": N_("This is a social card number. Enter the OMS policy number."),
    "empty": N_("Enter the 16-digit OMS policy number."),
    "too_short": N_("The number is too short. An OMS policy number has 16 digits."),
    "too_long": N_("The number is too long. An OMS policy number has 16 digits."),
    "unknown": N_("The number was not recognised. An OMS policy number has 16 digits."),
    "birth_date_empty": N_("Enter your date of birth."),
    "birth_date_format": N_("Enter the date of birth as day, month and year: 31.12.1980."),
    "birth_date_not_a_date": N_("There is no such date. Please check the day and the month."),
    "birth_date_in_future": N_("The date of birth cannot be in the future."),
    "birth_date_too_old": N_("Please check the year of birth."),
}

FALLBACK = N_("Something went wrong. Please try again or contact the registration desk.")


def card_message(reason: str) -> str:
    """Translated text for a card reason code (unknown codes get a generic text)."""
    return _(CARD_MESSAGES.get(reason, CARD_MESSAGES["bad_status"]))


def input_message(reason: str) -> str:
    """Translated text for a typed-number or birth-date reason; empty for a valid entry."""
    if reason in ("enp", "ok"):
        return ""
    return _(INPUT_MESSAGES.get(reason, FALLBACK))
