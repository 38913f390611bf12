"""Email authentication checks: SPF, DKIM, DMARC, MX, MTA-STS and TLS-RPT over real DNS."""

from __future__ import annotations

from launchready.email.checks import EmailRun, run_email, run_email_checks
from launchready.email.settings import EmailSettings, parse_email_settings

__all__ = ["EmailRun", "EmailSettings", "parse_email_settings", "run_email", "run_email_checks"]
