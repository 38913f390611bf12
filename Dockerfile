# The launchready GitHub Action: a small image with git and launchready installed from this
# repository's source. GitHub builds it from action.yml (runs.using: docker).
# BASE is overridable so the image can be built without a registry (tests use a local base).
ARG BASE=python:3.12-slim
FROM ${BASE}

# PyPI through a TLS-intercepting proxy: pass its CA with --build-arg PIP_CERT=/path (mounted).
ARG PIP_CERT=""
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

# git is needed for history scans; slim Python images do not ship it.
# hadolint ignore=DL3008
RUN if ! command -v git >/dev/null 2>&1; then \
      apt-get update \
      && apt-get install -y --no-install-recommends git ca-certificates \
      && rm -rf /var/lib/apt/lists/*; \
    fi

COPY pyproject.toml README.md /opt/launchready-src/
COPY src /opt/launchready-src/src

# A virtual environment: Debian-based images refuse system-wide pip installs (PEP 668).
RUN python3 -m venv /opt/launchready \
    && /opt/launchready/bin/pip install --no-cache-dir ${PIP_CERT:+--cert "$PIP_CERT"} /opt/launchready-src \
    && rm -rf /opt/launchready-src

ENV PATH=/opt/launchready/bin:$PATH
ENTRYPOINT ["launchready", "action"]
