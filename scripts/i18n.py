"""Message catalogs: extract the messages, update the catalogs, compile them, check them.

    python scripts/i18n.py extract   # src/civicflow/locale/civicflow.pot, the template for translators
    python scripts/i18n.py update    # every catalog gets the new messages (untranslated, to fill in)
    python scripts/i18n.py compile   # the .mo files the package ships
    python scripts/i18n.py check     # exit 1 when a message is untranslated, fuzzy or a .mo is stale
    python scripts/i18n.py adopt LANG OTHER.po  # take OTHER.po's translations of messages LANG lacks

After adding or changing a message: update, translate the new entries in
src/civicflow/locale/{uk,bg,ru}/LC_MESSAGES/civicflow.po, compile, commit the .po and .mo files.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from i18n_support import LOCALE_DIR, POT, adopt, catalog_problems, compile_catalog, extract, update  # noqa: E402


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "extract":
        extract(POT)
        print(f"wrote {POT.relative_to(ROOT)}")
    elif command == "update":
        for path in update():
            print(f"updated {path.relative_to(ROOT)}")
    elif command == "compile":
        for path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
            compile_catalog(path)
            print(f"compiled {path.relative_to(ROOT)}")
    elif command == "adopt" and len(argv) == 3:
        po = LOCALE_DIR / argv[1] / "LC_MESSAGES" / "civicflow.po"
        print(f"{adopt(po, Path(argv[2]))} translations adopted into {po.relative_to(ROOT)}")
    elif command == "check":
        problems = catalog_problems()
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
