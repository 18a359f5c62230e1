"""The collector pause: off inside, back to what it was after, however nested."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from callcenter.gc_pause import no_cycle_collection


@pytest.fixture
def collection_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_off_inside_and_on_after(collection_on: None) -> None:
    with no_cycle_collection():
        assert not gc.isenabled()
        with no_cycle_collection():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause is still on
    assert gc.isenabled()


def test_stays_off_when_it_was_off_before() -> None:
    was = gc.isenabled()
    gc.disable()
    try:
        with no_cycle_collection():
            pass
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()


def test_comes_back_when_the_last_of_several_threads_ends(collection_on: None) -> None:
    inside = threading.Barrier(2)
    first_done = threading.Event()
    seen_after_first: list[bool] = []

    def first() -> None:
        with no_cycle_collection():
            inside.wait()
        first_done.set()

    def second() -> None:
        with no_cycle_collection():
            inside.wait()
            first_done.wait()
            seen_after_first.append(gc.isenabled())

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen_after_first == [False]
    assert gc.isenabled()


def test_comes_back_after_an_error(collection_on: None) -> None:
    with pytest.raises(RuntimeError), no_cycle_collection():
        raise RuntimeError("boom")
    assert gc.isenabled()
