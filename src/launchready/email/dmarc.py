"""DMARC (RFC 7489): the policy record at ``_dmarc.<domain>``, or at the organizational
domain (found with the Public Suffix List via ``publicsuffixlist``, which ships its own copy
of the list, so no network access is needed).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from launchready.email.dns import Answer, DnsClient
from launchready.email.result import AreaResults, txt_line
from launchready.model import CheckResult, Severity, Status

KNOWN_TAGS = {"v", "p", "sp", "np", "rua", "ruf", "adkim", "aspf", "fo", "rf", "ri", "pct", "psd", "t"}
POLICIES = ("none", "quarantine", "reject")
_TAG = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$", re.S)
_MAILTO = re.compile(r"^mailto:([^@\s!]+)@([A-Za-z0-9.-]+\.[A-Za-z]{2,})(?:![0-9]+[kmgtKMGT]?)?$", re.I)


# The checks this module reports (``catalogue.CheckArea``): id -> what it checks.
CHECKS = {
    "email.dmarc.record": "exactly one DMARC record at _dmarc.<domain>",
    "email.dmarc.syntax": "the DMARC record parses (known tags, valid values)",
    "email.dmarc.policy": "the policy quarantines or rejects (p=none only monitors)",
    "email.dmarc.rua": "aggregate reports are sent somewhere (rua=mailto:)",
    "email.dmarc.report-auth": "a report address on another domain authorises it (RFC 7489 section 7.1)",
}


@functools.lru_cache(maxsize=1)
def _psl() -> Any:
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


def organizational_domain(domain: str) -> str:
    """``mail.example.co.uk`` -> ``example.co.uk`` (Public Suffix List, RFC 7489 3.2)."""
    org = _psl().privatesuffix(domain.lower().rstrip("."))
    return str(org) if org else domain


def is_dmarc(text: str) -> bool:
    return re.match(r"^\s*v\s*=\s*DMARC1\s*(;|$)", text, re.I) is not None


def parse_dmarc(record: str) -> tuple[dict[str, str], list[str], list[str]]:
    """Return (tags, errors, notes). Errors make receivers ignore the record."""
    tags: dict[str, str] = {}
    errors: list[str] = []
    notes: list[str] = []
    parts = [p for p in record.split(";") if p.strip()]
    for i, part in enumerate(parts):
        m = _TAG.match(part)
        if not m:
            errors.append(f"malformed tag {part.strip()!r} (expected name=value)")
            continue
        name, value = m.group(1).lower(), m.group(2)
        if i == 0 and (name != "v" or value != "DMARC1"):
            errors.append("the record must start with v=DMARC1")
        if name in tags:
            errors.append(f"duplicate tag {name}=")
        if name not in KNOWN_TAGS:
            notes.append(f"unknown tag {name}= (ignored by receivers)")
        tags[name] = value
    if "p" not in tags:
        errors.append("no p= tag (the policy); receivers ignore the record unless rua= is valid")
    elif tags["p"].lower() not in POLICIES:
        errors.append(f"p={tags['p']} is not none, quarantine or reject")
    for k in ("sp", "np"):
        if k in tags and tags[k].lower() not in POLICIES:
            errors.append(f"{k}={tags[k]} is not none, quarantine or reject")
    for k in ("adkim", "aspf"):
        if k in tags and tags[k].lower() not in ("r", "s"):
            errors.append(f"{k}={tags[k]} must be r (relaxed) or s (strict)")
    if "pct" in tags and (not tags["pct"].isdigit() or not 0 <= int(tags["pct"]) <= 100):
        errors.append(f"pct={tags['pct']} must be a whole number 0-100")
    if "ri" in tags and not tags["ri"].isdigit():
        errors.append(f"ri={tags['ri']} must be a number of seconds")
    if "fo" in tags and not all(x.strip() in ("0", "1", "d", "s") for x in tags["fo"].split(":")):
        errors.append(f"fo={tags['fo']} must be 0, 1, d or s (colon-separated)")
    for k in ("rua", "ruf"):
        for uri in _uris(tags.get(k, "")):
            if not uri.lower().startswith("mailto:"):
                notes.append(f"{k}: {uri} is not a mailto: URI; most reporters only send to mailto:")
            elif not _MAILTO.match(uri):
                errors.append(f"{k}: {uri!r} is not a valid mailto: address")
    return tags, errors, notes


def _uris(value: str) -> list[str]:
    return [u.strip() for u in value.split(",") if u.strip()]


def _dest_domain(uri: str) -> str | None:
    m = _MAILTO.match(uri)
    return m.group(2).lower().rstrip(".") if m else None


def _recommended(domain: str, tags: dict[str, str] | None = None, **changes: str) -> str:
    """A record to publish: the current tags with ``changes`` applied (or a fresh one)."""
    base = {"v": "DMARC1", "p": "quarantine", "rua": f"mailto:dmarc-reports@{domain}"}
    if tags:
        base = {"v": "DMARC1", **{k: v for k, v in tags.items() if k != "v"}}
    base.update(changes)
    order = ["v", "p", "sp", "pct", "rua", "ruf"]
    keys = [k for k in order if k in base] + [k for k in base if k not in order]
    return "; ".join(f"{k}={base[k]}" for k in keys if base[k] != "")


def check_dmarc(client: DnsClient, domain: str) -> list[CheckResult]:
    c = AreaResults(domain)
    org = organizational_domain(domain)
    name = f"_dmarc.{domain}"
    ans = client.txt(name)
    fresh = txt_line(f"_dmarc.{domain}", _recommended(domain))
    if ans.failed:
        c.dns_error("email.dmarc.record", ans, "the DMARC record")
        return c.finish()
    records = [t for t in ans.texts() if is_dmarc(t)]
    lookups: list[dict[str, Any]] = [ans.evidence()]
    location = name
    if not records and org != domain:
        org_ans = client.txt(f"_dmarc.{org}")
        lookups.append(org_ans.evidence())
        if org_ans.failed:
            c.dns_error("email.dmarc.record", org_ans, "the organizational domain's DMARC record")
            return c.finish()
        records = [t for t in org_ans.texts() if is_dmarc(t)]
        if records:
            location = f"_dmarc.{org}"
    ev: dict[str, Any] = {"location": location, "records": records, "lookups": lookups, "organizational_domain": org}
    if not records:
        where = name if org == domain else f"{name} or _dmarc.{org}"
        why = ans.describe() if ans.void else "TXT records exist but none starts with v=DMARC1"
        c.add(
            "email.dmarc.record",
            Status.FAIL,
            Severity.HIGH,
            f"no DMARC record at {where} ({why}); spoofed mail from {domain} is not rejected and you get no reports",
            f"Publish a DMARC policy (start with p=none for a week or two if you are unsure every sender is aligned): {fresh}",
            ev,
        )
        return c.finish()
    if len(records) > 1:
        c.add(
            "email.dmarc.record",
            Status.FAIL,
            Severity.HIGH,
            f"{len(records)} DMARC records at {location}; receivers ignore DMARC entirely when there is more than one (RFC 7489 6.6.3)",
            f"Delete all but one: {txt_line(location, records[0])}",
            ev,
        )
        return c.finish()
    record = records[0]
    inherited = location != name
    c.add(
        "email.dmarc.record",
        Status.PASS,
        Severity.HIGH,
        f"DMARC record at {location}"
        + (f" (inherited from the organizational domain {org})" if inherited else "")
        + f": {record}",
        "",
        ev,
    )
    tags, errors, notes = parse_dmarc(record)
    policy_domain = org if inherited else domain
    if errors:
        c.add(
            "email.dmarc.syntax",
            Status.FAIL,
            Severity.HIGH,
            f"DMARC syntax error(s): {'; '.join(errors)}",
            f"Fix the record: {txt_line(location, _repair(tags, policy_domain))}",
            {"record": record, "errors": errors, "notes": notes},
        )
        return c.finish()
    c.add(
        "email.dmarc.syntax",
        Status.PASS if not notes else Status.WARN,
        Severity.LOW,
        "valid DMARC syntax" + (f" ({'; '.join(notes)})" if notes else ""),
        f"Clean up the record: {txt_line(location, _repair(tags, policy_domain))}" if notes else "",
        {"record": record, "notes": notes},
    )
    _policy(c, domain, location, tags, inherited)
    _reports(c, client, location, policy_domain, tags)
    return c.finish()


def _repair(tags: dict[str, str], domain: str) -> str:
    good = {k: v for k, v in tags.items() if k in KNOWN_TAGS and k != "v"}
    if good.get("p", "").lower() not in POLICIES:
        good["p"] = "quarantine"
    for k in ("sp", "np"):
        if k in good and good[k].lower() not in POLICIES:
            del good[k]
    for k in ("adkim", "aspf"):
        if k in good and good[k].lower() not in ("r", "s"):
            del good[k]
    if "pct" in good and not (good["pct"].isdigit() and int(good["pct"]) <= 100):
        del good["pct"]
    for k in ("rua", "ruf"):
        if k in good:
            ok = [u for u in _uris(good[k]) if _MAILTO.match(u)]
            good[k] = ",".join(ok)
    good.setdefault("rua", f"mailto:dmarc-reports@{domain}")
    return _recommended(domain, good)


def _policy(c: AreaResults, domain: str, location: str, tags: dict[str, str], inherited: bool) -> None:
    p = tags["p"].lower()
    sp = tags.get("sp", "").lower()
    applied = sp if inherited and sp else p
    pct = int(tags.get("pct", "100"))
    ev: dict[str, Any] = {
        "p": p,
        "sp": sp or None,
        "pct": pct,
        "adkim": tags.get("adkim", "r"),
        "aspf": tags.get("aspf", "r"),
        "applies_to_domain": applied,
    }
    details = [f"p={p}"]
    if sp:
        details.append(f"sp={sp}")
    if "pct" in tags:
        details.append(f"pct={pct}")
    details.append(f"adkim={ev['adkim']} ({'strict' if ev['adkim'] == 's' else 'relaxed'})")
    details.append(f"aspf={ev['aspf']} ({'strict' if ev['aspf'] == 's' else 'relaxed'})")
    summary = ", ".join(details)
    if applied == "none":
        c.add(
            "email.dmarc.policy",
            Status.WARN,
            Severity.MEDIUM,
            f"DMARC is monitoring only ({summary}): spoofed mail from {domain} is still delivered",
            f"Once reports show your senders pass, enforce: {txt_line(location, _recommended(domain, tags, p='quarantine'))}",
            ev,
        )
    elif pct < 100:
        c.add(
            "email.dmarc.policy",
            Status.WARN,
            Severity.MEDIUM,
            f"DMARC policy {applied} applies to only {pct}% of failing mail ({summary})",
            f"Raise pct to 100 (or drop it): {txt_line(location, _recommended(domain, tags, pct=''))}",
            ev,
        )
    elif p != "none" and sp == "none":
        c.add(
            "email.dmarc.policy",
            Status.WARN,
            Severity.MEDIUM,
            f"the policy is enforced for {domain} but sp=none leaves subdomains unprotected ({summary})",
            f"Enforce subdomains too: {txt_line(location, _recommended(domain, tags, sp=p))}",
            ev,
        )
    else:
        c.add(
            "email.dmarc.policy",
            Status.PASS,
            Severity.MEDIUM,
            f"DMARC policy is enforced: {applied} ({summary})",
            "",
            ev,
        )


def _reports(c: AreaResults, client: DnsClient, location: str, policy_domain: str, tags: dict[str, str]) -> None:
    rua = _uris(tags.get("rua", ""))
    if not rua:
        c.add(
            "email.dmarc.rua",
            Status.WARN,
            Severity.LOW,
            "no rua= address: you get no aggregate reports, so you cannot see who sends mail as you (or whether your own mail passes)",
            f"Add a reporting address: {txt_line(location, _recommended(policy_domain, tags, rua=f'mailto:dmarc-reports@{policy_domain}'))}",
            {"rua": []},
        )
    else:
        c.add(
            "email.dmarc.rua", Status.PASS, Severity.LOW, f"aggregate reports go to {', '.join(rua)}", "", {"rua": rua}
        )
    org = organizational_domain(policy_domain)
    external: dict[str, list[str]] = {}
    for k in ("rua", "ruf"):
        for uri in _uris(tags.get(k, "")):
            dest = _dest_domain(uri)
            if dest and organizational_domain(dest) != org:
                external.setdefault(dest, []).append(f"{k}={uri}")
    if not external:
        return
    missing: list[str] = []
    failed: list[Answer] = []
    seen: dict[str, Any] = {}
    for dest in external:
        auth_name = f"{policy_domain}._report._dmarc.{dest}"
        ans = client.txt(auth_name)
        seen[auth_name] = ans.status.value
        if ans.failed:
            failed.append(ans)
        elif not any(is_dmarc(t) for t in ans.texts()):
            missing.append(auth_name)
    ev = {"external_destinations": external, "authorization_lookups": seen}
    if missing:
        lines = "; ".join(txt_line(n, "v=DMARC1") for n in missing)
        c.add(
            "email.dmarc.report-auth",
            Status.FAIL,
            Severity.MEDIUM,
            f"external report destination(s) have not authorized reports for {policy_domain}: {', '.join(missing)} missing; reporters drop those reports (RFC 7489 7.1)",
            f"Ask the destination's owner to publish (reporting services do this when you add the domain): {lines}",
            ev,
        )
    elif failed:
        c.dns_error("email.dmarc.report-auth", failed[0], "the report authorization record", Severity.MEDIUM)
    else:
        c.add(
            "email.dmarc.report-auth",
            Status.PASS,
            Severity.MEDIUM,
            f"external report destination(s) authorized: {', '.join(external)}",
            "",
            ev,
        )
