from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

from assistant.slack.dedupe import SeenEvents


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_key_counts_once_within_the_ttl_and_again_after_it(tmp_path: Path) -> None:
    clock = Clock()
    seen = SeenEvents(tmp_path / "events.sqlite", ttl=300, clock=clock)
    assert seen.first_time("Ev1") is True
    clock.now += 299
    assert seen.first_time("Ev1") is False
    assert seen.first_time("Ev2") is True
    clock.now += 1.5
    assert seen.first_time("Ev1") is True  # expired, so a new delivery
    assert len(seen) == 2  # Ev2 and the new Ev1: expired entries are dropped


def test_the_store_is_bounded_and_evicts_the_oldest(tmp_path: Path) -> None:
    seen = SeenEvents(tmp_path / "events.sqlite", max_keys=3, clock=Clock())
    for key in ("a", "b", "c", "d"):
        assert seen.first_time(key)
    assert len(seen) == 3
    assert seen.first_time("a") is True  # evicted
    assert seen.first_time("d") is False


def test_a_retry_reaching_another_worker_is_still_dropped(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    first_worker, second_worker = SeenEvents(path), SeenEvents(path)
    assert first_worker.first_time("Ev-retried") is True
    assert second_worker.first_time("Ev-retried") is False
    first_worker.close()
    assert SeenEvents(path).first_time("Ev-retried") is False  # and after a restart


def test_concurrent_deliveries_of_one_event_let_exactly_one_through(tmp_path: Path) -> None:
    stores = [SeenEvents(tmp_path / "events.sqlite") for _ in range(4)]
    barrier = threading.Barrier(16)
    results: list[bool] = []
    lock = threading.Lock()

    def deliver(store: SeenEvents) -> None:
        barrier.wait()
        first = store.first_time("Ev-same")
        with lock:
            results.append(first)

    threads = [threading.Thread(target=deliver, args=(stores[i % 4],)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 15 + [True]


def _deliver_in_process(path: str) -> bool:
    return SeenEvents(Path(path)).first_time("Ev-across-processes")


def test_processes_racing_on_one_event_let_exactly_one_through(tmp_path: Path) -> None:
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.map(_deliver_in_process, [str(tmp_path / "events.sqlite")] * 8)
    assert sorted(results) == [False] * 7 + [True]


def test_an_unwritable_store_lets_events_through(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the folder should be")
    seen = SeenEvents(blocked / "events.sqlite")
    assert seen.first_time("Ev1") is True and seen.first_time("Ev1") is True
