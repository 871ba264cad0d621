"""Domain errors. Each carries a message a patient can read: an English gettext msgid marked with
``N_`` (so the catalog tool collects it), translated at display time with ``_``."""

from __future__ import annotations

from kiosk.i18n import N_


class KioskError(Exception):
    """Base of the errors a patient may be told about."""

    #: gettext msgid of the patient-facing message (English key, translated to Russian)
    patient_message: str = N_("Something went wrong. Please try again or ask at the registry desk.")
    #: values for the %(name)s placeholders of the translated message
    patient_params: dict[str, str] = {}  # noqa: RUF012 (never mutated; instances assign their own)


class RegistryError(KioskError):
    """The registry refused the request for a business reason."""

    code = "REGISTRY_ERROR"

    def __init__(self, detail: str = "", registry_message: str = "") -> None:
        super().__init__(detail or self.code)
        self.registry_message = registry_message


class PatientNotFound(RegistryError):  # noqa: N818 (public names)
    code = "PATIENT_NOT_FOUND"
    patient_message = N_("We could not find a patient with this policy number and birth date. "
                       "Check them or ask at the registry desk.")


class InvalidParams(RegistryError):  # noqa: N818 (public names)
    code = "INVALID_PARAMS"
    patient_message = N_("The policy number or birth date is not valid. Check them and try again.")


class NotAttached(RegistryError):  # noqa: N818 (public names)
    code = "NO_ATTACHMENT"
    patient_message = N_("You are not attached to this polyclinic. The registry desk will help you book.")


class ReferralRequired(RegistryError):  # noqa: N818 (public names)
    code = "REFERRAL_REQUIRED"
    patient_message = N_("This specialist can only be booked with a referral from your doctor.")


class ReferralNotValid(RegistryError):  # noqa: N818 (public names)
    code = "REFERRAL_NOT_VALID"
    patient_message = N_("This referral is no longer valid. Ask your doctor for a new one.")


class SlotTaken(RegistryError):  # noqa: N818 (public names)
    code = "SLOT_UNAVAILABLE"
    patient_message = N_("This time has just been taken. Please choose another time.")


class AppointmentExists(RegistryError):  # noqa: N818 (public names)
    code = "APPOINTMENT_ALREADY_EXISTS"
    patient_message = N_("You already have an appointment with this specialist. "
                         "You can move it to another time.")


class AppointmentNotFound(RegistryError):  # noqa: N818 (public names)
    code = "APPOINTMENT_RECEPTION_NOT_FOUND"
    patient_message = N_("This appointment was not found. It may have been cancelled.")


class CheckInTooEarly(RegistryError):  # noqa: N818 (public names)
    code = "CHECK_IN_TOO_EARLY"
    patient_message = N_("It is too early to confirm your arrival. "
                       "Please come back closer to your appointment time.")


class CheckInTooLate(RegistryError):  # noqa: N818 (public names)
    code = "CHECK_IN_TOO_LATE"
    patient_message = N_("It is too late to confirm your arrival for this appointment. "
                       "Please ask at the registry desk.")


class CheckInNotSupported(RegistryError):  # noqa: N818 (public names)
    """The registry has no check-in method (JSON-RPC -32601): the kiosk hides the feature."""

    code = "CHECK_IN_NOT_SUPPORTED"
    patient_message = N_("Arrival confirmation is not available here. "
                       "Please go to your appointment or ask at the registry desk.")


class AttachedElsewhere(NotAttached):
    """Known to the registry, attached to another polyclinic (the kiosk's reading of NO_ATTACHMENT)."""

    patient_message = N_("You are attached to another polyclinic: %(clinic)s. "
                         "Please book there, or ask at the registry desk here.")

    def __init__(self, clinic: str) -> None:
        super().__init__(self.code)
        self.patient_params = {"clinic": clinic}


class OtherRegionPolicy(NotAttached):
    """A policy from another region with no attachment here (the kiosk's reading of NO_ATTACHMENT)."""

    patient_message = N_("Your policy was issued in another region. To be attached in Moscow, visit the Moscow "
                         "office of your insurance company. You can book a visit at the registry desk.")


class RegistryUnavailable(KioskError):  # noqa: N818 (public names)
    """No answer, a transport failure or an HTTP error: try again later."""

    patient_message = N_("The registry is not answering right now. "
                       "Please try again in a few minutes or ask at the registry desk.")


class UnexpectedAnswer(RegistryUnavailable):
    """The registry answered something we cannot read."""


class BookingOutcomeUnknown(RegistryUnavailable):
    """A booking or a move was sent, the answer was lost, and the registry could not be asked afterwards.

    The appointment may or may not exist: the patient must not be told either way.
    """

    patient_message = N_("We could not confirm whether your appointment was made. "
                       "Please check your appointments in a few minutes or ask at the registry desk.")


class OfflineBookingRefused(RegistryUnavailable):
    """The registry is offline: a new booking or a move is not made from the cache (double-booking risk)."""

    patient_message = N_("There is no connection to the registry, so an appointment cannot be made or moved now. "
                       "Take a queue ticket to the registry desk: they will help you.")


class OfflineActionRefused(RegistryUnavailable):
    """The registry is offline and this action is switched off for offline work ([cache] in kiosk.ini)."""

    patient_message = N_("There is no connection to the registry, so this cannot be done now. "
                       "Please try again later or ask at the registry desk.")


class ActionQueued(KioskError):  # noqa: N818 (public names)
    """Not a failure: the registry is offline and the action is in the outbox, committed, to be passed on."""

    patient_message = N_("Accepted: it will be passed on to the registry as soon as the connection is back.")

    def __init__(self, action_id: int) -> None:
        super().__init__(f"queued as outbox action {action_id}")
        self.action_id = action_id


class HomeVisitExists(RegistryError):  # noqa: N818 (public names)
    code = "HOME_VISIT_EXISTS"
    patient_message = N_("A doctor is already called to your home. You can see or cancel the request in "
                         "«My appointments».")


class HomeVisitNotFound(RegistryError):  # noqa: N818 (public names)
    code = "HOME_VISIT_NOT_FOUND"
    patient_message = N_("This home visit request is no longer pending. Please ask at the registry desk.")


BUSINESS_ERRORS: dict[str, type[RegistryError]] = {
    cls.code: cls
    for cls in (PatientNotFound, InvalidParams, NotAttached, ReferralRequired, ReferralNotValid,
                SlotTaken, AppointmentExists, AppointmentNotFound, CheckInTooEarly, CheckInTooLate,
                CheckInNotSupported, HomeVisitExists, HomeVisitNotFound)
}
