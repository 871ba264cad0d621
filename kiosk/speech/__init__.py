"""Speech for patients who cannot read the screen: an offline engine (espeak-ng) run off the UI thread,
what may be said (policy numbers and birth dates never in full), and whether headphones are plugged in.

Plain Python: the screens decide what a screen says (``screens.speech``); this package says it.
"""
