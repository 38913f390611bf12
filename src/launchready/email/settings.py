"""What one email check run needs, and how to read it from the config and the command line.

Config (``.launchready.yml``)::

    live:
      email:
        domain: example.com            # required for `launchready live` to run email checks
        dkim_selectors: [google, s1]   # optional: selectors you sign with
        dns_servers: ["1.1.1.1", "[2606:4700:4700::1111]:53"]   # optional, default: system
        timeout: 3                     # seconds per DNS query (default 3)
        retries: 1                     # extra rounds after a timeout (default 1)

``launchready email DOMAIN`` reads the same keys from ``live.email`` (or a top-level
``email:`` section); its flags win over the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from launchready.config import Config
from launchready.email.dns import Nameserver, parse_nameserver
from launchready.section_reader import Reader, describe

DEFAULT_TIMEOUT = 3.0
DEFAULT_RETRIES = 1
KEYS = {"domain", "dkim_selectors", "dns_servers", "timeout", "retries"}

_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_SELECTOR = re.compile(r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$")


@dataclass(frozen=True)
class EmailSettings:
    domain: str
    dkim_selectors: tuple[str, ...] = ()
    dns_servers: tuple[Nameserver, ...] = ()  # empty: the system resolver's nameservers
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    ca_bundle: str | None = None  # for the MTA-STS policy fetch (default: system trust store)
    # --resolve: (host, port) -> address, like curl; used when we build the HTTP session
    resolve: Mapping[tuple[str, int], str] = field(default_factory=dict)
    http_timeout: float = 10.0
    only: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    # RFC 8461 fixes 443; only tests and unusual lab setups change this (not on the CLI).
    mta_sts_port: int = 443

    def wants(self, prefix: str) -> bool:
        """Could any check id under ``prefix`` survive --only/--skip?"""
        if any(prefix.startswith(s) for s in self.skip):
            return False
        return not self.only or any(p.startswith(prefix) or prefix.startswith(p) for p in self.only)

    def keep(self, check_id: str) -> bool:
        if any(check_id.startswith(s) for s in self.skip):
            return False
        return not self.only or any(check_id.startswith(p) for p in self.only)


def normalize_domain(text: str) -> str:
    """Lower-case, strip the final dot, IDNA-encode; raise ValueError if it is not a name.
    The message never repeats ``text`` (it may come from a pull request's config)."""
    d = text.strip().rstrip(".").lower()
    if not d:
        raise ValueError("the domain is empty")
    if "://" in d or "/" in d or "@" in d:
        raise ValueError("not a domain name (give just the domain, e.g. example.com, not a URL or an address)")
    try:
        d = d.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError("not a valid domain name (it cannot be IDNA-encoded)") from None
    labels = d.split(".")
    if len(labels) < 2 or not all(_LABEL.match(lab) for lab in labels) or len(d) > 253:
        raise ValueError("not a valid domain name (expected something like example.com)")
    return d


def validate_selector(text: str) -> str:
    s = text.strip()
    if not _SELECTOR.match(s):
        raise ValueError("not a valid DKIM selector (letters, digits, '-', '_', '.')")
    return s


def parse_email_settings(
    section: Mapping[str, Any], config: Config, key: str = "live.email", domain: str | None = None
) -> EmailSettings:
    """Read the ``live.email`` (or ``email``) mapping with the section readers; errors name
    file:line:key.

    ``domain`` (from the command line) overrides and makes ``domain`` optional in the file.
    """
    r = Reader(config.source)
    d = r.mapping(section, key, KEYS, what="must be a mapping (domain, dkim_selectors, dns_servers, timeout, retries)")
    raw_domain = domain if domain is not None else d.get("domain")
    if not isinstance(raw_domain, str) or not raw_domain.strip():
        raise r.err(f"{key}.domain", "required: the domain you send mail from, e.g. example.com")
    try:
        dom = normalize_domain(raw_domain)
    except ValueError as exc:
        raise r.err(f"{key}.domain", str(exc)) from None
    sels = [
        _item(r, validate_selector, s, f"{key}.dkim_selectors.{i}")
        for i, s in enumerate(_one_or_list(r, d.get("dkim_selectors"), f"{key}.dkim_selectors", "selector names"))
    ]
    ns = [
        _item(r, parse_nameserver, s, f"{key}.dns_servers.{i}")
        for i, s in enumerate(
            _one_or_list(r, d.get("dns_servers"), f"{key}.dns_servers", "HOST[:PORT] (IPv6 as [::1]:53)")
        )
    ]
    timeout = d.get("timeout", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= 60:
        raise r.err(f"{key}.timeout", f"must be a number of seconds between 0 and 60{_got(timeout)}")
    retries = d.get("retries", DEFAULT_RETRIES)
    if isinstance(retries, bool) or not isinstance(retries, int) or not 0 <= retries <= 10:
        raise r.err(f"{key}.retries", f"must be a whole number between 0 and 10{_got(retries)}")
    return EmailSettings(
        domain=dom, dkim_selectors=tuple(sels), dns_servers=tuple(ns), timeout=float(timeout), retries=retries
    )


def _got(value: Any) -> str:
    """`` (got a string of 3 characters)`` for a value of the wrong kind; "" for a number out
    of range (the range says it all)."""
    return "" if isinstance(value, (int, float)) and not isinstance(value, bool) else f" (got {describe(value)})"


def _one_or_list(r: Reader, value: Any, key: str, what: str) -> list[Any]:
    """A list, or one string standing for a list of one (None: empty)."""
    if isinstance(value, str):
        return [value]
    return r.list_of(value or [], key, what=f"must be a list of {what}")


_T = TypeVar("_T")


def _item(r: Reader, parse: Callable[[str], _T], value: Any, key: str) -> _T:
    try:
        return parse(str(value))
    except ValueError as exc:
        raise r.err(key, str(exc)) from None
