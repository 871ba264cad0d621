"""The technician's service mode: the PIN (scrypt, lockout) and its config; the screen comes later."""
