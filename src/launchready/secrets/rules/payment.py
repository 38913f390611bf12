"""Payments and commerce beyond Stripe (``saas.py``): Square, PayPal/Braintree, Adyen, Razorpay,
Polar, Paddle, Lemon Squeezy, GoCardless, Plaid, Flutterwave, Shippo, EasyPost, Duffel, crypto exchanges."""

from __future__ import annotations

from launchready.secrets.rule import Rule
from launchready.secrets.rules._common import C, L, Pack

P = Pack()
P.token(
    "secret.square-access-token",
    "Square access token",
    r"(?:EAAA|sq0atp-)[A-Za-z0-9_-]{22,60}",
    ("eaaa", "sq0atp-"),
    "https://developer.squareup.com/apps (your app > Credentials > Replace)",
    "SQUARE_ACCESS_TOKEN",
    severity=C,
    entropy=3.5,
    cased=("EAAA", "sq0atp-"),
    heads=True,
)
P.token(
    "secret.square-application-secret",
    "Square OAuth application secret",
    r"sq0csp-[A-Za-z0-9_-]{43}",
    ("sq0csp-",),
    "https://developer.squareup.com/apps (your app > OAuth > Replace secret)",
    "SQUARE_APP_SECRET",
    severity=C,
    what="the secret",
)
P.token(
    "secret.braintree-access-token",
    "PayPal Braintree access token",
    r"access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32}",
    ("access_token$",),
    "https://www.braintreegateway.com (Settings > API > revoke the key)",
    "BRAINTREE_ACCESS_TOKEN",
    severity=C,
)
P.named(
    "secret.paypal-client-secret",
    "PayPal REST client secret assigned by name",
    r"paypal[\w.-]{0,20}?secret",
    r"E[A-Za-z0-9_-]{79}",
    ("paypal",),
    "https://developer.paypal.com/dashboard/applications (your app > Secret > Generate)",
    "PAYPAL_CLIENT_SECRET",
    severity=C,
    what="the secret",
)
P.named(
    "secret.adyen-api-key",
    "Adyen API key assigned by name",
    r"adyen[\w.-]{0,20}?(?:key|token|secret)",
    r"AQE[A-Za-z0-9+/=_.-]{100,300}",
    ("adyen",),
    "your Adyen Customer Area (Developers > API credentials > generate a new key)",
    "ADYEN_API_KEY",
    severity=C,
)
P.named(
    "secret.razorpay-key-secret",
    "Razorpay key secret assigned by name",
    r"razorpay[\w.-]{0,20}?secret",
    r"[A-Za-z0-9]{24}",
    ("razorpay",),
    "https://dashboard.razorpay.com/app/website-app-settings/api-keys (Regenerate)",
    "RAZORPAY_KEY_SECRET",
    severity=C,
    what="the key secret",
)
P.token(
    "secret.polar-access-token",
    "Polar access token (personal, organization, OAuth or customer session)",
    r"polar_(?:pat|oat|at_[uo]|rt_[uo]|cst)_[A-Za-z0-9_-]{32,64}",
    ("polar_pat_", "polar_oat_", "polar_at_", "polar_rt_", "polar_cst_"),
    "https://polar.sh/dashboard (your organization > Settings > Developers, or your account settings)",
    "POLAR_ACCESS_TOKEN",
    severity=C,
    entropy=3.5,
)
P.token(
    "secret.paddle-api-key",
    "Paddle Billing API key",
    r"pdl_(?:live|sdbx)_apikey_[a-z0-9]{26}_[A-Za-z0-9]{22}_[A-Za-z0-9]{3}",
    ("pdl_live_", "pdl_sdbx_"),
    "https://vendors.paddle.com/authentication-v2",
    "PADDLE_API_KEY",
    severity=C,
)
P.named(
    "secret.lemonsqueezy-api-key",
    "Lemon Squeezy API key assigned by name",
    r"lemon[_.-]?squeezy[\w.-]{0,20}?(?:key|token|secret)",
    r"eyJ[A-Za-z0-9_-]{20,}\.eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}",
    ("lemonsqueezy", "lemon_squeezy", "lemon-squeezy"),
    "https://app.lemonsqueezy.com/settings/api",
    "LEMONSQUEEZY_API_KEY",
    severity=C,
)
P.token(
    "secret.gocardless-token",
    "GoCardless access token",
    r"(?:live|sandbox)_[A-Za-z0-9_=-]{40}",
    ("gocardless",),
    "https://manage.gocardless.com/developers/access-tokens",
    "GOCARDLESS_ACCESS_TOKEN",
    severity=C,
    entropy=3.5,
)
P.token(
    "secret.plaid-access-token",
    "Plaid item access token",
    r"access-(?:development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    ("access-development-", "access-production-"),
    "https://dashboard.plaid.com (remove the Item / rotate with /item/access_token/invalidate)",
    "PLAID_ACCESS_TOKEN",
    severity=C,
    entropy=None,
)
# A sandbox Item holds Plaid's test institutions, not a bank account: low, as Stripe's test keys
# (recorded API responses, VCR cassettes, are full of them).
P.token(
    "secret.plaid-sandbox-access-token",
    "Plaid sandbox item access token (test institutions only)",
    r"access-sandbox-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    ("access-sandbox-",),
    "https://dashboard.plaid.com (sandbox: /item/access_token/invalidate)",
    "PLAID_ACCESS_TOKEN",
    severity=L,
    entropy=None,
)
P.named(
    "secret.plaid-secret",
    "Plaid client secret assigned by name",
    r"plaid[\w.-]{0,20}?(?:secret|key|token)",
    r"[a-z0-9]{30}",
    ("plaid",),
    "https://dashboard.plaid.com/developers/keys",
    "PLAID_SECRET",
    severity=C,
    what="the secret",
)
P.token(
    "secret.flutterwave-key",
    "Flutterwave secret or encryption key",
    r"FLWSECK(?:_TEST)?-[0-9a-h]{12}(?:[0-9a-h]{20}-X)?",
    ("flwseck",),
    "https://app.flutterwave.com/dashboard/settings/apis",
    "FLUTTERWAVE_SECRET_KEY",
    severity=C,
)
P.token(
    "secret.shippo-token",
    "Shippo API token",
    r"shippo_(?:live|test)_[0-9a-f]{40}",
    ("shippo_",),
    "https://apps.goshippo.com/settings/api",
    "SHIPPO_API_TOKEN",
)
P.token(
    "secret.easypost-api-key",
    "EasyPost API key",
    r"EZ[AT]K[0-9a-zA-Z]{54}",
    ("ezak", "eztk"),
    "https://www.easypost.com/account/api-keys",
    "EASYPOST_API_KEY",
)
P.token(
    "secret.duffel-token",
    "Duffel API token",
    r"duffel_(?:test|live)_[A-Za-z0-9_=-]{43}",
    ("duffel_",),
    "https://app.duffel.com (Developers > Access tokens)",
    "DUFFEL_ACCESS_TOKEN",
)
P.named(
    "secret.crypto-exchange-key",
    "Crypto exchange API secret (Coinbase, Kraken, KuCoin, Bittrex, Binance) assigned by name",
    r"(?:coinbase|kraken|kucoin|bittrex|binance)[\w.-]{0,20}?(?:secret|key|token)",
    r"[A-Za-z0-9/+=_-]{64,100}|[A-Za-z0-9]{32}|[0-9a-f]{24}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    ("coinbase", "kraken", "kucoin", "bittrex", "binance"),
    "your exchange account (API management > delete the key)",
    "KRAKEN_API_SECRET",
    severity=C,
    entropy=3.0,
)
P.named(
    "secret.finance-api-key",
    "Finance data API key (Finicity, Finnhub) assigned by name",
    r"(?:finicity|finnhub)[\w.-]{0,20}?(?:secret|key|token)",
    r"[a-z0-9]{20,32}",
    ("finicity", "finnhub"),
    "your provider's developer dashboard (regenerate the key)",
    "FINNHUB_API_KEY",
)

RULES: tuple[Rule, ...] = tuple(P.rules)
SAMPLES = P.samples
