"""``launchready inventory``: what the product depends on, where each secret lives in each
environment, what to rotate and what to watch. Names, places and states only: no value ever
leaves the file it was read from."""
