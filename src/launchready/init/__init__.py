"""``launchready init``: detect the stack and write starter files that pass our own checks.

- ``detect.py``: which frameworks a repository uses (Next.js, Vite, CRA, FastAPI, Flask,
  Django, Express), from package manifests and Python requirements, at the root and one
  directory down (monorepos such as ``web/`` + ``api/``).
- ``templates.py``: the commented ``.launchready.yml``, the pre-commit hook block and the
  GitHub workflow (PR check, nightly history audit, post-deploy live checks).
- ``precommit.py``: merges the hook block into an existing ``.pre-commit-config.yaml`` at
  the text level (comments and layout kept), verified by a YAML round trip.
"""
