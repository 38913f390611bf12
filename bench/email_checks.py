"""Time the email checks against checkdmarc on the same zones and the same loopback DNS server.

Usage: python bench/email_checks.py [--repeat 15] [--write]

Starts the test suite's dnslib server (tests/email) on 127.0.0.1, then for each domain times
(a) our SPF + DMARC checks, (b) checkdmarc's check_spf + check_dmarc (the peer, doing the
same work), and (c) our full run (SPF, DKIM with 24 selector probes, DMARC, MX; MTA-STS
skipped: it needs the HTTPS fixture). Every run starts with a cold cache (a fresh client;
checkdmarc's module cache is cleared). Medians over ``--repeat`` runs; ``--write`` stores the
table in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "email"))
sys.path.insert(0, str(HERE))

DOMAINS = ["good.test", "many.test", "void.test", "loop.test", "sub.orgdmarc.test", "longspf.test"]


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)

    import checkdmarc.dmarc
    import checkdmarc.spf
    import checkdmarc.utils
    from dns.nameserver import Do53Nameserver
    from dns.resolver import Resolver
    from email_dns_server import dns_server, ed25519_public_key_b64, rsa_public_key_b64

    from conftest import build_zone
    from launchready.email import EmailSettings, run_email
    from launchready.email.dns import parse_nameserver

    keys = {
        "rsa512": rsa_public_key_b64(512),
        "rsa1024": rsa_public_key_b64(1024),
        "rsa2048": rsa_public_key_b64(2048),
        "ed25519": ed25519_public_key_b64(),
    }
    rows = []
    with dns_server(build_zone(keys)) as server:
        ns = (parse_nameserver(server.spec),)

        def ours(domain: str, only: tuple[str, ...]) -> int:
            settings = EmailSettings(
                domain=domain, dns_servers=ns, timeout=2.0, retries=0, only=only, skip=("email.mta-sts",)
            )
            return run_email(settings).dns_queries

        def theirs(domain: str) -> int:
            checkdmarc.utils.DNS_CACHE.clear()
            before = len(server.resolver.queries)
            r = Resolver(configure=False)
            r.nameservers = [Do53Nameserver(server.host, server.port)]
            r.timeout, r.lifetime = 2.0, 4.0
            checkdmarc.spf.check_spf(domain, resolver=r, timeout=2.0)
            checkdmarc.dmarc.check_dmarc(domain, resolver=r, timeout=2.0)
            return len(server.resolver.queries) - before

        for domain in DOMAINS:
            samples: dict[str, list[float]] = {"ours": [], "peer": [], "full": []}
            queries: dict[str, int] = {}
            for _ in range(args.repeat):
                for name, fn in (
                    ("ours", lambda d=domain: ours(d, ("email.spf", "email.dmarc"))),
                    ("peer", lambda d=domain: theirs(d)),
                    ("full", lambda d=domain: ours(d, ())),
                ):
                    t0 = time.perf_counter()
                    queries[name] = fn()
                    samples[name].append((time.perf_counter() - t0) * 1000)
            med = {k: statistics.median(v) for k, v in samples.items()}
            rows.append((domain, med, queries))

    lines = [
        f"Loopback dnslib server, cold caches, median of {args.repeat} runs (ms); queries per run in brackets.",
        "`ours` = SPF + DMARC checks, `checkdmarc` = check_spf + check_dmarc (peer, same work),",
        "`full` = all our email checks except MTA-STS (24 DKIM selector probes in 8 threads).",
        "",
        "| Domain | ours SPF+DMARC | checkdmarc | ratio ours/peer | full run |",
        "|---|---|---|---|---|",
    ]
    for domain, med, q in rows:
        lines.append(
            f"| {domain} | {med['ours']:.1f} [{q['ours']}] | {med['peer']:.1f} [{q['peer']}] | "
            f"{med['ours'] / med['peer']:.2f} | {med['full']:.1f} [{q['full']}] |"
        )
    body = "\n".join(lines) + f"\n\nCommand: `python bench/email_checks.py --repeat {args.repeat} --write`\n"
    print(body)
    if args.write:
        from results import replace_section

        replace_section("email-checks", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
