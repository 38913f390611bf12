from launchready.cli import main

raise SystemExit(main())
