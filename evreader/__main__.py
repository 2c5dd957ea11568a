"""Allow `python -m evreader`."""

from evreader.cli.main import main

raise SystemExit(main())
