"""Credential files found by NAME, even when binary or unparsable (file-level findings).

A keystore (``*.p12``, ``*.jks``), a Terraform state file, a kubeconfig or an SSH private key
file is a leak by its very presence in a commit, whatever its bytes look like. These rules
are descriptive ``Rule`` objects (no regex: the engine never runs them); ``match_name``
decides by the file name, ``scanner.py`` reports them with ``line: null``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from launchready import redact
from launchready.model import Finding, Severity
from launchready.secrets.rule import Rule, named_rule

_ROTATE_SSH = "Remove the file from the repository (and history), replace the key pair wherever it is trusted, and keep keys in ~/.ssh or a secret manager."


def _rule(id: str, description: str, severity: Severity, fix: str) -> Rule:
    return named_rule(id, description, severity, fix, "file")


FILE_RULES: tuple[Rule, ...] = (
    _rule(
        "secret.pkcs12-file",
        "PKCS#12 bundle (.p12/.pfx): a certificate with its private key",
        Severity.HIGH,
        "Remove it from the repository, revoke and reissue the certificate, and load the bundle from a secret manager at deploy time.",
    ),
    _rule(
        "secret.java-keystore-file",
        "Java/Android keystore (.jks/.keystore/.bks): private keys and signing keys",
        Severity.HIGH,
        "Remove it from the repository, rotate the keys it holds (an Android upload key: reset it in Play Console) and keep keystores in CI secrets.",
    ),
    _rule(
        "secret.terraform-state-file",
        "Terraform state: holds every resource attribute in plain text, passwords and keys included",
        Severity.HIGH,
        "Remove it, rotate the secrets it contains, and use a remote backend (S3 + DynamoDB, Terraform Cloud, GCS) with encryption instead of committing state.",
    ),
    _rule(
        "secret.terraform-vars-file",
        "Terraform variables file (*.tfvars): usually holds credentials and environment values",
        Severity.MEDIUM,
        "Keep *.tfvars out of git (add it to .gitignore), commit an example file instead, and pass secrets as TF_VAR_* from a secret manager.",
    ),
    _rule(
        "secret.kubeconfig-file",
        "Kubernetes kubeconfig: cluster endpoint with client certificates or tokens",
        Severity.HIGH,
        "Remove it, rotate the client certificate/token (or the service account) it grants, and fetch kubeconfigs on demand (cloud CLI) instead.",
    ),
    _rule("secret.ssh-key-file", "SSH private key file (id_rsa, id_ed25519 ...)", Severity.CRITICAL, _ROTATE_SSH),
    _rule(
        "secret.git-credentials-file",
        ".git-credentials: git host passwords or tokens in plain text",
        Severity.CRITICAL,
        "Remove it, revoke every token it lists at the git host, and use a credential helper (osxkeychain, libsecret, manager) instead.",
    ),
    _rule(
        "secret.htpasswd-file",
        ".htpasswd: HTTP basic-auth password hashes",
        Severity.HIGH,
        "Remove it from the repository, reset the passwords it protects and generate the file at deploy time from a secret store.",
    ),
    _rule(
        "secret.keytab-file",
        "Kerberos keytab: long-term keys of a principal",
        Severity.HIGH,
        "Remove it, reset the principal's keys (ktadd/kpasswd) and distribute keytabs through a secret manager.",
    ),
    _rule(
        "secret.pgpass-file",
        ".pgpass: PostgreSQL passwords in plain text",
        Severity.HIGH,
        "Remove it, change the database passwords it lists and keep .pgpass in the home directory only.",
    ),
    _rule(
        "secret.rails-master-key-file",
        "Rails master key (config/master.key, config/credentials/*.key): decrypts credentials.yml.enc",
        Severity.CRITICAL,
        "Remove it, rotate every secret in the encrypted credentials (`bin/rails credentials:edit` with a new key) and pass RAILS_MASTER_KEY from your deploy secrets.",
    ),
    _rule("secret.putty-key-file", "PuTTY private key file (.ppk)", Severity.CRITICAL, _ROTATE_SSH),
    _rule(
        "secret.dbeaver-credentials-file",
        "DBeaver credentials-config.json: saved database passwords (encrypted with a key every DBeaver install shares)",
        Severity.HIGH,
        "Remove it, change the database passwords of the connections in that workspace, and keep .dbeaver/ out of the repository.",
    ),
    named_rule(
        "secret.kubernetes-secret",
        "Kubernetes Secret manifest with a real value under data: (base64 is an encoding, not encryption)",
        Severity.HIGH,
        "Rotate the values it holds, delete the manifest from the repository, and commit an encrypted form instead (Sealed Secrets, SOPS) or sync it from a secret manager (External Secrets).",
        "format",
    ),
    _rule(
        "secret.browser-key-db-file",
        "Browser password store key (Firefox key4.db / key3.db): decrypts logins.json",
        Severity.HIGH,
        "Remove the profile files from the repository and change every password saved in that browser profile.",
    ),
)

_SSH_KEY_NAMES = frozenset({"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk", "identity"})
_TEMPLATE_SUFFIX = re.compile(r"\.(?:example|sample|template|dist|tmpl|tpl)$", re.IGNORECASE)


def match_name(path: str) -> Rule | None:
    """The file-level rule this path triggers by its name, or None."""
    name = path.rsplit("/", 1)[-1]
    low = name.lower()
    if _TEMPLATE_SUFFIX.search(low) or low.endswith(".pub"):
        return None
    rid: str | None = None
    if low.endswith((".p12", ".pfx")):
        rid = "secret.pkcs12-file"
    elif low.endswith((".jks", ".keystore", ".bks")):
        rid = "secret.java-keystore-file"
    elif low.endswith((".tfstate", ".tfstate.backup")):
        rid = "secret.terraform-state-file"
    elif low.endswith((".tfvars", ".tfvars.json")):
        rid = "secret.terraform-vars-file"
    elif (
        low in ("kubeconfig", "kubeconfig.yaml", "kubeconfig.yml")
        or low.endswith(".kubeconfig")
        or path.endswith(".kube/config")
    ):
        rid = "secret.kubeconfig-file"
    elif low in _SSH_KEY_NAMES:
        rid = "secret.ssh-key-file"
    elif low == ".git-credentials":
        rid = "secret.git-credentials-file"
    elif low == ".htpasswd":
        rid = "secret.htpasswd-file"
    elif low.endswith(".keytab"):
        rid = "secret.keytab-file"
    elif low == ".pgpass":
        rid = "secret.pgpass-file"
    elif low.endswith(".ppk"):
        rid = "secret.putty-key-file"
    elif low == "master.key" or (low.endswith(".key") and "config/credentials/" in path):
        rid = "secret.rails-master-key-file"
    elif low == "credentials-config.json" and ".dbeaver" in path:
        rid = "secret.dbeaver-credentials-file"
    elif low in ("key4.db", "key3.db"):
        rid = "secret.browser-key-db-file"
    if rid is None:
        return None
    return next(r for r in FILE_RULES if r.id == rid)


def content_digest(pieces: Iterable[bytes]) -> str:
    h = hashlib.sha256()
    for piece in pieces:
        h.update(piece)
    return h.hexdigest()


def file_finding(rule: Rule, path: str, digest: str, binary: bool) -> Finding:
    """A file-level finding (``line: null``); fingerprinted by content so renames keep it."""
    how = "binary file, " if binary else ""
    return Finding(
        rule_id=rule.id,
        severity=rule.severity,
        path=path,
        message=f"{rule.description} ({how}found by its name)",
        fix=rule.fix,
        fingerprint=redact.location_fingerprint(rule.id, digest),
        line=None,
    )
