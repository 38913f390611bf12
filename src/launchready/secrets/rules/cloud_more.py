"""Cloud credentials beyond ``cloud.py``: AWS session tokens and Bedrock keys, Azure (AD client
secrets, storage keys, SAS, connection strings), Google OAuth tokens, Alibaba, IBM, Oracle,
Yandex, Fastly."""

from __future__ import annotations

from launchready.secrets.rule import Rule
from launchready.secrets.rules._common import C, Pack

P = Pack()
P.named(
    "secret.aws-session-token",
    "AWS session token assigned by name",
    r"aws[\w.-]{0,20}?session[\w.-]{0,10}?token|security[_-]?token",
    r"[A-Za-z0-9/+=]{100,1200}",
    ("session_token", "sessiontoken", "session-token", "security_token", "security-token"),
    "https://console.aws.amazon.com/iam (revoke active sessions of the role)",
    "AWS_SESSION_TOKEN",
    severity=C,
    entropy=4.0,
    what="the session (revoke it)",
)
P.token(
    "secret.aws-bedrock-api-key",
    "Amazon Bedrock API key",
    r"ABSK[A-Za-z0-9+/]{109,269}={0,2}|bedrock-api-key-[A-Za-z0-9+/]{100,2000}={0,2}",
    ("absk", "bedrock-api-key-"),
    "https://console.aws.amazon.com/bedrock (API keys > revoke)",
    "AWS_BEARER_TOKEN_BEDROCK",
    severity=C,
)
P.token(
    "secret.azure-ad-client-secret",
    "Azure AD / Entra ID application client secret",
    r"(?<![~.])[A-Za-z0-9_.~-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}(?![~.])",
    ("q~",),
    "https://portal.azure.com (App registrations > your app > Certificates & secrets)",
    "AZURE_CLIENT_SECRET",
    severity=C,
    entropy=3.5,
    what="the client secret",
    cased=("Q~",),
)
P.token(
    "secret.azure-storage-key",
    "Azure storage account key or shared access key in a connection string",
    r"(?:AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{43,86}={1,2}",
    ("accountkey=", "sharedaccesskey="),
    "https://portal.azure.com (Storage account > Access keys > Rotate; Service Bus/Event Hubs > Shared access policies)",
    "AZURE_STORAGE_CONNECTION_STRING",
    severity=C,
    entropy=4.0,
)
P.token(
    "secret.azure-sas-token",
    "Azure shared access signature (SAS) token",
    r"sv=20\d\d-\d\d-\d\d&[A-Za-z0-9&=%:._-]{0,200}?sig=[A-Za-z0-9%+/]{40,90}(?:%3D|=)",
    ("sig=",),
    "https://portal.azure.com (rotate the storage account key the SAS was signed with, or revoke its stored access policy)",
    "AZURE_SAS",
    severity=C,
    entropy=3.5,
    what="the SAS",
)
P.token(
    "secret.google-oauth-token",
    "Google OAuth access or refresh token",
    r"ya29\.[A-Za-z0-9_-]{40,}|1//0[A-Za-z0-9_-]{40,}",
    ("ya29.", "1//0"),
    "https://myaccount.google.com/permissions (remove the app's access)",
    "GOOGLE_REFRESH_TOKEN",
    severity=C,
)
P.token(
    "secret.alibaba-access-key-id",
    "Alibaba Cloud AccessKey ID",
    r"LTAI[A-Za-z0-9]{12,20}",
    ("ltai",),
    "https://ram.console.aliyun.com/manage/ak",
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    entropy=3.5,
    what="the AccessKey pair",
)
P.named(
    "secret.alibaba-secret",
    "Alibaba Cloud AccessKey secret assigned by name",
    r"(?:alibaba|aliyun|alicloud)[\w.-]{0,20}?(?:secret|key|token)",
    r"[A-Za-z0-9]{30}",
    ("alibaba", "aliyun", "alicloud"),
    "https://ram.console.aliyun.com/manage/ak",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    severity=C,
    entropy=3.5,
    what="the AccessKey pair",
)
P.named(
    "secret.ibm-cloud-api-key",
    "IBM Cloud API key assigned by name",
    r"ibm[\w.-]{0,20}?(?:key|token|secret)",
    r"[A-Za-z0-9_-]{44}",
    ("ibm",),
    "https://cloud.ibm.com/iam/apikeys",
    "IBM_CLOUD_API_KEY",
    severity=C,
    entropy=3.5,
)
P.named(
    "secret.oracle-cloud-key",
    "Oracle Cloud (OCI) auth token or customer secret key assigned by name",
    r"(?:oci|oracle)[\w.-]{0,20}?(?:secret|token|pass)",
    r"[A-Za-z0-9+/=;:.<>()\[\]{}_-]{20,44}",
    ("oci_", "oci-", "oracle"),
    "your OCI console (Identity > Users > Auth Tokens / Customer Secret Keys)",
    "OCI_AUTH_TOKEN",
    severity=C,
    entropy=3.8,
)
P.token(
    "secret.yandex-key",
    "Yandex Cloud API key, IAM token or static access key",
    r"AQVN[A-Za-z0-9_-]{35,38}|t1\.[A-Za-z0-9_-]+={0,2}\.[A-Za-z0-9_-]{86}={0,2}",
    ("aqvn", "t1."),
    "https://console.yandex.cloud (Service accounts > keys)",
    "YC_API_KEY",
    entropy=3.5,
)
# Cloudflare's scannable credentials (developers.cloudflare.com/fundamentals/api/get-started/token-formats):
# cfk_ (Global API Key), cfut_ (user API token), cfat_ (account API token), then 40 characters and a
# checksum (its algorithm is not published, so it is not verified here).
P.token(
    "secret.cloudflare-scannable-token",
    "Cloudflare API token or Global API Key (scannable cfut_/cfat_/cfk_ format)",
    r"cf(?:ut|at|k)_[A-Za-z0-9]{44,56}",
    ("cfut_", "cfat_", "cfk_"),
    "https://dash.cloudflare.com/profile/api-tokens (Roll, or delete the token)",
    "CLOUDFLARE_API_TOKEN",
    severity=C,
    entropy=3.5,
)
# The secret half of a Yandex Cloud static access key (the S3-compatible one) starts YC.
P.named(
    "secret.yandex-static-secret",
    "Yandex Cloud static access key secret assigned by name",
    r"(?:yandex|yc)[\w.-]{0,20}?(?:secret|key|token)",
    r"YC[A-Za-z0-9_-]{38}",
    ("yandex", "yc_", "yc-"),
    "https://console.yandex.cloud (Service accounts > static access keys)",
    "YANDEX_STATIC_SECRET",
    severity=C,
    entropy=3.5,
)
P.named(
    "secret.fastly-token",
    "Fastly API token assigned by name",
    r"fastly[\w.-]{0,20}?(?:token|key)",
    r"[A-Za-z0-9_-]{32}",
    ("fastly",),
    "https://manage.fastly.com/account/personal/tokens",
    "FASTLY_API_TOKEN",
    severity=C,
    entropy=3.5,
)
P.token(
    "secret.akamai-edgegrid-token",
    "Akamai EdgeGrid client or access token",
    r"akab-[a-z0-9]{16}-[a-z0-9]{16}",
    ("akab-",),
    "https://control.akamai.com (Identity & Access > API clients: rotate the credential)",
    "AKAMAI_CLIENT_TOKEN",
    severity=C,
)

RULES: tuple[Rule, ...] = tuple(P.rules)
SAMPLES = P.samples
