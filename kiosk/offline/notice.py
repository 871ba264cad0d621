"""What a screen says when its data came from the offline cache: «Нет связи с регистратурой. Расписание на 14:05»."""

from __future__ import annotations

from kiosk.format import clock, long_date
from kiosk.i18n import _
from kiosk.offline.caching import CachingRegistry
from kiosk.registry.port import RegistryPort


def offline_note(registry: RegistryPort) -> str:
    """The translated line for the last answer when it came from the cache, else ""."""
    if not isinstance(registry, CachingRegistry) or registry.served_as_of is None:
        return ""
    as_of = registry.served_as_of
    when = clock(as_of) if as_of.date() == registry.clock.today() else f"{long_date(as_of.date())}, {clock(as_of)}"
    if registry.served_partial_list:
        return _("No connection to the registry. Appointments known to this kiosk as of %(time)s: "
                 "the list may be incomplete.") % {"time": when}
    return _("No connection to the registry. Schedule as of %(time)s.") % {"time": when}
