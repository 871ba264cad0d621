"""The cache freshness and outbox judgement shared by doctor, metrics and the service screen, at its edges:
the bounds are twice the interval plus backoff_max, nothing good ever is "never", any age is one verdict."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiosk.offline.config import CacheConfig
from kiosk.offline_watch import FRESH, LATE, NEVER, STALE, CacheReading, freshness, freshness_line, late_after

CFG = CacheConfig()  # shipped: full 3600 s, partial 300 s, backoff_max 900 s
FULL_LATE = late_after(CFG.full_interval, CFG)  # 8100
PARTIAL_LATE = late_after(CFG.partial_interval, CFG)  # 1500


def reading(full: float | None, partial: float | None, error: str = "") -> CacheReading:
    return CacheReading(full_age_s=full, partial_age_s=partial, full_error=error, partial_error="",
                        outbox={}, oldest_waiting_s=None, registry_state=None)


def test_the_bounds() -> None:
    assert (FULL_LATE, PARTIAL_LATE) == (8100, 1500)
    assert freshness(reading(None, None), CFG) == NEVER
    assert freshness(reading(FULL_LATE, None), CFG) == FRESH
    assert freshness(reading(FULL_LATE + 1, None), CFG) == STALE
    assert freshness(reading(FULL_LATE + 1, 60), CFG) == LATE  # partials keep the schedules fresh
    assert freshness(reading(60, PARTIAL_LATE + 1), CFG) == LATE
    assert freshness(reading(None, 60), CFG) == LATE  # never a full one
    assert freshness_line(reading(None, None), CFG) == "never synchronised"
    assert freshness_line(reading(7200, None, "RegistryUnavailable: down"), CFG).endswith(
        "last attempt failed: RegistryUnavailable: down")


@given(st.one_of(st.none(), st.floats(0, 1e7)), st.one_of(st.none(), st.floats(0, 1e7)))
def test_any_ages_get_one_verdict_and_a_line(full: float | None, partial: float | None) -> None:
    verdict = freshness(reading(full, partial), CFG)
    assert verdict in (FRESH, LATE, STALE, NEVER)
    assert (verdict == NEVER) is (full is None and partial is None)
    if verdict == FRESH:
        assert full is not None and full <= FULL_LATE
    assert freshness_line(reading(full, partial), CFG)
