"""ESC/POS ticket printers: device-neutral documents, python-escpos connections, status, preview.

``factory.open_printer(cfg)`` gives a ``ports.Printer``; ``document`` defines what can be printed;
``preview`` renders ESC/POS bytes to a picture; ``emulator`` is a fake printer on a pty or TCP port.
This package never imports ``kiosk`` or ``kivy``.
"""
