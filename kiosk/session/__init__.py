"""The patient's session: the kernel (:mod:`kiosk.session.kernel`) and what journeys are made of
(:mod:`kiosk.session.journey`); the journeys themselves are in :mod:`kiosk.journeys`."""
