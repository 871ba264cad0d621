"""``kiosk doctor``: every check a technician needs, one line each (see :mod:`kiosk.doctor.checks`)."""
