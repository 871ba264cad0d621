"""Patient-facing messages for what the scanner read (English msgids; Russian in the catalog)."""

from __future__ import annotations

from kiosk.i18n import N_

#: the digital policy's QR code (payload not public), a URL, any other text or binary code
NOT_SUITABLE = N_("This code does not fit — enter the policy number")
INCOMPLETE = N_("The code was not read completely. Hold it to the scanner again or enter the policy number.")
BARCODE_DAMAGED = N_("The barcode of the policy is damaged and cannot be read. Enter the policy number by hand.")
BARCODE_CHECK_DIGIT = N_("The policy number in the barcode is invalid. Enter the policy number by hand.")
BARCODE_BIRTH_DATE = N_("The birth date in the barcode of the policy is invalid. Enter the policy number by hand.")
PASS_FORGED = N_("The code of this ticket cannot be checked here. Please ask at the registry desk.")
PASS_OTHER_DAY = N_("This ticket is for %(date)s. You can confirm your arrival on the day of the visit.")
#: the ticket's desk code (its CODE128 barcode), or the QR code of a ticket printed without a pass
TICKET_DESK_CODE = N_("This code of the ticket is for the registry desk. Hold the QR code of the ticket to the "
                      "scanner, or show the ticket at the registry desk.")
#: the keypad after a scanned policy number
NUMBER_SCANNED = N_("The policy number is scanned. Enter your birth date.")
#: the final screen after a check-in by the ticket's QR code
GO_TO_ROOM = N_("Go to the cabinet at the time on your ticket.")
#: offline, where the outbox exists: the check-in is sent when the registry answers again
CHECK_IN_QUEUED = N_("The electronic registry is not answering now: your arrival will be sent to it as soon as "
                     "it answers. Go to the cabinet at the time on your ticket.")
