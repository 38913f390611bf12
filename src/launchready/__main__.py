from launchready.cli import run

run()
