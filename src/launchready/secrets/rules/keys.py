"""Private keys in containers other than a plain PEM block (``infra.py`` has that): PuTTY
``.ppk`` files and PEM keys that were base64-encoded again (Kubernetes Secrets, env values,
CI variables)."""

from __future__ import annotations

import re

from launchready.secrets import validators
from launchready.secrets.rule import Rule
from launchready.secrets.rules._common import B64_PEM_PRIVATE, C

_ROTATE = (
    "Treat the key as compromised: generate a new key pair, replace it wherever it is trusted (your servers' authorized_keys, "
    "servers, CI), and keep private keys in a secret manager."
)

RULES: tuple[Rule, ...] = (
    Rule(
        id="secret.putty-private-key",
        description="PuTTY private key (.ppk), unencrypted or passphrase-protected",
        severity=C,
        keywords=("putty-user-key-file-",),
        regex=(
            r"PuTTY-User-Key-File-[23]: [\w-]+\r?\nEncryption: [\w-]+\r?\nComment: [^\n]*\r?\nPublic-Lines: \d+\r?\n"
            r"(?:[A-Za-z0-9+/=]+\r?\n)+(?:Key-Derivation: [^\n]*\r?\n(?:Argon2-[\w-]+: [^\n]*\r?\n)*)?"
            r"Private-Lines: \d+\r?\n((?:[A-Za-z0-9+/=]{16,}\r?\n?)+)"
        ),
        secret_group=1,
        window=16384,
        flags=re.MULTILINE,
        password_like=True,
        fix=_ROTATE,
    ),
    Rule(
        id="secret.base64-private-key",
        description="PEM private key encoded in base64 (Kubernetes Secret data, env value, CI variable)",
        severity=C,
        keywords=("ls0tls1crudjtia", "ls0tls1crudjti"),
        regex=r"(?<![A-Za-z0-9+/])(LS0tLS1CRUdJTi[A-Za-z0-9+/]{0,40}?"
        + B64_PEM_PRIVATE
        + r"[A-Za-z0-9+/]{200,}={0,2})",
        secret_group=1,
        window="line",
        validator=validators.base64_pem_key,
        password_like=True,
        fix=_ROTATE,
    ),
    # A base64 blob (a whole values file or manifest encoded once more) that holds a PEM private
    # key somewhere inside, not at its start: "PRIVATE KEY" reads the same in base64 at one of
    # three alignments wherever it sits. The validator decodes the blob and looks for the key.
    Rule(
        id="secret.base64-nested-private-key",
        description="PEM private key inside a base64-encoded document (a Helm values file or manifest encoded as a whole)",
        severity=C,
        keywords=("ufjjvkfursblrv", "bssvzbveugs0vz", "quklwqvrfietfw"),
        regex=r"(?<![A-Za-z0-9+/])(?!LS0tLS1CRUdJTi)([A-Za-z0-9+/]{40,}"
        + B64_PEM_PRIVATE
        + r"[A-Za-z0-9+/]{100,}={0,2})(?![A-Za-z0-9+/=])",
        secret_group=1,
        window="line",
        validator=validators.base64_pem_key,
        password_like=True,
        fix=_ROTATE,
    ),
    # A JSON Web Key with its private member: "d" for EC, RSA and OKP keys, "k" for a symmetric
    # ("oct") key. Public JWKs (n and e, x and y only) have neither.
    Rule(
        id="secret.jwk-private-key",
        description='Private or symmetric JSON Web Key (a JWK with its "d" or "k" member)',
        severity=C,
        keywords=('"kty"',),
        regex=r'"kty"\s*:\s*"\[?(?:EC|RSA|OKP|oct)\]?"[^{}]{0,600}?"[dk]"\s*:\s*"([A-Za-z0-9_-]{20,})"'
        r'|"[dk]"\s*:\s*"([A-Za-z0-9_-]{20,})"[^{}]{0,600}?"kty"\s*:\s*"\[?(?:EC|RSA|OKP|oct)\]?"',
        secret_group=(1, 2),
        window=2048,
        entropy=3.5,
        password_like=True,
        fix=_ROTATE,
    ),
    # A private key as bare base64 DER, no PEM header: Java properties and .NET/XML configs keep
    # keys this way. Told apart from public keys and certificates by the DER that opens it: a
    # SEQUENCE holding version 0 and then the RSA modulus (PKCS#1), version 0 and the rsaEncryption
    # or EC algorithm id (PKCS#8), version 1 and a 32-byte EC scalar (SEC1), or Ed25519's PKCS#8.
    Rule(
        id="secret.der-private-key",
        description="Private key as bare base64 DER without a PEM header (PKCS#1, PKCS#8, SEC1)",
        severity=C,
        keywords=(
            "ibaakca",
            "ibaajb",
            "ibaakbgq",
            "ibadanbgkqhkig9w0baqef",
            "mighageambmgbyqgsm49",
            "mhccaqeei",
            "mc4caqawbqydk2vwbciei",
        ),
        regex=r"(?<![A-Za-z0-9+/])((?:MII[A-Za-z0-9+/]{3}IBAA(?:KCA|JB|KBgQ)|MII[A-Za-z0-9+/]{3}IBADANBgkqhkiG9w0BAQEF"
        r"|MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg|MHcCAQEEI|MC4CAQAwBQYDK2VwBCIEI)[A-Za-z0-9+/]{30,}={0,2})"
        r"(?![A-Za-z0-9+/=])",
        secret_group=1,
        entropy=4.0,
        password_like=True,
        fix=_ROTATE,
    ),
    # A PEM key whose lines carry something around them, so the plain PEM rule cannot read the
    # block: string concatenation in code ("...\\n" + "..."), a log's timestamp or build-step
    # prefix, or all of it JSON-escaped on one line. The first body line is reported: a key's
    # DER starts with a SEQUENCE ("MI"), an OpenSSH key with its magic ("b3BlbnNzaC1rZXktdjE").
    Rule(
        id="secret.private-key-embedded",
        description="PEM private key written line by line inside code strings or a log (quotes, +, \\n or timestamps around each line)",
        severity=C,
        keywords=("-----begin",),
        regex=(
            r"-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH) )?PRIVATE KEY-----[^\n]{0,40}\n?[^\n]{0,48}?(?<![A-Za-z0-9+/])"
            r"(MI[A-Za-z0-9+/]{46,78}|b3BlbnNzaC1rZXktdjE[A-Za-z0-9+/]{30,60})(?![A-Za-z0-9+/])"
        ),
        secret_group=1,
        window=512,
        entropy=4.0,
        password_like=True,
        fix=_ROTATE,
    ),
)
