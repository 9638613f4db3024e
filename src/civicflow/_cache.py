"""What is made once from an object and shared while the object is in use, keyed by its identity."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["IdentityCache"]

K = TypeVar("K")
V = TypeVar("V")


class IdentityCache(Generic[K, V]):
    """``make(obj)`` for the ``size`` objects most recently asked about, by identity (``id``), safe
    across threads. An entry keeps its object alive, so its id cannot be reused while it is cached; two
    equal objects are two entries (a template copied with other stages is compiled on its own)."""

    def __init__(self, size: int, make: Callable[[K], V]) -> None:
        self.size = size
        self._make = make
        self._entries: OrderedDict[int, tuple[K, V]] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, obj: K) -> V:
        key = id(obj)
        with self._lock:
            found = self._entries.get(key)
            if found is not None and found[0] is obj:
                self._entries.move_to_end(key)
                return found[1]
        value = self._make(obj)  # outside the lock: making may take a while, and may ask another cache
        with self._lock:
            self._entries[key] = (obj, value)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every entry (a benchmark measures the first making again)."""
        with self._lock:
            self._entries.clear()
