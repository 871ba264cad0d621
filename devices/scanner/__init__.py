"""The serial 2D barcode scanner: framing of its bytes, the reader thread, the paper policy's barcode.

Knows nothing of the app (devices import neither kiosk nor kivy). See docs/architecture.md «Scanner».
"""
