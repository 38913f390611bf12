"""The GitHub Action: ``launchready action`` reads GitHub's variables and ``INPUT_*``, works out
the commits to scan from the event, runs scan/history/live, and writes annotations, the job
summary, ``$GITHUB_OUTPUT`` and the report files. See docs/action.md."""
