"""Chat and messaging: Slack (every token kind), Discord, Microsoft Teams, Mattermost, Twitch,
MessageBird, Sendbird. Telegram, Slack bot/user/app tokens and webhooks are in ``saas.py``."""

from __future__ import annotations

from launchready.secrets.rule import Rule
from launchready.secrets.rules._common import E, H, Pack, fix

P = Pack()
P.token(
    "secret.slack-config-token",
    "Slack app configuration access or refresh token",
    r"xoxe-\d-[A-Za-z0-9]{140,170}",
    ("xoxe-",),
    "https://api.slack.com/apps (Your App Configuration Tokens > Revoke)",
    "SLACK_CONFIG_TOKEN",
)
P.named(
    "secret.discord-client-secret",
    "Discord application client secret or API token",
    r"discord[\w.-]{0,20}?(?:secret|token|key)",
    r"[A-Za-z0-9_-]{32}|[0-9a-f]{64}",
    ("discord",),
    "https://discord.com/developers/applications (your app > OAuth2 > Reset Secret)",
    "DISCORD_CLIENT_SECRET",
    entropy=3.0,
    what="the secret",
)
P.named(
    "secret.mattermost-token",
    "Mattermost personal or bot access token",
    r"mattermost[\w.-]{0,20}?(?:token|key|secret)",
    r"[a-z0-9]{26}",
    ("mattermost",),
    "your Mattermost server (Profile > Security > Personal Access Tokens)",
    "MATTERMOST_TOKEN",
)
P.named(
    "secret.twitch-token",
    "Twitch API client secret or OAuth token",
    r"twitch[\w.-]{0,20}?(?:token|secret|key)",
    r"[a-z0-9]{30}",
    ("twitch",),
    "https://dev.twitch.tv/console/apps (your app > New Secret)",
    "TWITCH_CLIENT_SECRET",
)
P.named(
    "secret.messagebird-api-key",
    "MessageBird (Bird) API access key",
    r"(?:message[_.-]?bird|bird)[\w.-]{0,20}?(?:key|token|secret)",
    r"[A-Za-z0-9]{25}",
    ("messagebird", "message_bird", "message-bird"),
    "https://dashboard.messagebird.com/en/developers/access",
    "MESSAGEBIRD_API_KEY",
)
P.named(
    "secret.sendbird-api-token",
    "Sendbird API token",
    r"sendbird[\w.-]{0,20}?(?:token|key|secret)",
    r"[0-9a-f]{40}",
    ("sendbird",),
    "https://dashboard.sendbird.com (Settings > Application > General > API tokens)",
    "SENDBIRD_API_TOKEN",
)

# The path's ids are GUIDs in every URL Teams hands out; any 8-4-4-4-12 alphanumeric id in that
# distinctive path is read as one (a webhook URL with a mangled id is still a webhook URL).
_GUIDISH = r"[0-9A-Za-z]{8}-[0-9A-Za-z]{4}-[0-9A-Za-z]{4}-[0-9A-Za-z]{4}-[0-9A-Za-z]{12}"
TEAMS_PATH = (
    rf"webhookb2/{_GUIDISH}@{_GUIDISH}/IncomingWebhook/[0-9A-Za-z]{{32}}/{_GUIDISH}(?:/[A-Za-z0-9_-]{{20,60}})?"
)
P.rules.append(
    Rule(
        id="secret.teams-webhook",
        description="Microsoft Teams incoming webhook URL",
        severity=H,
        keywords=("webhook.office.com",),
        regex=rf"https://[a-z0-9-]+\.webhook\.office\.com/({TEAMS_PATH})" + E,
        secret_group=1,
        password_like=True,
        allow_uuid=True,
        fix=fix("your Teams channel (Connectors / Workflows: remove the webhook)", "the webhook URL (remove it)"),
    )
)

RULES: tuple[Rule, ...] = tuple(P.rules)
SAMPLES = P.samples
