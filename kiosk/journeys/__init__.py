"""One small state machine per errand (DESIGN §5). Journeys never import each other: the session
kernel (kiosk.session.kernel) routes the patient between them.

- :mod:`~kiosk.journeys.identify` — who is here: the keypad (and a card read handed over by the session);
- :mod:`~kiosk.journeys.book` — specialty → doctor → day and time → confirm (also the nearest free time,
  and the doctor lists other journeys hand over: by referral, for moving an appointment);
- :mod:`~kiosk.journeys.referral` — the patient's referrals that can be booked;
- :mod:`~kiosk.journeys.visits` — the patient's appointments: ticket again, cancel, move, check-in;
- :mod:`~kiosk.journeys.walk_in` — a queue ticket to the registry desk.
"""
