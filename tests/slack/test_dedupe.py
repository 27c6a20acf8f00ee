from __future__ import annotations

import threading

from assistant.slack.dedupe import RecentKeys


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_key_counts_once_within_the_ttl_and_again_after_it():
    clock = Clock()
    seen = RecentKeys(ttl=300, clock=clock)
    assert seen.first_time("Ev1") is True
    clock.now = 299
    assert seen.first_time("Ev1") is False
    assert seen.first_time("Ev2") is True
    clock.now = 300.5
    assert seen.first_time("Ev1") is True  # expired, so a new delivery
    assert len(seen) == 2  # Ev2 (299) and the new Ev1: expired entries are dropped


def test_the_cache_is_bounded_and_evicts_the_oldest():
    seen = RecentKeys(max_keys=3, clock=Clock())
    for key in ("a", "b", "c", "d"):
        assert seen.first_time(key)
    assert len(seen) == 3
    assert seen.first_time("a") is True  # evicted
    assert seen.first_time("d") is False


def test_concurrent_deliveries_of_one_event_let_exactly_one_through():
    seen = RecentKeys()
    barrier = threading.Barrier(16)
    results: list[bool] = []
    lock = threading.Lock()

    def deliver() -> None:
        barrier.wait()
        first = seen.first_time("Ev-same")
        with lock:
            results.append(first)

    threads = [threading.Thread(target=deliver) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 15 + [True]
