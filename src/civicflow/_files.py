"""Reading a file named by a user with bounded effort: regular files only, at most a given size.

A path may name a FIFO (reading blocks for ever), a device such as ``/dev/zero`` (reading never ends) or a
symbolic link to one. :func:`read_regular_file` opens without blocking, refuses anything that is not a
regular file before reading a byte, and reads at most one byte more than the limit.
"""

from __future__ import annotations

import os
import stat

__all__ = ["FileRefused", "read_regular_file"]


class FileRefused(Exception):
    """The file cannot or may not be read; the message says why (without the file name)."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular_file(path: str | os.PathLike[str], max_bytes: int, *, what: str = "this file") -> bytes:
    """The bytes of the regular file at ``path`` (symbolic links followed), at most ``max_bytes`` of them.

    Raises :class:`FileRefused` for a file that cannot be opened, is not a regular file (a FIFO, a
    device, a folder), or is larger than ``max_bytes``.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise FileRefused(f"cannot read the file: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise FileRefused(f"cannot read the file: it is {_kind(mode)}, not a regular file")
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise FileRefused(f"cannot read the file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if size > max_bytes:
        raise FileRefused(f"the file is larger than {max_bytes:,} bytes, the limit for {what}")
    return b"".join(chunks)
