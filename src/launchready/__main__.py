from launchready.entry import run

run()
