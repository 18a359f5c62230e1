"""Allow `python -m ui` (what `callcenter gui` runs)."""

from ui.app import main

main()
