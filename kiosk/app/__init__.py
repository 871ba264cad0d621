"""The composition root: the one part of ``kiosk`` that knows Kivy and ``screens``.

- ``kiosk.app.services``: build every service from the configuration (and start the
  embedded demo registry when ``[registry] kind = demo``);
- ``kiosk.app.launch``: prepare Kivy and run the interactive kiosk or the scripted walk-through;
- ``kiosk.app.pilot``: a :class:`screens.pilot.Pilot` on freshly built services (UI tests, walk-through).

Importing this package imports nothing: ``kiosk.cli`` reaches it lazily, so the
technician commands never load Kivy.
"""
