"""[ticket] section: what the printed ticket says besides the appointment."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.ini_schema import setting


@dataclass(frozen=True)
class TicketConfig:
    footer: str = setting(
        "Приходите за 10 минут до приёма. Отменить запись можно в терминале или по телефону 122.",
        "text printed at the bottom of every ticket",
    )
    building: str = setting("", "building or branch printed under the clinic name (empty: none)")
    queue_prefix: str = setting("Р", "this terminal's letter before the queue numbers of walk-in tickets (Р-001); "
                                "each terminal of the polyclinic needs its own", pattern=r"[А-ЯЁA-Z]{1,2}")
