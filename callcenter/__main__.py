"""Allow `python -m callcenter`."""

from callcenter.cli.main import main

main()
