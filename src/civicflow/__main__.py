"""``python -m civicflow``: the same as the ``civicflow`` command."""

from civicflow.cli import main

raise SystemExit(main())
