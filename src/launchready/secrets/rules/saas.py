"""SaaS APIs: chat, payments, email, backend-as-a-service, package registries."""

from __future__ import annotations

from launchready.model import Severity
from launchready.secrets import validators
from launchready.secrets.rule import Rule
from launchready.secrets.rules._common import UUID, B, C, E, H, L, fix, kv


def _clerk_key(mode: str, description: str, severity: Severity, fix_text: str) -> Rule:
    """A Clerk ``sk_<mode>_`` secret key under a Clerk name (``secret.clerk-secret-key`` for
    live, ``secret.clerk-test-secret-key`` for test)."""
    return Rule(
        id="secret.clerk-secret-key" if mode == "live" else f"secret.clerk-{mode}-secret-key",
        description=description,
        severity=severity,
        keywords=("clerk",),
        regex=kv(r"clerk[\w.-]{0,20}?(?:secret|key|api)", rf"sk_{mode}_[A-Za-z0-9]{{20,120}}"),
        secret_group=1,
        prefix=f"sk_{mode}_",
        entropy=3.0,
        fix=fix_text,
    )


def _paystack_key(mode: str, severity: Severity) -> Rule:
    """A Paystack ``sk_<mode>_`` secret key (40 lowercase hex digits)."""
    test = mode == "test"
    return Rule(
        id="secret.paystack-test-secret-key" if test else "secret.paystack-secret-key",
        description=f"Paystack {'test-mode ' if test else ''}secret key (sk_{mode}_ and 40 hex digits)",
        severity=severity,
        keywords=(f"sk_{mode}_",),
        cased_keywords=(f"sk_{mode}_",),
        regex=B + rf"(sk_{mode}_[0-9a-f]{{40}})" + E,
        secret_group=1,
        prefix=f"sk_{mode}_",
        entropy=3.0,
        heads=True,
        fix=fix(
            "https://dashboard.paystack.com/#/settings/developers (Generate new secret key"
            + (", in test mode)" if test else ")")
        ),
    )


RULES: tuple[Rule, ...] = (
    Rule(
        id="secret.slack-bot-token",
        description="Slack bot token",
        severity=C,
        keywords=("xoxb-",),
        regex=B + r"(xoxb-[0-9]{8,14}-(?:[0-9]{8,14}-?)?[A-Za-z0-9]{18,34})" + E,
        secret_group=1,
        prefix="xoxb-",
        entropy=3.0,
        fix=fix("https://api.slack.com/apps (your app > OAuth & Permissions > Rotate / Revoke)", "the token"),
    ),
    Rule(
        id="secret.slack-user-token",
        description="Slack user, workspace or refresh token",
        severity=C,
        keywords=("xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxo-", "xoxe-", "xoxe."),
        # never ending in a dash: `xoxp-<ids>-####` is a token masked for display
        # `xoxe-<team>-<user>-<id>-<32 hex>`: the file-access token Slack appends to private file
        # URLs (`files.slack.com/...?t=xoxe-...`)
        regex=B
        + r"(xox(?:[pasro]|e\.xox[bp])-(?:[0-9]{1,14}-)?[0-9A-Za-z-]{9,199}[0-9A-Za-z]"
        + r"|xoxe-[0-9]{8,14}-[0-9]{8,14}-[0-9]{8,14}-[0-9a-f]{32})"
        + E,
        secret_group=1,
        # `xoxe.xoxp-1-RANDOMSTRINGHERE`: a stand-in written where the token goes
        allow=(r"(?i)(?:string|token)here$", r"(?:-1234){3}"),
        prefix="xox",
        # the team and user ids are digits, so a real token's entropy sits lower than its hex tail's
        entropy=2.5,
        fix=fix("https://api.slack.com/apps (your app > OAuth & Permissions)", "the token"),
    ),
    Rule(
        id="secret.slack-app-token",
        description="Slack app-level token",
        severity=H,
        keywords=("xapp-",),
        # the secret part is lowercase hex in every token seen; any lowercase alphanumeric run of
        # that length after the distinctive `xapp-<n>-<app id>-<digits>-` head is one too
        regex=B + r"(xapp-\d-[A-Z0-9]{8,14}-\d{8,16}-[a-z0-9]{32,80})" + E,
        secret_group=1,
        prefix="xapp-",
        fix=fix("https://api.slack.com/apps (your app > Basic Information > App-Level Tokens)", "the token"),
    ),
    Rule(
        id="secret.slack-webhook",
        description="Slack incoming webhook URL",
        severity=H,
        keywords=("hooks.slack.com",),
        # with or without the scheme (`hooks.slack.com/services/...` pasted bare into docs and configs)
        regex=r"(?<![\w.-])(?:https?://)?hooks\.slack\.com/((?:services|workflows|triggers)/[A-Za-z0-9_/+-]{30,120})",
        secret_group=1,
        password_like=True,
        fix=fix("https://api.slack.com/apps (your app > Incoming Webhooks)", "the webhook URL (remove it)"),
    ),
    Rule(
        id="secret.discord-webhook",
        description="Discord webhook URL",
        severity=H,
        keywords=("discord.com/api/webhooks", "discordapp.com/api/webhooks"),
        regex=r"https?://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/(\d{16,20}/[A-Za-z0-9_-]{60,80})",
        secret_group=1,
        password_like=True,
        fix="Delete the webhook in Server Settings > Integrations > Webhooks and create a new one; keep its URL in a secret.",
    ),
    Rule(
        id="secret.discord-bot-token",
        description="Discord bot token",
        severity=C,
        keywords=("discord",),
        regex=B + r"([MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40})" + E,
        secret_group=1,
        entropy=4.0,
        password_like=True,
        fix=fix("https://discord.com/developers/applications (your app > Bot > Reset Token)", "the token"),
    ),
    # Clerk's secret keys share Stripe's sk_live_/sk_test_ prefixes, and Clerk's (Svix's) webhook
    # signing secrets Stripe's whsec_: a Clerk, Svix or Resend name says whose the value is, so
    # the fix names the right dashboard. Listed before Stripe's rules, which they win over on
    # the same value.
    _clerk_key(
        "live",
        "Clerk secret key (sk_live_ under a Clerk name)",
        C,
        fix(
            "https://dashboard.clerk.com (your application > Configure > API keys: add a new secret key, delete the exposed one)"
        ),
    ),
    _clerk_key(
        "test",
        "Clerk development-instance secret key (sk_test_ under a Clerk name)",
        L,
        "A development key still opens the development instance (its users and sessions): roll it at "
        "https://dashboard.clerk.com (your development instance > API keys) and load it from the environment.",
    ),
    # Paystack's secret keys are sk_live_/sk_test_ too, always 40 lowercase hex (Stripe's never
    # are): told apart by shape, wherever they are.
    _paystack_key("live", C),
    _paystack_key("test", L),
    Rule(
        id="secret.svix-webhook-secret",
        description="Webhook signing secret of Clerk, Svix or Resend (whsec_ under their name)",
        severity=H,
        keywords=("clerk", "svix", "resend"),
        regex=kv(r"(?:clerk|svix|resend)[\w.-]{0,30}?(?:secret|key)", r"whsec_[A-Za-z0-9+/=]{24,100}"),
        secret_group=1,
        prefix="whsec_",
        entropy=3.5,
        fix=(
            "Roll the signing secret where the endpoint is defined (your Clerk, Svix or Resend dashboard > Webhooks > "
            "the endpoint > Signing secret) and read it from the environment."
        ),
    ),
    Rule(
        id="secret.stripe-secret-key",
        description="Stripe live secret key",
        severity=C,
        keywords=("sk_live_",),
        regex=B + r"(sk_live_[A-Za-z0-9]{24,247})" + E,
        secret_group=1,
        prefix="sk_live_",
        fix="Roll the key at https://dashboard.stripe.com/apikeys and store the new one only on the server.",
    ),
    Rule(
        id="secret.stripe-restricted-key",
        description="Stripe live restricted key",
        severity=C,
        keywords=("rk_live_",),
        regex=B + r"(rk_live_[A-Za-z0-9]{24,247})" + E,
        secret_group=1,
        prefix="rk_live_",
        fix="Roll the key at https://dashboard.stripe.com/apikeys and store the new one only on the server.",
    ),
    Rule(
        id="secret.stripe-webhook-secret",
        description="Stripe webhook signing secret",
        severity=H,
        keywords=("whsec_",),
        regex=B + r"(whsec_[A-Za-z0-9+/=]{32,100})" + E,
        secret_group=1,
        prefix="whsec_",
        entropy=3.5,
        fix="Roll the signing secret at https://dashboard.stripe.com/webhooks (your endpoint > Signing secret) and read it from the environment.",
    ),
    Rule(
        id="secret.stripe-test-key",
        description="Stripe test-mode secret or restricted key",
        severity=L,
        keywords=("sk_test_", "rk_test_"),
        regex=B + r"([sr]k_test_[A-Za-z0-9]{24,247})" + E,
        secret_group=1,
        prefix="sk_test_",
        fix="Test keys still expose your test account: roll it at https://dashboard.stripe.com/test/apikeys and load it from the environment.",
    ),
    Rule(
        id="secret.twilio-api-key",
        description="Twilio API key SID (with its secret nearby)",
        severity=H,
        keywords=("twilio",),
        regex=r"(?<![A-Za-z0-9])(SK[0-9a-f]{32})(?![A-Za-z0-9])",
        secret_group=1,
        prefix="SK",
        allow_uuid=True,
        fix=fix("https://console.twilio.com/us1/account/keys-credentials/api-keys", "the API key"),
    ),
    Rule(
        id="secret.twilio-auth-token",
        description="Twilio auth token",
        severity=C,
        keywords=("twilio",),
        regex=kv(r"twilio[\w.-]{0,20}?(?:auth|token|secret)", r"[0-9a-f]{32}"),
        secret_group=1,
        allow_uuid=True,
        entropy=3.0,
        password_like=True,
        fix=fix(
            "https://console.twilio.com (Account > API keys & tokens > Auth tokens: promote a secondary token)",
            "the auth token",
        ),
    ),
    Rule(
        id="secret.sendgrid-api-key",
        description="SendGrid API key",
        severity=C,
        keywords=("sg.",),
        regex=B + r"(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})" + E,
        secret_group=1,
        prefix="SG.",
        entropy=4.0,
        fix=fix("https://app.sendgrid.com/settings/api_keys"),
    ),
    Rule(
        id="secret.mailgun-api-key",
        description="Mailgun API key",
        severity=C,
        keywords=("mailgun", "key-"),
        regex=B + r"(key-[0-9a-f]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})" + E,
        secret_group=1,
        allow_uuid=True,
        entropy=3.0,
        password_like=True,
        fix=fix("https://app.mailgun.com/settings/api_security"),
    ),
    Rule(
        id="secret.postmark-server-token",
        description="Postmark server or account token",
        severity=H,
        keywords=("postmark",),
        regex=kv(r"postmark[\w.-]{0,30}?(?:token|key|secret)", UUID),
        secret_group=1,
        allow_uuid=True,
        password_like=True,
        fix=fix("https://account.postmarkapp.com/servers (your server > API Tokens)", "the token"),
    ),
    Rule(
        id="secret.resend-api-key",
        description="Resend API key",
        severity=H,
        keywords=("resend",),
        regex=B + r"(re_[A-Za-z0-9]{8}_[A-Za-z0-9]{24})" + E,
        secret_group=1,
        prefix="re_",
        entropy=3.5,
        fix=fix("https://resend.com/api-keys"),
    ),
    Rule(
        id="secret.mailchimp-api-key",
        description="Mailchimp API key",
        severity=H,
        keywords=("mailchimp", "mc_api", "-us"),
        regex=B + r"([0-9a-f]{32}-us[0-9]{1,2})" + E,
        secret_group=1,
        allow_uuid=True,
        entropy=3.0,
        password_like=True,
        fix=fix("https://admin.mailchimp.com/account/api/"),
    ),
    Rule(
        id="secret.supabase-service-role-key",
        description="Supabase service_role JWT (bypasses row-level security)",
        severity=C,
        keywords=("eyj",),
        cased_keywords=("eyJ",),
        heads=True,
        regex=B + r"(eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,})" + E,
        secret_group=1,
        validator=validators.supabase_service_role,
        password_like=True,
        fix="Rotate the JWT secret / service_role key at https://supabase.com/dashboard/project/_/settings/api-keys and only use it on the server (the browser gets the anon key).",
    ),
    Rule(
        id="secret.supabase-secret-key",
        description="Supabase secret API key",
        severity=C,
        keywords=("sb_secret_",),
        regex=B + r"(sb_secret_[A-Za-z0-9_-]{20,80})" + E,
        secret_group=1,
        prefix="sb_secret_",
        entropy=3.5,
        fix=fix("https://supabase.com/dashboard/project/_/settings/api-keys"),
    ),
    Rule(
        id="secret.firebase-fcm-server-key",
        description="Firebase Cloud Messaging legacy server key",
        severity=H,
        keywords=(":apa91b",),
        regex=B + r"(AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{100,200})" + E,
        secret_group=1,
        prefix="AAAA",
        fix=fix("https://console.firebase.google.com/project/_/settings/cloudmessaging", "the server key")
        + " Migrate to the HTTP v1 API with a service account.",
    ),
    Rule(
        id="secret.npm-token",
        description="npm access token",
        severity=C,
        keywords=("npm_",),
        regex=B + r"(npm_[A-Za-z0-9]{36})" + E,
        secret_group=1,
        prefix="npm_",
        validator=validators.github_checksum,
        fix=fix("https://www.npmjs.com/settings/~/tokens", "the token") + " Use trusted publishing from CI.",
    ),
    Rule(
        id="secret.pypi-token",
        description="PyPI upload token",
        severity=C,
        keywords=("pypi-ageichlwas5vcmc", "pypi-agendgvzdc5wexbplm9yzw"),
        regex=B + r"(pypi-Ag(?:EIcHlwaS5vcmc|ENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,1000})" + E,
        secret_group=1,
        prefix="pypi-",
        fix=fix("https://pypi.org/manage/account/token/", "the token") + " Use trusted publishing from CI.",
    ),
    Rule(
        id="secret.shopify-token",
        description="Shopify access token or shared secret",
        severity=C,
        keywords=("shpat_", "shpca_", "shppa_", "shpss_"),
        regex=B + r"(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})" + E,
        secret_group=1,
        prefix="shp",
        fix="Uninstall/rotate the app's credentials in Shopify admin > Settings > Apps and sales channels > Develop apps.",
    ),
    Rule(
        id="secret.linear-api-key",
        description="Linear API key",
        severity=H,
        keywords=("lin_api_",),
        regex=B + r"(lin_api_[A-Za-z0-9]{40})" + E,
        secret_group=1,
        prefix="lin_api_",
        fix=fix("https://linear.app/settings/account/security (API keys)"),
    ),
    Rule(
        id="secret.sentry-auth-token",
        description="Sentry auth token (not the public DSN)",
        severity=H,
        keywords=("sntrys_", "sntryu_"),
        regex=B + r"(sntrys_eyJ[A-Za-z0-9+/=_-]{50,400}|sntryu_[a-f0-9]{64})" + E,
        secret_group=1,
        prefix="sntry",
        fix=fix("https://sentry.io/settings/account/api/auth-tokens/ (or Organization Tokens)", "the token"),
    ),
    Rule(
        id="secret.telegram-bot-token",
        description="Telegram bot token",
        severity=H,
        keywords=("telegram", "bot_token", "tg_", ":aa"),
        regex=r"(?<![0-9])([0-9]{8,10}:AA[A-Za-z0-9_-]{33})" + E,
        secret_group=1,
        password_like=True,
        fix="Revoke it with @BotFather (/revoke) and load the new token from the environment.",
    ),
)
