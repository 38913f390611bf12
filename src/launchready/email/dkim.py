"""DKIM (RFC 6376): find the published keys and judge them.

Selectors cannot be listed from DNS, so we probe the configured ones plus the selectors
common mail providers use. Amazon SES (Easy DKIM) and Postmark use per-account tokens or
dated selectors that cannot be guessed: configure those with ``--dkim-selector`` or
``live.email.dkim_selectors``.
"""

from __future__ import annotations

import base64
import binascii
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from launchready.email.dns import Answer, DnsClient
from launchready.email.result import AreaResults, txt_line
from launchready.model import CheckResult, Severity, Status

# Selector -> who uses it. Order matters only for the report.
COMMON_SELECTORS: dict[str, str] = {
    "google": "Google Workspace",
    "selector1": "Microsoft 365",
    "selector2": "Microsoft 365",
    "s1": "SendGrid",
    "s2": "SendGrid",
    "smtpapi": "SendGrid (legacy)",
    "em": "SendGrid (link branding)",
    "k1": "Mailgun / Mailchimp",
    "k2": "Mailchimp",
    "k3": "Mailchimp",
    "mx": "Mailgun",
    "smtp": "Mailgun",
    "pic": "Mailgun",
    "pm": "Postmark",
    "resend": "Resend",
    "mandrill": "Mailchimp Transactional (Mandrill)",
    "amazonses": "Amazon SES (legacy TXT)",
    "zoho": "Zoho Mail",
    "protonmail": "Proton Mail",
    "fm1": "Fastmail",
    "default": "generic",
    "dkim": "generic",
    "mail": "generic",
    "key1": "generic",
}
MIN_BITS = 1024
GOOD_BITS = 2048
UNGUESSABLE = (
    "Amazon SES Easy DKIM publishes CNAMEs named after per-account tokens "
    "(<token>._domainkey) and Postmark uses dated selectors (e.g. 20240101pm); "
    "those cannot be guessed"
)
_TAG = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$", re.S)


# The checks this module reports (``catalogue.CheckArea``): id -> what it checks.
CHECKS = {
    "email.dkim.selectors": "a DKIM key is published under a selector in use (given or common ones)",
    "email.dkim.key": "each DKIM key parses and is at least 1024 bits (2048 recommended)",
    "email.dkim.testing": "no DKIM key left in testing mode (t=y)",
}


@dataclass
class DkimKey:
    tags: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    key_type: str = "rsa"
    bits: int | None = None
    revoked: bool = False
    testing: bool = False


def parse_tags(record: str) -> tuple[dict[str, str], list[str]]:
    tags: dict[str, str] = {}
    errors: list[str] = []
    for part in record.split(";"):
        if not part.strip():
            continue
        m = _TAG.match(part)
        if not m:
            errors.append(f"malformed tag {part.strip()!r} (expected name=value)")
            continue
        name = m.group(1).lower()
        if name in tags:
            errors.append(f"duplicate tag {name}=")
        tags[name] = m.group(2)
    return tags, errors


def looks_like_dkim(record: str) -> bool:
    tags, _ = parse_tags(record)
    return "p" in tags or tags.get("v", "").upper() == "DKIM1"


def parse_key(record: str) -> DkimKey:
    tags, errors = parse_tags(record)
    key = DkimKey(tags=tags, errors=errors)
    if "v" in tags and tags["v"] != "DKIM1":
        key.errors.append(f"v={tags['v']} (must be DKIM1)")
    if "v" in tags and not record.lstrip().lower().startswith("v"):
        key.errors.append("v= must be the first tag")
    key.key_type = tags.get("k", "rsa").lower() or "rsa"
    flags = [f.strip().lower() for f in tags.get("t", "").split(":") if f.strip()]
    key.testing = "y" in flags
    if "p" not in tags:
        key.errors.append("no p= tag (the public key)")
        return key
    p = re.sub(r"\s+", "", tags["p"])
    if not p:
        key.revoked = True
        return key
    try:
        der = base64.b64decode(p, validate=True)
    except (binascii.Error, ValueError):
        key.errors.append("p= is not valid base64")
        return key
    if key.key_type == "ed25519":
        if len(der) != 32:
            key.errors.append(f"an ed25519 key is 32 bytes; p= holds {len(der)}")
        else:
            key.bits = 256
        return key
    if key.key_type != "rsa":
        key.errors.append(f"unknown key type k={key.key_type} (rsa or ed25519)")
        return key
    key.bits = rsa_bits(der)
    if key.bits is None:
        key.errors.append("p= does not hold an RSA public key (SubjectPublicKeyInfo or RSAPublicKey)")
    return key


def rsa_bits(der: bytes) -> int | None:
    """Modulus size of a DER SubjectPublicKeyInfo (or bare PKCS#1 RSAPublicKey)."""
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import load_der_public_key

    try:
        pub = load_der_public_key(der)
    except (ValueError, TypeError):
        return None
    if not isinstance(pub, rsa.RSAPublicKey):
        return None
    return int(pub.key_size)


def _template(name: str) -> str:
    return txt_line(name, "v=DKIM1; k=rsa; p=<base64 public key from your mail provider>")


def _probe(client: DnsClient, domain: str, selectors: list[str]) -> dict[str, Answer]:
    names = {s: f"{s}._domainkey.{domain}" for s in selectors}
    with ThreadPoolExecutor(max_workers=min(8, max(1, len(selectors)))) as pool:
        answers = list(pool.map(client.txt, names.values()))
    return dict(zip(selectors, answers, strict=True))


def check_dkim(client: DnsClient, domain: str, configured: tuple[str, ...]) -> list[CheckResult]:
    c = AreaResults(domain)
    tried = list(dict.fromkeys([*configured, *COMMON_SELECTORS]))
    answers = _probe(client, domain, tried)
    found: list[str] = []
    usable: list[str] = []
    failed: list[str] = []
    for sel in tried:
        ans = answers[sel]
        name = f"{sel}._domainkey.{domain}"
        is_configured = sel in configured
        if ans.failed:
            failed.append(sel)
            if is_configured:
                c.dns_error("email.dkim.key", ans, f"the DKIM key for selector {sel!r}", target=name)
            continue
        records = [t for t in ans.texts() if looks_like_dkim(t)] if ans.ok else []
        if not records:
            if is_configured:
                why = ans.describe() if ans.void else "TXT records exist but none is a DKIM key"
                c.add(
                    "email.dkim.key",
                    Status.FAIL,
                    Severity.HIGH,
                    f"configured selector {sel!r} has no DKIM key at {name} ({why}); mail signed with it fails DKIM",
                    f"Publish the public key your provider gives you for selector {sel!r}: {_template(name)}",
                    ans.evidence(),
                    name,
                )
            continue
        found.append(sel)
        if _judge(c, name, sel, records, ans, is_configured):
            usable.append(sel)
    ev: dict[str, Any] = {"selectors_tried": tried, "found": found, "usable": usable}
    if failed:
        ev["lookup_failed"] = failed
    if usable:
        c.add(
            "email.dkim.selectors",
            Status.PASS,
            Severity.MEDIUM,
            f"DKIM key(s) published for selector(s): {', '.join(usable)}",
            "",
            ev,
        )
    elif failed and len(failed) == len(tried):
        first = answers[failed[0]]
        c.add(
            "email.dkim.selectors",
            Status.ERROR,
            Severity.MEDIUM,
            f"could not look up any DKIM selector: {first.describe()}",
            "Make sure the domain's nameservers answer; choose resolvers with --dns-server, or raise --dns-timeout.",
            {**ev, **first.evidence()},
        )
    elif failed:
        first = answers[failed[0]]
        c.add(
            "email.dkim.selectors",
            Status.ERROR,
            Severity.MEDIUM,
            f"no DKIM key found, but {len(failed)} of {len(tried)} selector lookups failed ({first.describe()}), so a key may exist",
            "Make sure the domain's nameservers answer every _domainkey name; choose resolvers with --dns-server, or raise --dns-timeout.",
            {**ev, **first.evidence()},
        )
    elif configured:
        c.add(
            "email.dkim.selectors",
            Status.FAIL,
            Severity.HIGH,
            f"none of the configured selectors ({', '.join(configured)}) has a usable DKIM key",
            f"Publish the key for each selector you sign with: {_template(f'{configured[0]}._domainkey.{domain}')}",
            ev,
        )
    else:
        c.add(
            "email.dkim.selectors",
            Status.WARN,
            Severity.MEDIUM,
            f"no DKIM key found at {len(tried)} common selectors: {', '.join(tried)}; {UNGUESSABLE}",
            "Find the selector in the DKIM-Signature header (s=) of a mail you sent, then set it with "
            "--dkim-selector S or live.email.dkim_selectors; if you do not sign yet, enable DKIM at your "
            f"provider and publish its key: {_template(f'<selector>._domainkey.{domain}')}",
            ev,
        )
    return c.finish()


def _judge(parent: AreaResults, name: str, sel: str, records: list[str], ans: Answer, configured: bool) -> bool:
    """Add the key result for one selector; True if the key can verify signatures."""
    c = AreaResults(name)
    try:
        return _judge_into(c, name, sel, records, ans, configured)
    finally:
        parent.results.extend(c.results)


def _judge_into(c: AreaResults, name: str, sel: str, records: list[str], ans: Answer, configured: bool) -> bool:
    ev: dict[str, Any] = {**ans.evidence(), "selector": sel}
    if sel in COMMON_SELECTORS:
        ev["provider_hint"] = COMMON_SELECTORS[sel]
    if len(records) > 1:
        c.add(
            "email.dkim.key",
            Status.FAIL,
            Severity.HIGH,
            f"{len(records)} DKIM key records at {name}; verifiers may pick either",
            f"Keep exactly one key record: {_template(name)}",
            {**ev, "records": len(records)},
        )
        return False
    key = parse_key(records[0])
    ev.update({"key_type": key.key_type, "bits": key.bits, "testing": key.testing, "revoked": key.revoked})
    usable = False
    if key.errors:
        c.add(
            "email.dkim.key",
            Status.FAIL,
            Severity.HIGH,
            f"the DKIM record for selector {sel!r} is invalid: {'; '.join(key.errors)}",
            f"Republish the key exactly as your provider shows it: {_template(name)}",
            {**ev, "errors": key.errors},
        )
    elif key.revoked:
        c.add(
            "email.dkim.key",
            Status.FAIL if configured else Status.WARN,
            Severity.HIGH if configured else Severity.LOW,
            f"selector {sel!r} is revoked (empty p=); mail signed with it fails DKIM",
            f"If you still sign with {sel!r}, publish its key again: {_template(name)}; otherwise remove the record",
            ev,
        )
    elif key.key_type == "ed25519":
        usable = True
        c.add(
            "email.dkim.key",
            Status.PASS,
            Severity.HIGH,
            f"selector {sel!r}: ed25519 key (not every receiver verifies ed25519 yet: sign with an RSA key too)",
            "",
            ev,
        )
    elif key.bits is not None and key.bits < MIN_BITS:
        c.add(
            "email.dkim.key",
            Status.FAIL,
            Severity.HIGH,
            f"selector {sel!r}: {key.bits}-bit RSA key; keys under {MIN_BITS} bits can be factored and receivers ignore them",
            f"Generate a 2048-bit key at your provider and publish it: {_template(name)}",
            ev,
        )
    elif key.bits is not None and key.bits < GOOD_BITS:
        usable = True
        c.add(
            "email.dkim.key",
            Status.WARN,
            Severity.MEDIUM,
            f"selector {sel!r}: {key.bits}-bit RSA key; {GOOD_BITS} bits is the current recommendation (RFC 8301)",
            f"Rotate to a 2048-bit key: {_template(name)}",
            ev,
        )
    else:
        usable = True
        c.add("email.dkim.key", Status.PASS, Severity.HIGH, f"selector {sel!r}: {key.bits}-bit RSA key", "", ev)
    if key.testing:
        c.add(
            "email.dkim.testing",
            Status.WARN,
            Severity.LOW,
            f"selector {sel!r} is in testing mode (t=y): receivers may treat DKIM failures as if the mail were unsigned",
            f"When signing works, remove t=y: {txt_line(name, _without_testing(records[0]))}",
            ev,
        )
    return usable


def _without_testing(record: str) -> str:
    parts = []
    for part in record.split(";"):
        m = _TAG.match(part)
        if m and m.group(1).lower() == "t":
            flags = [f for f in m.group(2).split(":") if f.strip().lower() != "y"]
            if flags:
                parts.append(f" t={':'.join(flags)}")
            continue
        if part.strip():
            parts.append(part)
    return ";".join(p if i == 0 else p if p.startswith(" ") else " " + p.strip() for i, p in enumerate(parts)).strip()
