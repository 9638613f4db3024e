"""Reading a file named by a user with bounded effort: regular files only, at most a given size.

A path may name a FIFO (reading blocks for ever), a device such as ``/dev/zero`` (reading never ends) or a
symbolic link to one. :func:`read_regular_file` opens without blocking, refuses anything that is not a
regular file before reading a byte, and reads at most one byte more than the limit.
"""

from __future__ import annotations

import os
import stat
from typing import Any

from civicflow.i18n import _
from civicflow.messages import Message, Term

__all__ = ["FileRefused", "read_regular_file"]


class FileRefused(Exception):
    """The file cannot or may not be read; the message (a :class:`~civicflow.messages.Message`, the
    first argument) says why, without the file name."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISFIFO(mode):
        return _("a FIFO (named pipe)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("not a regular file")


def _unreadable(exc: OSError) -> FileRefused:
    # the system's reason is English; the common ones are in the catalogs, any other is shown as it is
    return FileRefused(Message(_("cannot read the file: {reason}"), reason=Term(exc.strerror or str(exc))))


def _mark_reasons(gettext: Any) -> None:  # pragma: no cover - read by the extractor only
    gettext("No such file or directory")
    gettext("Permission denied")
    gettext("Is a directory")
    gettext("Not a directory")
    gettext("File name too long")


def read_regular_file(path: str | os.PathLike[str], max_bytes: int, *, what: str = _("this file")) -> bytes:
    """The bytes of the regular file at ``path`` (symbolic links followed), at most ``max_bytes`` of them.

    Raises :class:`FileRefused` for a file that cannot be opened, is not a regular file (a FIFO, a
    device, a folder), or is larger than ``max_bytes``.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _unreadable(exc) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise FileRefused(
                Message(_("cannot read the file: it is {kind}, not a regular file"), kind=Term(_kind(mode)))
            )
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise _unreadable(exc) from None
    finally:
        os.close(fd)
    if size > max_bytes:
        raise FileRefused(
            Message(
                _("the file is larger than {size} bytes, the limit for {what}"),
                size=f"{max_bytes:,}",
                what=Term(what),
            )
        )
    return b"".join(chunks)
