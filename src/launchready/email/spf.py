"""SPF (RFC 7208): one record, valid syntax, a strict ``all``, and within the lookup limits.

The walk is static, like checkdmarc's: every DNS-querying term (``include``, ``a``, ``mx``,
``ptr``, ``exists`` and the ``redirect`` modifier) counts once against the limit of 10,
nested includes included; a term whose lookup returns NXDOMAIN or NODATA counts against the
void-lookup limit of 2 (RFC 7208 section 4.6.4). Terms after ``all`` are never evaluated by
receivers, so they are not counted either (``redirect`` is ignored when ``all`` is present).
"""

from __future__ import annotations

import ipaddress
import math
import re
from dataclasses import dataclass, field
from typing import Any

from launchready.email.dns import Answer, DnsClient
from launchready.email.result import AreaResults, txt_line
from launchready.model import CheckResult, Severity, Status

LOOKUP_LIMIT = 10
VOID_LIMIT = 2
MX_HOST_LIMIT = 10
MAX_DEPTH = 12
# Queries one SPF evaluation may send (a and exists send two); the walk stops at the RFC 7208
# limits first, this bounds it whatever the zone (a fan-out zone once made 123k queries).
MAX_QUERIES = 2 * LOOKUP_LIMIT + 4
UDP_LIMIT = 512
MECHANISMS = ("all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists")
DNS_TERMS = ("include", "a", "mx", "ptr", "exists", "redirect")

_MODIFIER = re.compile(r"^([A-Za-z][A-Za-z0-9._-]*)=(.*)$")
_MECHANISM = re.compile(r"^([+\-~?]?)([A-Za-z][A-Za-z0-9]*)(.*)$")
_MACRO = re.compile(r"%(\{[slodiphcrtvSLODIPHCRTV][0-9]*[rR]?[.\-+,/_=]*\}|%|_|-)")
_DUAL_CIDR = re.compile(r"^(?:/([0-9]{1,3}))?(?://([0-9]{1,3}))?$")
_LABEL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$")
_TOPLABEL = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
QUALIFIER_NAMES = {"+": "pass", "-": "fail", "~": "softfail", "?": "neutral"}


# The checks this module reports (``catalogue.CheckArea``): id -> what it checks.
CHECKS = {
    "email.spf.record": "exactly one SPF record (v=spf1) on the sending domain",
    "email.spf.syntax": "the SPF record parses (RFC 7208 terms, qualifiers, macros)",
    "email.spf.all": "the record ends in a strict all (-all or ~all), not +all, ?all or none",
    "email.spf.lookups": "at most 10 DNS-querying terms, nested includes included",
    "email.spf.void-lookups": "at most 2 terms whose lookup finds nothing",
    "email.spf.includes": "every include resolves to an SPF record",
    "email.spf.include-loop": "no include chain that loops back on itself",
    "email.spf.ptr": "no ptr mechanism (slow, unreliable, deprecated)",
    "email.spf.size": "the record fits one DNS answer (512-byte UDP limit)",
}


@dataclass(frozen=True)
class Term:
    raw: str
    kind: str  # "mechanism" or "modifier"
    name: str  # lower case
    qualifier: str = ""  # "+", "-", "~", "?" for mechanisms
    value: str = ""  # domain-spec, network or modifier value

    @property
    def has_macro(self) -> bool:
        return "%" in self.value


@dataclass
class ParsedSpf:
    terms: list[Term] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def all_term(self) -> Term | None:
        return next((t for t in self.terms if t.kind == "mechanism" and t.name == "all"), None)

    def evaluated(self) -> list[Term]:
        """Mechanisms up to and including ``all`` (receivers never get past it)."""
        out = []
        for t in self.terms:
            if t.kind != "mechanism":
                continue
            out.append(t)
            if t.name == "all":
                break
        return out

    def modifier(self, name: str) -> Term | None:
        return next((t for t in self.terms if t.kind == "modifier" and t.name == name), None)


def is_spf(text: str) -> bool:
    low = text.lower()
    return low == "v=spf1" or low.startswith("v=spf1 ")


def _domain_spec_error(value: str, *, exp: bool = False) -> str | None:
    if not value:
        return "empty domain"
    rest = _MACRO.sub("", value)
    if "%" in rest:
        return f"bad macro in {value!r} (use %{{d}}, %{{i}}, %% ...)"
    for m in _MACRO.finditer(value):
        letter = m.group(1)[1:2].lower() if m.group(1).startswith("{") else ""
        if letter in ("c", "r", "t") and not exp:
            return f"macro %{{{letter}}} is only allowed in exp= (RFC 7208 7.2): {value!r}"
    if any(ord(ch) < 0x21 or ord(ch) > 0x7E for ch in value):
        return f"invalid characters in {value!r}"
    if "%" in value:
        return None  # cannot check the expanded name statically
    name = value[:-1] if value.endswith(".") else value
    labels = name.split(".")
    if len(labels) < 2:
        return f"{value!r} is not a fully qualified domain name"
    if not all(_LABEL.match(lab) for lab in labels[:-1]) or not _TOPLABEL.match(labels[-1]):
        return f"{value!r} is not a valid domain name"
    return None


def parse_spf(record: str) -> ParsedSpf:
    """Parse and validate every term; errors are RFC 7208 permerrors."""
    out = ParsedSpf()
    tokens = record.split(" ")
    if not tokens or tokens[0].lower() != "v=spf1":
        out.errors.append("the record must start with 'v=spf1'")
        return out
    if "\t" in record or any(ch in record for ch in "\r\n"):
        out.errors.append("terms must be separated by spaces (tabs or newlines found)")
    seen_mods: set[str] = set()
    after_all = False
    for tok in tokens[1:]:
        if not tok:
            continue
        mod = _MODIFIER.match(tok)
        if mod:
            name, value = mod.group(1).lower(), mod.group(2)
            out.terms.append(Term(tok, "modifier", name, "", value))
            if name in ("redirect", "exp"):
                if name in seen_mods:
                    out.errors.append(f"{name}= may appear only once")
                seen_mods.add(name)
                err = _domain_spec_error(value, exp=False)
                if err:
                    out.errors.append(f"{tok}: {err}")
            elif "%" in _MACRO.sub("", value):
                out.errors.append(f"{tok}: bad macro in the modifier value")
            else:
                out.notes.append(f"unknown modifier {name}= (ignored by receivers)")
            continue
        mech = _MECHANISM.match(tok)
        if not mech:
            out.errors.append(f"{tok!r} is not a valid mechanism or modifier")
            continue
        qual, name, rest = mech.group(1) or "+", mech.group(2).lower(), mech.group(3)
        if name not in MECHANISMS:
            out.errors.append(f"unknown mechanism {tok!r} (valid: {', '.join(MECHANISMS)})")
            continue
        if after_all:
            out.notes.append(f"{tok} comes after 'all' and is never evaluated")
        err, value = _check_mechanism(name, rest)
        if err:
            out.errors.append(f"{tok}: {err}")
        out.terms.append(Term(tok, "mechanism", name, qual, value))
        if name == "all":
            after_all = True
    if sum(1 for t in out.terms if t.kind == "mechanism" and t.name == "all") > 1:
        out.errors.append("more than one 'all' mechanism")
    return out


def _check_mechanism(name: str, rest: str) -> tuple[str | None, str]:
    if name == "all":
        return ("'all' takes no value" if rest else None), ""
    if name in ("include", "exists"):
        if not rest.startswith(":"):
            return f"{name} needs ':domain'", ""
        return _domain_spec_error(rest[1:]), rest[1:]
    if name == "ptr":
        if not rest:
            return None, ""
        if not rest.startswith(":"):
            return "ptr takes ':domain' and no prefix length", ""
        return _domain_spec_error(rest[1:]), rest[1:]
    if name in ("a", "mx"):
        domain, cidr = rest, ""
        slash = rest.find("/")
        if slash >= 0:
            domain, cidr = rest[:slash], rest[slash:]
        if domain and not domain.startswith(":"):
            return f"expected ':domain' or '/prefix' after {name}", ""
        m = _DUAL_CIDR.match(cidr)
        if not m:
            return f"bad prefix length {cidr!r}", domain[1:]
        if (m.group(1) and int(m.group(1)) > 32) or (m.group(2) and int(m.group(2)) > 128):
            return f"prefix length out of range in {cidr!r}", domain[1:]
        if domain:
            return _domain_spec_error(domain[1:]), domain[1:]
        return None, ""
    # ip4 / ip6
    if not rest.startswith(":"):
        return f"{name} needs ':address'", ""
    value = rest[1:]
    addr, _, prefix = value.partition("/")
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return f"{addr!r} is not an IP address", value
    if (name == "ip4") != (ip.version == 4):
        return f"{addr!r} is not an IPv{name[-1]} address", value
    if prefix:
        limit = 32 if name == "ip4" else 128
        if not prefix.isdigit() or int(prefix) > limit or (len(prefix) > 1 and prefix[0] == "0"):
            return f"bad prefix length /{prefix} (0-{limit})", value
    return None, value


@dataclass
class Walk:
    """What a receiver would have to do to evaluate the record, counted statically."""

    lookups: int = 0
    void: list[str] = field(default_factory=list)
    loops: list[str] = field(default_factory=list)
    permerrors: list[str] = field(default_factory=list)
    failures: list[Answer] = field(default_factory=list)
    ptr: list[str] = field(default_factory=list)
    macros: list[str] = field(default_factory=list)
    tree: list[dict[str, Any]] = field(default_factory=list)
    truncated: bool = False
    queries: int = 0
    stopped: str = ""  # why the walk stopped early (a limit receivers stop at too)

    def exhausted(self) -> bool:
        """Past a limit where receivers return permerror: ask nothing more."""
        if not self.stopped:
            if self.lookups > LOOKUP_LIMIT:
                self.stopped = f"more than {LOOKUP_LIMIT} DNS lookups"
            elif len(self.void) > VOID_LIMIT:
                self.stopped = f"more than {VOID_LIMIT} void lookups"
            elif self.queries >= MAX_QUERIES:
                self.stopped = f"{MAX_QUERIES} DNS queries"
        return bool(self.stopped)


def _spf_records(answer: Answer) -> list[str]:
    return [t for t in answer.texts() if is_spf(t)]


def _walk(client: DnsClient, domain: str, parsed: ParsedSpf, path: list[str], w: Walk) -> str | None:
    """Count lookups below ``domain``; return the effective ``all`` qualifier (None if none)."""
    terms: list[str] = []
    here: dict[str, Any] = {"domain": domain, "depth": len(path) - 1, "lookups": 0, "terms": terms}
    w.tree.append(here)
    if len(path) > MAX_DEPTH:
        w.permerrors.append(f"{domain}: nesting deeper than {MAX_DEPTH} levels")
        return None

    def count(term: str) -> None:
        w.lookups += 1
        here["lookups"] = len(terms) + 1
        terms.append(term)

    def void(ans: Answer, term: str) -> None:
        w.void.append(f"{term} ({ans.name} {ans.rdtype}: {ans.status.value})")

    for t in parsed.evaluated():
        if t.name not in DNS_TERMS:
            continue
        count(t.raw)
        if w.exhausted():
            continue  # counted (receivers would stop here with permerror), not resolved
        if t.name == "ptr":
            w.ptr.append(f"{domain}: {t.raw}")
            continue
        if t.has_macro:
            w.macros.append(f"{domain}: {t.raw}")
            continue
        if t.name in ("include", "exists") and not t.value:
            continue  # a syntax error, reported by email.spf.syntax
        if t.value and _domain_spec_error(t.value) is not None:
            continue  # not a valid name (a..b.test, a 64-character label): email.spf.syntax says so
        target = (t.value or domain).lower().rstrip(".")
        if t.name == "include":
            _descend(client, target, f"include:{target}", path, w, void)
        elif t.name == "a":
            w.queries += 2
            a, aaaa = client.query(target, "A"), client.query(target, "AAAA")
            bad = [x for x in (a, aaaa) if x.failed]
            if bad:
                w.failures.extend(bad)
            elif a.void and aaaa.void:
                void(a, t.raw)
        elif t.name == "mx":
            w.queries += 1
            mx = client.query(target, "MX")
            if mx.failed:
                w.failures.append(mx)
            elif mx.void:
                void(mx, t.raw)
            elif len(mx.records) > MX_HOST_LIMIT:
                w.permerrors.append(f"{domain}: {t.raw} returns {len(mx.records)} MX hosts (limit {MX_HOST_LIMIT})")
        elif t.name == "exists":
            w.queries += 1
            a = client.query(target, "A")
            if a.failed:
                w.failures.append(a)
            elif a.void:
                void(a, t.raw)
    all_term = parsed.all_term
    redirect = parsed.modifier("redirect")
    if all_term is not None:
        return all_term.qualifier
    if redirect is None:
        return None
    count(redirect.raw)
    if redirect.has_macro:
        w.macros.append(f"{domain}: {redirect.raw}")
        return None
    if w.exhausted() or _domain_spec_error(redirect.value) is not None:
        return None
    target = redirect.value.lower().rstrip(".")
    return _descend(client, target, f"redirect={target}", path, w, void)


def _descend(client: DnsClient, target: str, label: str, path: list[str], w: Walk, void: Any) -> str | None:
    if target in path:
        w.loops.append(" -> ".join([*path, target]))
        return None
    if w.exhausted():
        return None
    w.queries += 1
    ans = client.txt(target)
    w.truncated = w.truncated or ans.truncated
    if ans.failed:
        w.failures.append(ans)
        return None
    if ans.void:
        void(ans, label)
        w.permerrors.append(f"{label}: {ans.describe()}, so there is no SPF record there (permerror)")
        return None
    records = _spf_records(ans)
    if not records:
        w.permerrors.append(f"{label}: TXT records exist but none is an SPF record (permerror)")
        return None
    if len(records) > 1:
        w.permerrors.append(f"{label}: {len(records)} SPF records (permerror)")
        return None
    child = parse_spf(records[0])
    for e in child.errors:
        w.permerrors.append(f"{label}: {e}")
    return _walk(client, target, child, [*path, target], w)


def _txt_wire_size(domain: str, texts: list[str]) -> int:
    question = 12 + len(domain) + 2 + 4
    rrs = 0
    for t in texts:
        n = len(t.encode())
        rrs += 2 + 10 + n + max(1, math.ceil(n / 255))
    return question + rrs


def _with_all(record: str, qualifier: str) -> str:
    parsed = parse_spf(record)
    kept = [
        t.raw
        for t in parsed.terms
        if not (t.kind == "mechanism" and t.name == "all") and not (t.kind == "modifier" and t.name == "redirect")
    ]
    return " ".join(["v=spf1", *kept, f"{qualifier}all"])


def check_spf(client: DnsClient, domain: str) -> list[CheckResult]:
    c = AreaResults(domain)
    ans = client.txt(domain)
    if ans.failed:
        c.dns_error("email.spf.record", ans, "the SPF record")
        return c.finish()
    records = _spf_records(ans)
    template = txt_line(domain, "v=spf1 mx include:<your mail provider's SPF domain> -all")
    ev: dict[str, Any] = {**ans.evidence(), "records": records}
    if not records:
        why = ans.describe() if ans.void else f"{len(ans.texts())} TXT record(s), none starts with v=spf1"
        c.add(
            "email.spf.record",
            Status.FAIL,
            Severity.HIGH,
            f"no SPF record at {domain} ({why}); receivers cannot tell which servers may send as you",
            f"Publish one SPF TXT record listing every service that sends mail as {domain}: {template}",
            ev,
        )
        return c.finish()
    if len(records) > 1:
        merged = _merge(records)
        c.add(
            "email.spf.record",
            Status.FAIL,
            Severity.HIGH,
            f"{len(records)} SPF records at {domain}; receivers treat that as a permanent error (RFC 7208 3.2) and SPF fails for all mail",
            f"Merge them into one record and delete the others: {txt_line(domain, merged)}",
            ev,
        )
        return c.finish()
    record = records[0]
    c.add("email.spf.record", Status.PASS, Severity.HIGH, f"one SPF record: {record}", "", ev)
    parsed = parse_spf(record)
    strict = txt_line(domain, _with_all(record, "-"))

    if parsed.errors:
        fixed = " ".join(["v=spf1", *[t.raw for t in parsed.terms if not _term_bad(t)]])
        c.add(
            "email.spf.syntax",
            Status.FAIL,
            Severity.HIGH,
            f"SPF syntax error(s): {'; '.join(parsed.errors)}; receivers return permerror and SPF fails",
            f"Fix or remove the broken terms and publish: {txt_line(domain, fixed)}",
            {"record": record, "errors": parsed.errors, "notes": parsed.notes},
        )
    else:
        note = f" ({'; '.join(parsed.notes)})" if parsed.notes else ""
        c.add(
            "email.spf.syntax",
            Status.PASS if not parsed.notes else Status.WARN,
            Severity.LOW,
            f"every term is valid{note}",
            f"Remove the terms that are ignored: {strict}" if parsed.notes else "",
            {"record": record, "notes": parsed.notes},
        )

    w = Walk(truncated=ans.truncated)
    effective = _walk(client, domain, parsed, [domain], w)
    _all_result(c, domain, parsed, effective, record, strict)

    ev_walk: dict[str, Any] = {"lookups": w.lookups, "limit": LOOKUP_LIMIT, "tree": w.tree}
    if w.macros:
        ev_walk["macro_terms"] = w.macros
    if w.failures:
        first = w.failures[0]
        c.add(
            "email.spf.lookups",
            Status.ERROR,
            Severity.HIGH,
            f"could not resolve every term of the SPF record: {first.name} {first.rdtype}: {first.describe()}",
            f"Make sure every domain in the record resolves, then re-run; the record is {strict}",
            {**ev_walk, "failures": [f.evidence() for f in w.failures]},
        )
    elif w.lookups > LOOKUP_LIMIT or (w.stopped and "void" not in w.stopped):
        costs = ", ".join(f"{n['domain']}={n['lookups']}" for n in w.tree if n["lookups"])
        takes = f"at least {w.lookups}" if w.stopped else str(w.lookups)
        stop = f" (evaluation stopped after {w.stopped}, as receivers stop)" if w.stopped else ""
        ev_walk["stopped"] = w.stopped
        c.add(
            "email.spf.lookups",
            Status.FAIL,
            Severity.HIGH,
            f"evaluating the SPF record takes {takes} DNS lookups (limit {LOOKUP_LIMIT}, RFC 7208 4.6.4){stop}; receivers return permerror and SPF fails",
            "Drop includes for services you no longer use and replace a/mx with ip4:/ip6: ranges "
            f"(lookups per record: {costs}), then publish a record with at most {LOOKUP_LIMIT}, e.g. "
            + txt_line(domain, "v=spf1 ip4:<your server range> include:<main provider> -all"),
            ev_walk,
        )
    else:
        c.add(
            "email.spf.lookups", Status.PASS, Severity.HIGH, f"{w.lookups} of {LOOKUP_LIMIT} DNS lookups", "", ev_walk
        )

    if len(w.void) > VOID_LIMIT:
        c.add(
            "email.spf.void-lookups",
            Status.FAIL,
            Severity.HIGH,
            f"{len(w.void)} void DNS lookups (limit {VOID_LIMIT}, RFC 7208 4.6.4): {'; '.join(w.void)}; receivers may return permerror",
            f"Remove the terms that point at names without records and publish: {txt_line(domain, _without_void(record, w))}",
            {"void_lookups": w.void, "limit": VOID_LIMIT},
        )
    else:
        c.add(
            "email.spf.void-lookups",
            Status.PASS,
            Severity.MEDIUM,
            f"{len(w.void)} of {VOID_LIMIT} void DNS lookups",
            "",
            {"void_lookups": w.void, "limit": VOID_LIMIT},
        )

    if w.loops:
        c.add(
            "email.spf.include-loop",
            Status.FAIL,
            Severity.HIGH,
            f"include/redirect loop: {'; '.join(w.loops)}; receivers return permerror",
            f"Remove the include that points back up the chain; publish: {strict}",
            {"loops": w.loops},
        )
    else:
        c.add("email.spf.include-loop", Status.PASS, Severity.HIGH, "no include or redirect loop")

    if w.permerrors:
        c.add(
            "email.spf.includes",
            Status.FAIL,
            Severity.HIGH,
            f"included or redirected records are broken: {'; '.join(w.permerrors)}",
            f"Fix or remove those includes (the provider's SPF domain may have changed); publish: {strict}",
            {"problems": w.permerrors},
        )
    elif any(n["depth"] > 0 for n in w.tree):
        c.add(
            "email.spf.includes",
            Status.PASS,
            Severity.HIGH,
            f"{sum(1 for n in w.tree if n['depth'] > 0)} included record(s) resolve and parse",
        )

    if w.ptr:
        c.add(
            "email.spf.ptr",
            Status.WARN,
            Severity.LOW,
            f"the ptr mechanism is deprecated (RFC 7208 5.5) and slow; some receivers skip it: {'; '.join(w.ptr)}",
            "Replace ptr with ip4:/ip6: ranges or an include; publish: "
            + txt_line(domain, " ".join(t.raw for t in parsed.terms if t.name != "ptr")),
            {"ptr": w.ptr},
        )
    else:
        c.add("email.spf.ptr", Status.PASS, Severity.LOW, "no deprecated ptr mechanism")

    texts = ans.texts()
    size = _txt_wire_size(domain, texts)
    ev_size = {
        "record_length": len(record),
        "txt_records": len(texts),
        "estimated_response_bytes": size,
        "truncated_over_udp": ans.truncated,
    }
    if size > UDP_LIMIT or ans.truncated:
        c.add(
            "email.spf.size",
            Status.WARN,
            Severity.LOW,
            f"the TXT answer for {domain} is about {size} bytes (SPF record {len(record)} chars, {len(texts)} TXT record(s)); over {UDP_LIMIT} bytes a plain UDP answer is truncated and receivers must retry over TCP, which some networks block",
            f"Shorten the record (fewer, broader ranges; drop unused includes) and remove stale TXT verification records at {domain}; keep the SPF record like {strict}",
            ev_size,
        )
    else:
        c.add(
            "email.spf.size",
            Status.PASS,
            Severity.LOW,
            f"the TXT answer is about {size} bytes (fits in {UDP_LIMIT})",
            "",
            ev_size,
        )
    return c.finish()


def _term_bad(t: Term) -> bool:
    return bool(parse_spf(f"v=spf1 {t.raw}").errors)


def _without_void(record: str, w: Walk) -> str:
    bad = {v.split(" (", 1)[0] for v in w.void}
    return " ".join(
        tok for tok in record.split(" ") if tok and tok not in bad and f"include:{tok.split(':', 1)[-1]}" not in bad
    )


def _merge(records: list[str]) -> str:
    terms: list[str] = []
    alls: list[str] = []
    for r in records:
        for t in parse_spf(r).terms:
            if t.kind == "mechanism" and t.name == "all":
                alls.append(t.qualifier)
            elif t.raw not in terms:
                terms.append(t.raw)
    strictest = "-" if "-" in alls or not alls else "~"
    return " ".join(["v=spf1", *terms, f"{strictest}all"])


def _all_result(
    c: AreaResults, domain: str, parsed: ParsedSpf, effective: str | None, record: str, strict: str
) -> None:
    via = "" if parsed.all_term is not None else " (through redirect=)"
    ev = {"qualifier": effective, "result": QUALIFIER_NAMES.get(effective or ""), "record": record}
    if effective is None:
        c.add(
            "email.spf.all",
            Status.FAIL,
            Severity.HIGH,
            "the SPF record has no 'all' mechanism, so mail from any other server gets a neutral result and is not rejected",
            f"End the record with -all (or ~all while you test): {strict}",
            ev,
        )
    elif effective == "+":
        c.add(
            "email.spf.all",
            Status.FAIL,
            Severity.CRITICAL,
            f"'+all'{via} lets every server on the internet send mail as {domain}",
            f"Replace +all with -all: {strict}",
            ev,
        )
    elif effective == "?":
        c.add(
            "email.spf.all",
            Status.FAIL,
            Severity.HIGH,
            f"'?all'{via} is neutral: mail from unlisted servers is not treated as failing SPF",
            f"Replace ?all with -all (or ~all): {strict}",
            ev,
        )
    elif effective == "~":
        c.add(
            "email.spf.all",
            Status.PASS,
            Severity.HIGH,
            f"'~all'{via} (softfail): unlisted servers fail softly; with DMARC at quarantine/reject that is enough, -all is stricter",
            f"When every sender is listed, consider -all: {strict}",
            ev,
        )
    else:
        c.add("email.spf.all", Status.PASS, Severity.HIGH, f"'-all'{via}: mail from unlisted servers fails SPF", "", ev)
