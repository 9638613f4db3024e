"""Where the bundled templates are: inside the installed package, or in the source checkout.

A wheel carries ``process_templates/`` as ``civicflow/process_templates`` (pyproject's force-include), so
an installed civicflow finds them with :mod:`importlib.resources`. An editable install or a bare source
tree has no such folder in the package; there the repository's own ``process_templates/`` is used.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from civicflow._suggest import closest
from civicflow.errors import TemplateNotFoundError
from civicflow.i18n import _
from civicflow.messages import Message, Param, Term

__all__ = ["SUFFIXES", "bundled_dir", "bundled_ids", "find_template"]

SUFFIXES = (".yaml", ".yml")


def bundled_dir() -> Path | None:
    """The folder of bundled templates, or None when there is none."""
    packaged = resources.files("civicflow") / "process_templates"
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3]  # src/civicflow/loader/_bundled.py -> repository
    folder = checkout / "process_templates"
    if folder.is_dir() and (checkout / "pyproject.toml").is_file():
        return folder
    return None


def _bundled_files() -> dict[str, Path]:
    folder = bundled_dir()
    if folder is None:
        return {}
    files: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix in SUFFIXES and path.is_file() and not path.name.startswith((".", "_")):
            files.setdefault(path.stem, path)
    return files


def bundled_ids() -> list[str]:
    """The ids of the bundled templates, sorted."""
    return sorted(_bundled_files())


def find_template(id_or_path: str | os.PathLike[str]) -> Path:
    """The file of a template given as a path or as the id of a bundled template.

    An existing path wins over a bundled id of the same name. Raises :class:`TemplateNotFoundError`
    that lists the bundled ids and the closest matches.
    """
    text = os.fspath(id_or_path)
    path = Path(text)
    if path.is_dir():
        raise TemplateNotFoundError(Message(_("{path}: is a directory, not a template file"), path=text))
    if path.exists():  # a FIFO or a device too: reading it says why it is refused
        return path
    files = _bundled_files()
    if text in files:
        return files[text]
    ids = sorted(files)
    stem = path.stem if path.suffix in SUFFIXES else path.name
    close = closest(stem, ids, cutoff=0.5)
    known: Param = ", ".join(ids) if ids else Term(_("(none found)"))
    if close:
        message = _(
            "{path}: no such file and no bundled template with that id; did you mean {close}? "
            "bundled templates: {known}"
        )
    else:
        message = _("{path}: no such file and no bundled template with that id; bundled templates: {known}")
    raise TemplateNotFoundError(Message(message, path=text, close=", ".join(close), known=known))
