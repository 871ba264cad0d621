"""Health coordinators (DESIGN §3): who owns "is the registry, the printer, the card reader there?".

Plain Python, no Kivy. Modules: ``state`` (the Health value), ``coordinator`` (polling thread,
push reports, hysteresis, listeners), ``registry_probe``, ``printer_probe``, ``card_reader``
(the monitor's push feed), ``notices`` (what the start screen tells a patient), ``config``
(the [health] section), ``factory`` (coordinators from kiosk.ini), ``board`` (all of them together).

Import from the modules themselves (``from kiosk.health.board import HealthBoard``): this package
imports nothing, so ``kiosk.config`` reading the [health] section costs no more than that section.
"""

