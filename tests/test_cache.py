"""The identity cache that compiled templates and checkers share: by identity, bounded, clearable."""

from __future__ import annotations

from civicflow._cache import IdentityCache


class Thing:
    """Equal to every other Thing: the cache must still tell two of them apart."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Thing)

    def __hash__(self) -> int:
        return 0


def test_made_once_per_object_and_again_after_clear() -> None:
    made: list[Thing] = []

    def make(obj: Thing) -> int:
        made.append(obj)
        return len(made)

    cache: IdentityCache[Thing, int] = IdentityCache(2, make)
    a, b = Thing(), Thing()
    assert cache(a) == 1
    assert cache(a) == 1
    assert cache(b) == 2  # equal, but another object
    cache.clear()
    assert cache(a) == 3
    assert made == [a, b, a]


def test_the_oldest_entry_goes_first() -> None:
    cache: IdentityCache[Thing, int] = IdentityCache(2, lambda obj: id(obj))
    a, b, c = Thing(), Thing(), Thing()
    cache(a)
    cache(b)
    cache(a)  # a is now the most recent
    cache(c)  # b goes
    kept = [entry[0] for entry in cache._entries.values()]
    assert kept == [a, c]
