"""Credentials handed to a call or a tool in code and logs, where the call says what the value
is: libcurl's password and bearer options, PowerShell's ``ConvertTo-SecureString -AsPlainText``,
NTLM authenticate messages captured in logs, password attributes in Terraform / HCL files."""

from __future__ import annotations

import re

from launchready.secrets import validators
from launchready.secrets.rule import Rule
from launchready.secrets.rules._common import C, H

_CHANGE = (
    "Change the password or token on your server or identity provider that issued it, remove it from the "
    "code and read it at runtime from a secret manager or an untracked environment variable."
)

RULES: tuple[Rule, ...] = (
    Rule(
        id="secret.curl-option-credential",
        description="Password or bearer token passed to libcurl (CURLOPT_PASSWORD, _USERPWD, _XOAUTH2_BEARER, ...)",
        severity=C,
        keywords=("curlopt_",),
        regex=r"CURLOPT_(?:PASSWORD|USERPWD|PROXYPASSWORD|PROXYUSERPWD|KEYPASSWD|SSLKEYPASSWD|XOAUTH2_BEARER"
        r"|TLSAUTH_PASSWORD|PROXY_TLSAUTH_PASSWORD)\s*,\s*[\"']([^\"'\\\s$]{4,300})[\"']",
        secret_group=1,
        password_like=True,
        validator=validators.not_default_password,
        fix=_CHANGE,
    ),
    Rule(
        id="secret.powershell-plaintext-securestring",
        description="Password turned into a SecureString from plain text in a PowerShell script",
        severity=C,
        keywords=("convertto-securestring",),
        # `ConvertTo-SecureString "<pw>" -AsPlainText -Force` (flags before or after, quotes
        # escaped when the command sits in another string); a `$variable` is not a literal
        regex=r"(?i:ConvertTo-SecureString)(?:\s+-(?:String|Force|AsPlainText))*\s+\\?[\"']([^\"'\\$\s]{4,200})\\?[\"']",
        secret_group=1,
        password_like=True,
        validator=validators.not_default_password,
        fix=_CHANGE,
    ),
    Rule(
        id="secret.ntlm-authenticate-message",
        description="NTLM authenticate message (base64 in a log or header): holds the user's NTLM response, crackable offline",
        severity=H,
        keywords=("tlrmtvntuaad",),
        regex=r"(?<![A-Za-z0-9+/])(TlRMTVNTUAADAAAA[A-Za-z0-9+/]{60,}={0,2})(?![A-Za-z0-9+/=])",
        secret_group=1,
        password_like=True,
        fix="Change the password of the account whose NTLM response was captured (your domain controller), and keep "
        "Authorization headers out of logs.",
    ),
    Rule(
        id="secret.terraform-password",
        description="Password attribute with a literal value in a Terraform / HCL file",
        severity=C,
        keywords=("password", "passwd"),
        # only attributes that end in password (`administrator_login_password`): `secret = "name"`
        # and `password_secret_id = "..."` name a Secret Manager entry, they do not hold one
        regex=r"^\s*[A-Za-z_]*pass(?:word|wd)\s*=\s*\"([^\"$/\s\\]{6,200})\"\s*$",
        paths=r"\.(?:tf|hcl|tfvars)$",
        flags=re.MULTILINE,
        secret_group=1,
        password_like=True,
        validator=validators.not_default_password,
        fix="Change the password on your server, remove it from the Terraform code and pass it as a sensitive variable from a secret "
        "manager (TF_VAR_*, Vault, or a random_password resource); state files hold it too, so rotate it.",
    ),
)
