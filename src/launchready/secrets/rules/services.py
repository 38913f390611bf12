"""Other SaaS a startup holds keys for: observability, auth, databases-as-a-service, email/SMS,
analytics, hosting, productivity and developer APIs."""

from __future__ import annotations

from dataclasses import replace

from launchready.secrets.rule import Rule
from launchready.secrets.rules._common import UUID, C, Pack, fix

P = Pack()
# ---- observability
P.named(
    "secret.datadog-api-key",
    "Datadog API or application key assigned by name",
    r"(?:datadog|dd)[\w.-]{0,20}?(?:api|app|application|access)[\w.-]{0,10}?(?:key|token)|datadog[\w.-]{0,20}?(?:key|token)",
    r"[0-9a-f]{40}|[0-9a-f]{32}|[a-z0-9]{40}",
    ("datadog", "dd_api", "dd_app", "dd-api", "dd-app", "ddapi", "ddapp"),
    "https://app.datadoghq.com/organization-settings/api-keys (or Application Keys)",
    "DD_API_KEY",
)
P.token(
    "secret.newrelic-key",
    "New Relic user API, license (ingest) or insert key",
    r"NRAK-[A-Za-z0-9]{27}|NRII-[A-Za-z0-9_-]{32}|NRJS-[a-f0-9]{19}|[a-f0-9]{36}NRAL",
    ("nrak-", "nrii-", "nrjs-", "nral"),
    "https://one.newrelic.com/api-keys",
    "NEW_RELIC_API_KEY",
)
P.named(
    "secret.sentry-legacy-token",
    "Sentry auth token (legacy 64-hex form) assigned by name",
    r"sentry[\w.-]{0,20}?(?:token|key|secret)",
    r"[0-9a-f]{64}",
    ("sentry",),
    "https://sentry.io/settings/account/api/auth-tokens/",
    "SENTRY_AUTH_TOKEN",
    what="the token",
)
P.token(
    "secret.grafana-legacy-api-key",
    "Grafana API key (legacy base64 JSON form)",
    r"eyJrIjoi[A-Za-z0-9]{60,400}={0,3}",
    ("eyjrijoi",),
    "your Grafana instance (Administration > API keys: delete; migrate to service accounts)",
    "GRAFANA_API_KEY",
)
P.token(
    "secret.dynatrace-token",
    "Dynatrace API token",
    r"dt0c01\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{64}",
    ("dt0c01.",),
    "your Dynatrace environment (Access tokens > revoke)",
    "DT_API_TOKEN",
)
P.named(
    "secret.sumologic-key",
    "Sumo Logic access key assigned by name",
    r"sumo[\w.-]{0,20}?(?:key|token|secret)",
    r"[A-Za-z0-9]{64}|su[A-Za-z0-9]{12}",
    ("sumo",),
    "your Sumo Logic account (Preferences > Access Keys)",
    "SUMO_ACCESS_KEY",
)
P.token(
    "secret.posthog-personal-key",
    "PostHog personal, feature-flag secure or OAuth key (not the public phc_ project key)",
    r"ph[xsar]_[A-Za-z0-9]{32,70}",
    ("phx_", "phs_", "pha_", "phr_"),
    "https://us.posthog.com/settings/user-api-keys",
    "POSTHOG_PERSONAL_API_KEY",
)
# ---- auth and identity
P.named(
    "secret.auth0-client-secret",
    "Auth0 client secret assigned by name",
    r"auth0[\w.-]{0,20}?(?:secret|token|key)",
    r"[A-Za-z0-9_-]{64}",
    ("auth0",),
    "https://manage.auth0.com (Applications > your app > Rotate client secret)",
    "AUTH0_CLIENT_SECRET",
    severity=C,
    entropy=3.5,
    what="the secret",
)
P.named(
    "secret.okta-token",
    "Okta API token assigned by name",
    r"okta[\w.-]{0,20}?(?:token|key|secret)",
    r"00[A-Za-z0-9_-]{40}",
    ("okta",),
    "your Okta admin console (Security > API > Tokens: revoke)",
    "OKTA_API_TOKEN",
    severity=C,
    what="the token",
)
P.token(
    "secret.onepassword-service-account-token",
    "1Password service account token",
    r"ops_eyJ[A-Za-z0-9+/=_-]{250,}",
    ("ops_eyj",),
    "https://my.1password.com (Developer > Service accounts > revoke)",
    "OP_SERVICE_ACCOUNT_TOKEN",
    severity=C,
)
P.token(
    "secret.onepassword-secret-key",
    "1Password account Secret Key",
    r"A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}",
    ("a3-",),
    "your 1Password account (Profile > Regenerate Secret Key)",
    "OP_SECRET_KEY",
    severity=C,
    what="the Secret Key",
)
# ---- databases and backends as a service
P.token(
    "secret.supabase-access-token",
    "Supabase personal access token (management API)",
    r"sbp_(?:oauth_)?[0-9a-f]{40}",
    ("sbp_",),
    "https://supabase.com/dashboard/account/tokens",
    "SUPABASE_ACCESS_TOKEN",
    severity=C,
)
P.token(
    "secret.neon-api-key",
    "Neon API key",
    r"napi_[a-z0-9]{64}",
    ("napi_",),
    "https://console.neon.tech/app/settings/api-keys",
    "NEON_API_KEY",
    severity=C,
)
P.named(
    "secret.upstash-token",
    "Upstash Redis / QStash REST token assigned by name",
    r"(?:upstash|qstash|kv_rest_api)[\w.-]{0,30}?token",
    r"A[A-Za-z0-9]{30,120}=?",
    ("upstash", "qstash", "kv_rest_api"),
    "https://console.upstash.com (your database > Reset Credentials)",
    "UPSTASH_REDIS_REST_TOKEN",
    severity=C,
    entropy=3.5,
    what="the token",
)
P.named(
    "secret.turso-token",
    "Turso database or platform token assigned by name",
    r"(?:turso|libsql)[\w.-]{0,20}?(?:token|key|secret)",
    r"eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}",
    ("turso", "libsql"),
    "https://app.turso.tech (Database > tokens: `turso db tokens invalidate`)",
    "TURSO_AUTH_TOKEN",
    severity=C,
)
P.named(
    "secret.mongodb-atlas-key",
    "MongoDB Atlas API private key assigned by name",
    r"(?:mongodb[_.-]?atlas|atlas)[\w.-]{0,20}?(?:private|secret)[\w.-]{0,10}?(?:key)?",
    UUID,
    ("mongodb_atlas", "mongodb-atlas", "atlas_private", "atlas-private", "atlasprivate", "atlas_api", "atlas_secret"),
    "https://cloud.mongodb.com (Organization Access Manager > API Keys)",
    "MONGODB_ATLAS_PRIVATE_KEY",
    severity=C,
    entropy=None,
)
P.token(
    "secret.clickhouse-cloud-key",
    "ClickHouse Cloud API secret key",
    r"4b1d[A-Za-z0-9]{38}",
    ("4b1d",),
    "https://clickhouse.cloud (Organization > API keys)",
    "CLICKHOUSE_KEY_SECRET",
    severity=C,
)
P.named(
    "secret.algolia-admin-key",
    "Algolia admin / write API key assigned by name",
    r"algolia[\w.-]{0,20}?(?:(?:admin|write|secret|api)[\w.-]{0,10}?key|token)",
    r"[0-9a-f]{32}",
    ("algolia",),
    "https://dashboard.algolia.com/account/api-keys",
    "ALGOLIA_ADMIN_KEY",
)
P.named(
    "secret.contentful-token",
    "Contentful delivery/management token assigned by name",
    r"contentful[\w.-]{0,20}?(?:token|key)",
    r"(?:CFPAT-)?[A-Za-z0-9_=-]{43}",
    ("contentful",),
    "https://app.contentful.com (Settings > API keys / CMA tokens)",
    "CONTENTFUL_ACCESS_TOKEN",
)
# ---- email and SMS
P.token(
    "secret.brevo-api-key",
    "Brevo (Sendinblue) API or SMTP key",
    r"x(?:keysib|smtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16}",
    ("xkeysib-", "xsmtpsib-"),
    "https://app.brevo.com/settings/keys/api",
    "BREVO_API_KEY",
)
P.named(
    "secret.vonage-api-secret",
    "Vonage (Nexmo) API secret assigned by name",
    r"(?:vonage|nexmo)[\w.-]{0,20}?secret",
    r"[A-Za-z0-9]{16}",
    ("vonage", "nexmo"),
    "https://dashboard.nexmo.com/settings (API settings > rotate the secret)",
    "VONAGE_API_SECRET",
    severity=C,
    what="the secret",
)
P.named(
    "secret.mailgun-signing-key",
    "Mailgun webhook signing key assigned by name",
    r"mailgun[\w.-]{0,20}?(?:signing|webhook)[\w.-]{0,10}?key",
    r"[0-9a-f]{32}",
    ("mailgun",),
    "https://app.mailgun.com/settings/webhooks (HTTP webhook signing key > Rotate)",
    "MAILGUN_SIGNING_KEY",
)
# ---- hosting and deploy
P.token(
    "secret.vercel-token",
    "Vercel access token",
    r"vc[pikar]_[A-Za-z0-9]{56}",
    ("vcp_", "vci_", "vck_", "vca_", "vcr_"),
    "https://vercel.com/account/settings/tokens",
    "VERCEL_TOKEN",
    severity=C,
)
P.named(
    "secret.vercel-legacy-token",
    "Vercel access token (legacy 24-character form) assigned by name",
    r"(?:vercel|now)[\w.-]{0,20}?token",
    r"[A-Za-z0-9]{24}",
    ("vercel", "now_token"),
    "https://vercel.com/account/settings/tokens",
    "VERCEL_TOKEN",
    severity=C,
    entropy=3.5,
    what="the token",
)
P.token(
    "secret.netlify-token",
    "Netlify personal access token",
    r"nf[pc]_[A-Za-z0-9]{36}(?:[0-9a-f]{4})?",
    ("nfp_", "nfc_"),
    "https://app.netlify.com/user/applications#personal-access-tokens",
    "NETLIFY_AUTH_TOKEN",
    severity=C,
)
P.named(
    "secret.netlify-legacy-token",
    "Netlify access token (legacy form) assigned by name",
    r"netlify[\w.-]{0,20}?token",
    r"[A-Za-z0-9_-]{40,46}",
    ("netlify",),
    "https://app.netlify.com/user/applications#personal-access-tokens",
    "NETLIFY_AUTH_TOKEN",
    severity=C,
    entropy=3.5,
    what="the token",
)
P.token(
    "secret.flyio-token",
    "Fly.io access or macaroon token",
    r"FlyV1 fm[12][ar]?_[A-Za-z0-9+/_=,-]{100,}|fm[12][ar]?_[A-Za-z0-9+/]{100,}={0,3}|fo1_[A-Za-z0-9_-]{43}",
    ("flyv1", "fm1", "fm2", "fo1_"),
    "https://fly.io/user/personal_access_tokens (or `fly tokens revoke`)",
    "FLY_API_TOKEN",
    severity=C,
    cased=("FlyV1", "fm1", "fm2", "fo1_"),
    heads=True,
)
P.token(
    "secret.render-api-key",
    "Render API key",
    r"rnd_[A-Za-z0-9]{32}",
    ("rnd_",),
    "https://dashboard.render.com/u/settings#api-keys",
    "RENDER_API_KEY",
    severity=C,
)
P.named(
    "secret.railway-token",
    "Railway API / project token assigned by name",
    r"railway[\w.-]{0,20}?token",
    UUID,
    ("railway",),
    "https://railway.com/account/tokens",
    "RAILWAY_TOKEN",
    severity=C,
    entropy=None,
    what="the token",
)
P.token(
    "secret.pulumi-token",
    "Pulumi access token",
    r"pul-[a-f0-9]{40}",
    ("pul-",),
    "https://app.pulumi.com/account/tokens",
    "PULUMI_ACCESS_TOKEN",
    severity=C,
)
P.token(
    "secret.scalingo-token",
    "Scalingo API token",
    r"tk-us-[A-Za-z0-9_-]{48}",
    ("tk-us-",),
    "https://dashboard.scalingo.com/account/tokens",
    "SCALINGO_API_TOKEN",
)
P.token(
    "secret.openshift-token",
    "OpenShift user token",
    r"sha256~[A-Za-z0-9_-]{43}",
    ("sha256~",),
    "your OpenShift console (oc delete oauthaccesstoken)",
    "OPENSHIFT_TOKEN",
)
# ---- productivity and developer APIs
P.token(
    "secret.notion-token",
    "Notion integration token",
    r"ntn_[A-Za-z0-9]{40,50}|secret_[A-Za-z0-9]{43}",
    ("ntn_", "secret_"),
    "https://www.notion.so/profile/integrations",
    "NOTION_TOKEN",
    entropy=3.5,
)
P.token(
    "secret.airtable-pat",
    "Airtable personal access token",
    r"pat[A-Za-z0-9]{14}\.[a-f0-9]{64}",
    ("airtable",),
    "https://airtable.com/create/tokens",
    "AIRTABLE_API_KEY",
)
P.named(
    "secret.airtable-legacy-key",
    "Airtable API key (legacy) assigned by name",
    r"airtable[\w.-]{0,20}?(?:key|token)",
    r"key[A-Za-z0-9]{14}",
    ("airtable",),
    "https://airtable.com/create/tokens",
    "AIRTABLE_API_KEY",
)
P.named(
    "secret.linear-client-secret",
    "Linear OAuth client secret assigned by name",
    r"linear[\w.-]{0,20}?(?:secret|key|token)",
    r"[a-f0-9]{32}",
    ("linear_", "linear-", "linearclient", "linearsecret", "linearapi", "lineartoken", "linearkey"),
    "https://linear.app/settings/api/applications",
    "LINEAR_CLIENT_SECRET",
    what="the secret",
)
P.token(
    "secret.postman-api-key",
    "Postman API key",
    r"PMAK-[a-f0-9]{24}-[a-f0-9]{34}",
    ("pmak-",),
    "https://go.postman.co/settings/me/api-keys",
    "POSTMAN_API_KEY",
)
P.token(
    "secret.readme-api-key",
    "ReadMe API key",
    r"rdme_[a-z0-9]{70}",
    ("rdme_",),
    "https://dash.readme.com (Configuration > API keys)",
    "README_API_KEY",
)
P.token(
    "secret.typeform-token",
    "Typeform personal access token",
    r"tfp_[A-Za-z0-9_.=-]{59}",
    ("tfp_",),
    "https://admin.typeform.com/account#/section/tokens",
    "TYPEFORM_TOKEN",
)
P.token(
    "secret.figma-token",
    "Figma personal access token",
    r"figd_[A-Za-z0-9_-]{40}",
    ("figd_",),
    "https://www.figma.com/settings (Personal access tokens)",
    "FIGMA_TOKEN",
)
P.token(
    "secret.adafruit-key",
    "Adafruit IO key",
    r"aio_[A-Za-z0-9]{28}",
    ("aio_",),
    "https://io.adafruit.com (My Key > Regenerate)",
    "ADAFRUIT_IO_KEY",
)
P.named(
    "secret.adafruit-legacy-key",
    "Adafruit IO key (legacy 32-character form) assigned by name",
    r"adafruit[\w.-]{0,20}?(?:key|token)",
    r"[a-z0-9]{32}",
    ("adafruit",),
    "https://io.adafruit.com (My Key > Regenerate)",
    "ADAFRUIT_IO_KEY",
    entropy=3.5,
)
# Authress service client access key: sc_<client>.<key id>.acc_<account>.<private key>
P.token(
    "secret.authress-access-key",
    "Authress service client access key",
    r"sc_[A-Za-z0-9]{5,30}\.[A-Za-z0-9]{4,6}\.acc[_-][A-Za-z0-9-]{5,32}\.[A-Za-z0-9+/_=-]{30,120}",
    ("sc_",),
    "your Authress account (Service clients > your client > delete the access key)",
    "AUTHRESS_SERVICE_CLIENT_ACCESS_KEY",
    severity=C,
)
P.token(
    "secret.frameio-token",
    "Frame.io developer token",
    r"fio-u-[A-Za-z0-9_=-]{64}",
    ("fio-u-",),
    "https://developer.frame.io/app/tokens",
    "FRAMEIO_TOKEN",
)
P.token(
    "secret.defined-networking-key",
    "Defined Networking API key",
    r"dnkey-[a-z0-9=_-]{26}-[a-z0-9=_-]{52}",
    ("dnkey-",),
    "https://admin.defined.net (API keys)",
    "DN_API_KEY",
)
P.token(
    "secret.dropbox-token",
    "Dropbox short-lived access token",
    r"sl\.(?:u\.)?[A-Za-z0-9_-]{130,1100}",
    ("sl.",),
    "https://www.dropbox.com/developers/apps (your app > regenerate)",
    "DROPBOX_TOKEN",
)
P.token(
    "secret.mapbox-secret-token",
    "Mapbox secret access token (not the public pk. token)",
    r"sk\.eyJ[A-Za-z0-9_-]{50,}\.[A-Za-z0-9_-]{20,}",
    ("sk.eyj",),
    "https://account.mapbox.com/access-tokens/",
    "MAPBOX_SECRET_TOKEN",
)
P.token(
    "secret.hubspot-token",
    "HubSpot private app access token",
    rf"pat-(?:na|eu)[0-9]-{UUID}",
    ("pat-na", "pat-eu"),
    "your HubSpot account (Settings > Integrations > Private Apps > rotate)",
    "HUBSPOT_ACCESS_TOKEN",
    entropy=None,
)
P.named(
    "secret.hubspot-api-key",
    "HubSpot API key (legacy) assigned by name",
    r"hubspot[\w.-]{0,20}?(?:key|token)",
    UUID,
    ("hubspot",),
    "your HubSpot account (Settings > Integrations > Private Apps)",
    "HUBSPOT_API_KEY",
    entropy=None,
)
P.token(
    "secret.instagram-access-token",
    "Instagram (Basic Display / Graph API) user access token",
    r"IGQV[A-Za-z0-9_-]{100,400}",
    ("igqv",),
    "https://developers.facebook.com/apps (your app > Instagram > revoke the token)",
    "INSTAGRAM_ACCESS_TOKEN",
    entropy=4.0,
)
# NATS NKEY seeds: base32, "S" then the key type, 58 characters; user, account and operator seeds
# (the ones applications and nsc configs hold; server and cluster seeds stay on the servers).
P.token(
    "secret.nats-nkey-seed",
    "NATS NKEY seed (the private half of an NKEY)",
    r"S[UAO]A[A-Z2-7]{55}",
    ("sua", "saa", "soa"),
    "your NATS operator / account (nsc: generate a new key and revoke the old one)",
    "NKEY_SEED",
    severity=C,
    entropy=3.5,
    what="the seed",
    cased=("SUA", "SAA", "SOA"),
    heads=True,
)
P.token(
    "secret.facebook-access-token",
    "Facebook / Meta (Instagram, WhatsApp) access token",
    r"(?<![+/])EAA[B-Z][A-Za-z0-9]{90,}(?![+/=])",
    ("eaa",),
    "https://developers.facebook.com/apps (your app: reset the token / app secret)",
    "FB_ACCESS_TOKEN",
    entropy=4.0,
    cased=("EAA",),
    heads=True,
)
P.named(
    "secret.facebook-app-secret",
    "Facebook / Meta app secret assigned by name",
    r"(?:facebook|fb|meta|instagram|whatsapp)[\w.-]{0,20}?(?:secret|token)",
    r"[0-9a-f]{32}",
    ("facebook", "fb_", "fb-", "meta_", "instagram", "whatsapp"),
    "https://developers.facebook.com/apps (your app > Settings > Basic > Reset app secret)",
    "FACEBOOK_APP_SECRET",
    what="the app secret",
)
P.named(
    "secret.twitter-secret",
    "X (Twitter) API key secret, access secret or bearer token assigned by name",
    r"(?:twitter|x_api|x_access|x_consumer|x_bearer)[\w.-]{0,20}?(?:secret|key|token)",
    r"AAAAAAAAAAAAAAAAAAAAA[A-Za-z0-9%]{60,120}|[0-9]{15,25}-[A-Za-z0-9]{20,40}|[A-Za-z0-9]{45,50}|[A-Za-z0-9]{25}",
    ("twitter", "x_api", "x_access", "x_consumer", "x_bearer"),
    "https://developer.x.com/en/portal/projects-and-apps (Keys and tokens > Regenerate)",
    "TWITTER_API_SECRET",
    entropy=3.5,
)
P.named(
    "secret.saas-api-key",
    "API key of a developer service assigned by its name (Asana, Beamer, Confluent, Etsy, Fastly, "
    "Flickr, Freshbooks, Intercom, LaunchDarkly, LinkedIn, Lob, Looker, MaxMind, NYTimes, RapidAPI, Squarespace, "
    "Trello, Zendesk, Authress, Sendbird)",
    # each name starts a word: `BLOB_READ_WRITE_TOKEN` is Vercel's, not Lob's
    r"(?<![A-Za-z])(?:asana|beamer|confluent|etsy|fastly|flickr|freshbooks|intercom|launchdarkly|linkedin|lob|looker|maxmind|nytimes"
    r"|rapidapi|squarespace|trello|zendesk|authress)[\w.-]{0,20}?(?:key|token|secret|pat)",
    r"(?:api-|sdk-)?[A-Za-z0-9_=+/-]{16,100}",
    (
        "asana",
        "beamer",
        "confluent",
        "etsy",
        "fastly",
        "flickr",
        "freshbooks",
        "intercom",
        "launchdarkly",
        "linkedin",
        "lob_api",
        "lob_key",
        "lob_secret",
        "lob_token",
        "lobtoken",
        "lobkey",
        "lobapi",
        "lobsecret",
        "looker",
        "maxmind",
        "nytimes",
        "rapidapi",
        "squarespace",
        "trello",
        "zendesk",
        "authress",
    ),
    "your provider's developer settings (revoke the key)",
    "ZENDESK_API_TOKEN",
    entropy=3.5,
)

P.named(
    "secret.meraki-api-key",
    "Cisco Meraki Dashboard API key assigned by name",
    r"(?-i:(?<![a-z])[Mm]eraki|MERAKI)[\w.-]{0,20}?(?:key|token|secret)?",
    r"[0-9a-f]{40}",
    ("meraki",),
    "your Meraki dashboard (My profile > API access > revoke)",
    "MERAKI_API_KEY",
    entropy=3.0,
)
# Sidekiq Pro / Enterprise: the gem server login (8 hex : 8 hex) Bundler reads from
# BUNDLE_<HOST> settings or a source URL (https://user:pass@gems.contribsys.com).
P.named(
    "secret.sidekiq-credentials",
    "Sidekiq Pro / Enterprise gem server credentials (Bundler setting)",
    r"BUNDLE_(?:GEMS|ENTERPRISE)__CONTRIBSYS__COM",
    r"[0-9a-f]{8}:[0-9a-f]{8}",
    ("contribsys__com",),
    "your Sidekiq Pro/Enterprise account (https://sidekiq.org: ask Contributed Systems to reissue them)",
    "BUNDLE_GEMS__CONTRIBSYS__COM",
    entropy=2.5,
    what="the credentials",
)
P.rules.append(
    Rule(
        id="secret.sidekiq-url",
        description="Sidekiq Pro / Enterprise gem server URL with its credentials",
        severity=C,
        keywords=("contribsys.com",),
        regex=r"(?<![\w.+-])https?://([0-9a-f]{8}:[0-9a-f]{8})@(?:gems|enterprise)\.contribsys\.com(?![\w-])",
        secret_group=1,
        entropy=2.5,
        password_like=True,
        fix=fix(
            "your Sidekiq Pro/Enterprise account (https://sidekiq.org: ask Contributed Systems to reissue them)",
            "the credentials",
        ),
    )
)
P.token(
    "secret.intra42-client-secret",
    "42 Intra OAuth application secret",
    r"s-s4t2(?:ud|af)-[0-9a-f]{64}",
    ("s-s4t2",),
    "https://profile.intra.42.fr/oauth/applications (your app > Replace secret)",
    "FT_CLIENT_SECRET",
    severity=C,
    what="the secret",
)
P.token(
    "secret.adobe-client-secret",
    "Adobe Developer Console client secret",
    r"p8e-[A-Za-z0-9_-]{32}",
    ("p8e-",),
    "https://developer.adobe.com/console (your project > OAuth credential > Retrieve client secret: reset)",
    "ADOBE_CLIENT_SECRET",
    what="the secret",
)
P.token(
    "secret.facebook-app-token",
    "Facebook app access token (app id | app secret or signature)",
    r"(?<![|\d])[0-9]{15,16}\|[A-Za-z0-9_-]{27,32}",
    ("facebook", "access_token", "fb_", "graph."),
    "https://developers.facebook.com/apps (your app > App settings > Basic > Reset the app secret)",
    "FACEBOOK_APP_TOKEN",
    severity=C,
    entropy=3.5,
)
# anchored on the provider's name (or the `access_token` parameter): digits and a bar alone are
# everywhere in code; the name may sit on the line above (`# Facebook app token`). history
# reads a whole text for it only where a token of its shape is (``line_trigger``): the names
# are on thousands of lines of a history ("graph." in every "paragraph."), the token on none.
P.rules[-1] = replace(P.rules[-1], window=256, line_trigger=r"[0-9]{15}\|[A-Za-z0-9_-]{27}")
P.token(
    "secret.docker-swarm-join-token",
    "Docker Swarm join token",
    r"SWMTKN-1-[a-z0-9]{50}-[a-z0-9]{25}",
    ("swmtkn-1-",),
    "your swarm manager (`docker swarm join-token --rotate worker|manager`)",
    "SWARM_JOIN_TOKEN",
    severity=C,
)
P.token(
    "secret.docker-swarm-unlock-key",
    "Docker Swarm unlock key",
    r"SWMKEY-1-[A-Za-z0-9+/]{43}",
    ("swmkey-1-",),
    "your swarm manager (`docker swarm unlock-key --rotate`)",
    "SWARM_UNLOCK_KEY",
    severity=C,
)
P.token(
    "secret.defined-networking-api-key",
    "Defined Networking (managed Nebula) API key",
    r"dnkey-[A-Z0-9]{26}-[A-Z0-9]{52}",
    ("dnkey-",),
    "https://admin.defined.net (Settings > API keys: delete the key)",
    "DN_API_KEY",
    severity=C,
)
P.token(
    "secret.wundergraph-cosmo-key",
    "WunderGraph Cosmo API key",
    r"cosmo_[0-9a-f]{32}",
    ("cosmo_",),
    "https://cosmo.wundergraph.com (your organization > API keys: delete the key)",
    "COSMO_API_KEY",
)
P.token(
    "secret.twitter-bearer-token",
    "X (Twitter) app-only bearer token",
    # 21-22 zero bytes in base64, then the token; issued tokens carry URL-encoded `+`, `/` or `=`
    r"(?<![+/])A{20,22}(?=[A-Za-z0-9%]*%[23][BDFbdf])[A-Za-z0-9%]{80,160}(?![+/=])",
    ("aaaaaaaaaaaaaaaaaaaa",),
    "https://developer.x.com/en/portal/projects-and-apps (Keys and tokens > Bearer token > Regenerate)",
    "TWITTER_BEARER_TOKEN",
    severity=C,
    cased=("A" * 20,),
    heads=True,
)
# the generated true sample spells the URL-encoded characters out (the sampler reads no lookahead)
P.samples["secret.twitter-bearer-token"] = (
    "X_APP_ONLY_AUTH",
    r"A{22}[A-Za-z0-9]{30}%2B[A-Za-z0-9]{40}%3D[A-Za-z0-9]{20}",
)
P.token(
    "secret.salesforce-access-token",
    "Salesforce access token or session id (org id ! token)",
    r"00D[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?![A-Za-z0-9._]{80,200}",
    ("00d",),
    "your Salesforce org (Setup > Session Management: remove the session; Connected Apps OAuth Usage: revoke)",
    "SF_ACCESS_TOKEN",
    severity=C,
)
P.token(
    "secret.dropbox-long-lived-token",
    "Dropbox long-lived access token",
    r"(?<![+/])[A-Za-z0-9]{11}AAAAAAAAAA[A-Za-z0-9_=-]{43}(?![+/=])",
    ("aaaaaaaaaa",),
    "https://www.dropbox.com/developers/apps (your app > generated access token: revoke)",
    "DROPBOX_ACCESS_TOKEN",
    severity=C,
)
P.named(
    "secret.dropbox-app-secret",
    "Dropbox app key or secret assigned by name",
    r"dropbox[\w.-]{0,20}?(?:secret|token|key)",
    r"[a-z0-9]{15}",
    ("dropbox",),
    "https://www.dropbox.com/developers/apps (your app > Settings: reset the app secret)",
    "DROPBOX_APP_SECRET",
    entropy=2.8,
    what="the secret",
)
P.rules.append(
    Rule(
        id="secret.vault-legacy-token",
        description="HashiCorp Vault service token (legacy `s.` form) assigned to a token name",
        severity=C,
        # the value's own head after an assignment: `token` alone is in every other line of code
        keywords=(": s.", "=s.", "= s.", '"s.', "'s."),
        cased_keywords=(": s.", "=s.", "= s.", '"s.', "'s."),  # the token's `s.` is lower case
        regex=r"(?i:(?:vault[\w.-]{0,20}?)?token)"
        + r"""[\w.-]{0,40}?["']?\s*(?:=|:|=>|:=)\s*["'`]?(s\.[A-Za-z0-9]{24})(?![A-Za-z0-9_-])""",
        secret_group=1,
        entropy=3.5,
        precheck=r"s\.[A-Za-z0-9]{24}",
        password_like=True,
        fix=fix("your Vault server (`vault token revoke <token>`)", "the token"),
    )
)

RULES: tuple[Rule, ...] = tuple(P.rules)
SAMPLES = P.samples
