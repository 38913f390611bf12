"""Credential files people actually commit, read by their format: FTP/SFTP and editor deploy
configs, database tool configs, Rails/Django/WordPress secrets, mail client configs, shadow
and htpasswd-style hash files, SQL dumps inserting password hashes, cloud CLI configs,
browser password exports. Each rule only runs on the files it is about (``paths``), so its
pattern can be plain (``"password": "..."``) without crying wolf elsewhere. Files that are a
leak by name alone (``config/master.key``, DBeaver's encrypted ``credentials-config.json``)
are in ``secrets/credfiles.py``."""

from __future__ import annotations

import re
from dataclasses import replace

from launchready.model import Severity
from launchready.secrets import validators
from launchready.secrets.rule import Rule
from launchready.secrets.rules._common import C, H, M

_CHANGE = "Change the password on the server it opens, delete the file from the repository (and its history), and add it to .gitignore."


def _file(
    id: str,
    description: str,
    paths: str | None,
    regex: str,
    keywords: tuple[str, ...],
    fix: str,
    severity: Severity = C,
    exclude: str | None = None,
    group: int | tuple[int, ...] = 1,
    hex_ok: bool = False,
) -> Rule:
    return Rule(
        id=id,
        description=description,
        severity=severity,
        keywords=keywords,
        regex=regex,
        secret_group=group,
        paths=paths,
        exclude_paths=exclude,
        password_like=True,
        flags=re.MULTILINE,
        validator=validators.not_default_password,
        fix=fix,
        allow_uuid=hex_ok,
    )


RULES: tuple[Rule, ...] = (
    _file(
        "secret.filezilla-password",
        "Saved server password in a FileZilla sitemanager.xml / recentservers.xml",
        r"(?i)(?:^|/)(?:sitemanager|recentservers|filezilla)\.xml$",
        r"<Pass(?: encoding=\"base64\")?>([^<\s]{4,300})</Pass>",
        ("<pass",),
        "Change the FTP/SFTP password on your server, remove the file from the repository and export sites without passwords.",
    ),
    _file(
        "secret.deploy-config-password",
        "Password in an editor deploy config (sftp-config.json, .ftpconfig, .remote-sync.json, sftp.json)",
        r"(?:^|/)(?:sftp-config\.json|\.ftpconfig|\.remote-sync\.json|sftp\.json|ftp-config\.json|deploy-config\.json)$",
        r"\"(?:pass|password|passphrase)\"\s*:\s*\"([^\"\s]{4,200})\"",
        ("pass",),
        "Change the password on your server, remove the file from the repository (add it to .gitignore) and use SSH keys with an agent instead.",
    ),
    _file(
        "secret.jetbrains-datasource-password",
        "Password in a JetBrains IDE config (.idea WebServers.xml, deployment.xml, dataSources)",
        r"(?:^|/)\.idea/(?:[wW]eb[sS]ervers|deployment|dataSources(?:\.local)?|sshConfigs)\.xml$",
        r"\b(?:password|pass)=\"([^\"\s]{4,200})\"|name=\"password\" value=\"([^\"\s]{4,200})\"",
        ("pass",),
        "Change the password on your server or database, keep .idea/ private files out of git (your .gitignore) and let the IDE store passwords in the OS keychain.",
        group=(1, 2),
    ),
    _file(
        "secret.dbtool-password",
        "Saved connection password in a database tool config (Robo 3T / Robomongo, Studio 3T, DBeaver data-sources.json)",
        r"(?:^|/)(?:robomongo\.json|robo3t\.json|3T\.json|studio3t[^/]*\.json|data-sources[^/]*\.json)$",
        r"\"(?:userPassword|password|sshUserPassword|sshPassphrase)\"\s*:\s*\"([^\"\s]{4,200})\"",
        ("password",),
        "Change the database user's password, remove the file from the repository and let your database tool keep credentials outside the project.",
    ),
    _file(
        "secret.mongoid-password",
        "Database password in a Rails mongoid.yml",
        r"(?:^|/)mongoid\.yml$",
        r"^\s*password:\s*['\"]?([^'\"\s#<{%][^'\"\s]{3,199})['\"]?\s*$",
        ("password",),
        "Change the MongoDB user's password (your Atlas project's Database Access, or db.changeUserPassword) and read it from the environment in mongoid.yml (password: <%= ENV['MONGODB_PASSWORD'] %>).",
    ),
    _file(
        "secret.rails-secret-key-base",
        "Rails secret_key_base in config/secrets.yml",
        r"(?:^|/)secrets\.ya?ml$",
        r"^\s*secret_key_base:\s*['\"]?([0-9a-f]{64,256})['\"]?\s*$",
        ("secret_key_base",),
        "Generate a new secret with `bin/rails secret`, set it through SECRET_KEY_BASE in your deploy environment or encrypted credentials, and expect existing sessions to end.",
        hex_ok=True,
    ),
    _file(
        "secret.django-secret-key",
        "Django SECRET_KEY in a settings module",
        r"(?:^|/)settings(?:/[^/]+|[^/]*)\.py$",
        r"^SECRET_KEY\s*=\s*[rbu]?(['\"])([^'\"\s]{30,200})\1",
        ("secret_key",),
        "Generate a new key (`python -c 'from django.core.management.utils import get_random_secret_key as g; print(g())'`), read it from your deploy environment, and expect sessions and password-reset links to be invalidated.",
        group=2,
    ),
    _file(
        "secret.wordpress-config-secret",
        "Database password or auth key/salt in wp-config.php",
        r"(?:^|/)wp-config[^/]*\.php$",
        r"define\(\s*['\"](?:DB_PASSWORD|AUTH_KEY|SECURE_AUTH_KEY|LOGGED_IN_KEY|NONCE_KEY|AUTH_SALT|SECURE_AUTH_SALT|LOGGED_IN_SALT|NONCE_SALT)['\"]\s*,\s*(['\"])((?:(?!\1).){4,200})\1",
        ("define",),
        "Change the database password, regenerate the keys and salts (https://api.wordpress.org/secret-key/1.1/salt/), and keep wp-config.php out of the repository (commit wp-config-sample.php).",
        exclude=r"(?:^|/)wp-config-sample\.php$",
        group=2,
    ),
    _file(
        "secret.esmtprc-password",
        "SMTP password in an .esmtprc",
        r"(?:^|/)\.?esmtprc$",
        r"^\s*password\s*=?\s*['\"]?([^'\"\s]{4,200})['\"]?\s*$",
        ("password",),
        "Change the mail account's password at your email provider and keep .esmtprc in your home directory only.",
    ),
    _file(
        "secret.shadow-hash",
        "Unix password hash in a shadow-style line (user:$id$salt$hash:...)",
        None,
        r"^[a-z_][a-z0-9_.-]{0,31}:(\$(?:1|2[aby]|5|6|y|7|gy|sha1|md5)\$[^:\s]{8,200}):\d*:\d*:\d*:",
        ("$1$", "$2a$", "$2b$", "$2y$", "$5$", "$6$", "$y$", "$7$", "$gy$", "$sha1$", "$md5$"),
        "Password hashes can be cracked offline: change those users' passwords on your systems they come from and remove the file from the repository.",
        severity=M,
    ),
    _file(
        "secret.sql-dump-password-hash",
        "Password hash inserted by an SQL dump (bcrypt, phpass, Django PBKDF2, Argon2)",
        r"(?i)\.sql(?:\.txt)?$",
        r"(?i:insert\s+into)[^\n]*?['\"](\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}|\$P\$[./A-Za-z0-9]{31}|pbkdf2_sha256\$\d+\$[^$'\"]+\$[A-Za-z0-9+/=]{40,}|\$argon2id?\$[^'\"\s]{30,200})['\"]",
        ("insert into", "insert  into"),
        "Treat the dump as a breach: reset those users' passwords, remove the dump from your repository (and history) and seed test data with generated users.",
        severity=H,
    ),
    _file(
        "secret.tugboat-key",
        "DigitalOcean API credential in a .tugboat config",
        r"(?:^|/)\.tugboat$",
        r"^\s*(?:client_key|api_key|access_token):\s*['\"]?([A-Za-z0-9]{20,80})['\"]?\s*$",
        ("client_key", "api_key", "access_token"),
        "Revoke the token at https://cloud.digitalocean.com/account/api/tokens and keep .tugboat out of the repository.",
    ),
    _file(
        "secret.hub-oauth-token",
        "GitHub token in a hub CLI config",
        r"(?:^|/)(?:\.config/)?hub$",
        r"^\s*oauth_token:\s*['\"]?([A-Za-z0-9_]{20,100})['\"]?\s*$",
        ("oauth_token",),
        "Revoke the token at https://github.com/settings/tokens and keep ~/.config/hub out of the repository (use `gh auth login`).",
    ),
    _file(
        "secret.firefox-logins",
        "Saved browser passwords (Firefox logins.json)",
        r"(?:^|/)logins(?:-backup)?\.json$",
        r"\"encryptedPassword\"\s*:\s*\"([A-Za-z0-9+/=]{20,})\"",
        ("encryptedpassword",),
        "Change every password listed in the export (with key4.db they decrypt offline), and remove the profile files from your repository.",
        severity=H,
    ),
    replace(
        _file(
            "secret.nuget-config-password",
            "Package feed password in a NuGet.config (packageSourceCredentials)",
            r"(?i)(?:^|/)nuget\.config$",
            # `%NAME%` values are environment variables NuGet expands at restore time, not secrets
            r"<add\s+key=[\"'](?i:(?:ClearText)?Password)[\"']\s+value=[\"'](?!%[\w.-]+%[\"'])([^\"'\s]{4,300})[\"']",
            ('key="cleartextpassword"', 'key="password"', "key='cleartextpassword'", "key='password'"),
            "Revoke the password or token at your package feed, remove it from NuGet.config and pass it at restore "
            "time instead (`%FEED_PASSWORD%` in the file, or `dotnet nuget update source --store-password-in-clear-text` on the build machine only).",
        ),
        # the two example passwords of NuGet's own documentation
        allow=(r"^33f!!lloppa$", r"^hal\+9ooo_da!sY$"),
    ),
)
