"""All coordinators of a kiosk in one place: start and stop them together, read them together.

    board = HealthBoard([registry_health(...), printer_health(...), card_reader_health(clock)])
    board.subscribe(lambda _health: post(lambda: welcome.show_notices(board.notices())))
    board.start()
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from kiosk.health.coordinator import HealthCoordinator, Listener
from kiosk.health.notices import patient_notices
from kiosk.health.state import Health


class HealthBoard:
    def __init__(self, coordinators: Iterable[HealthCoordinator]) -> None:
        self._coordinators = {coordinator.name: coordinator for coordinator in coordinators}

    def __getitem__(self, name: str) -> HealthCoordinator:
        return self._coordinators[name]

    def __contains__(self, name: object) -> bool:
        return name in self._coordinators

    def snapshot(self) -> tuple[Health, ...]:
        """Every device's current Health (the service screen, metrics)."""
        return tuple(coordinator.current for coordinator in self._coordinators.values())

    def notices(self) -> tuple[str, ...]:
        """The patient's start-screen notices (msgids) for the current health."""
        return patient_notices(self.snapshot())

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """``listener(health)`` on any device's change (on that coordinator's thread; no replay)."""
        unsubscribers = [c.subscribe(listener, replay=False) for c in self._coordinators.values()]

        def unsubscribe() -> None:
            for each in unsubscribers:
                each()

        return unsubscribe

    def start(self) -> HealthBoard:
        for coordinator in self._coordinators.values():
            coordinator.start()
        return self

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop every coordinator (each waits at most ``timeout`` s); True when every thread has ended."""
        results = [coordinator.stop(timeout) for coordinator in self._coordinators.values()]
        return all(results)
