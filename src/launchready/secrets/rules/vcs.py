"""Code hosting, CI/CD and package registries beyond GitHub/GitLab/npm/PyPI basics (``cloud.py``,
``saas.py``): Atlassian/Bitbucket, JFrog, SonarQube/SonarCloud, CircleCI, Buildkite, Azure
DevOps, Docker Hub, Terraform Cloud, RubyGems, NuGet, Clojars, Sourcegraph, Harness, Prefect ..."""

from __future__ import annotations

from launchready.secrets.rule import Rule
from launchready.secrets.rules._common import UUID, C, Pack

P = Pack()
P.token(
    "secret.gitlab-runner-registration-token",
    "GitLab runner registration token (legacy)",
    r"GR1348941[A-Za-z0-9_-]{20}",
    ("gr1348941",),
    "your GitLab project or group (Settings > CI/CD > Runners > reset the registration token)",
    "RUNNER_REGISTRATION_TOKEN",
)
P.token(
    "secret.gitlab-session-cookie",
    "GitLab session cookie",
    r"_gitlab_session=[0-9a-z]{32}",
    ("_gitlab_session=",),
    "your GitLab instance (sign out every session: User Settings > Active sessions)",
    "COOKIE",
    what="the session",
)
P.token(
    "secret.atlassian-api-token",
    "Atlassian (Jira, Confluence, Bitbucket) API token",
    r"ATATT3[A-Za-z0-9_=-]{180,200}",
    ("atatt3",),
    "https://id.atlassian.com/manage-profile/security/api-tokens",
    "JIRA_API_TOKEN",
    severity=C,
)
P.token(
    "secret.bitbucket-app-password",
    "Bitbucket app password",
    r"ATBB[A-Za-z0-9_=.-]{32}",
    ("atbb",),
    "https://bitbucket.org/account/settings/app-passwords/",
    "BITBUCKET_APP_PASSWORD",
    what="the app password",
)
P.token(
    "secret.bitbucket-access-token",
    "Bitbucket repository, project or workspace access token",
    r"ATCTT3[A-Za-z0-9_=-]{180,200}",
    ("atctt3",),
    "your Bitbucket repository (Repository settings > Access tokens)",
    "BITBUCKET_TOKEN",
)
# GitHub's stateless installation tokens (staged rollout from April 2026): `ghs_<app id>_<JWT>`,
# about 520 characters, signed by GitHub; no CRC32 at the end like the 40-character form.
P.token(
    "secret.github-app-installation-jwt",
    "GitHub App installation token (stateless ghs_<app id>_<JWT> form)",
    r"ghs_[0-9]{1,12}_eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}",
    ("ghs_",),
    "https://github.com/settings/apps (your app > revoke the installation token; it also expires within an hour)",
    "GITHUB_TOKEN",
    severity=C,
)
P.token(
    "secret.bitbucket-http-access-token",
    "Bitbucket Data Center / Server HTTP access token",
    r"BBDC-[A-Za-z0-9+/_-]{44}",
    ("bbdc-",),
    "your Bitbucket Data Center (Manage account / Repository settings > HTTP access tokens: revoke)",
    "BITBUCKET_TOKEN",
    severity=C,
)
P.named(
    "secret.atlassian-legacy-token",
    "Atlassian API token (legacy 24-character form)",
    r"(?:atlassian|jira|confluence)[\w.-]{0,20}?(?:token|key|secret|pass)",
    r"[A-Za-z0-9]{24}",
    ("atlassian", "jira", "confluence"),
    "https://id.atlassian.com/manage-profile/security/api-tokens",
    "JIRA_API_TOKEN",
    entropy=3.5,
)
P.named(
    "secret.bitbucket-client-secret",
    "Bitbucket OAuth consumer secret",
    r"bitbucket[\w.-]{0,20}?(?:secret|token|key|pass)",
    r"[A-Za-z0-9=_-]{32,64}",
    ("bitbucket",),
    "your Bitbucket workspace (Settings > OAuth consumers)",
    "BITBUCKET_CLIENT_SECRET",
    entropy=3.5,
    what="the secret",
)
# Every JFrog access token (a JWT) starts with its header `{"ver":"2","typ":"JWT","alg":"RS256","kid":"`.
# The keyword is this head in lower case, written out by hand it had a typo (`uv` for `ul`): the
# rule never ran on one.
_JFROG_JWT = "eyJ2ZXIiOiIyIiwidHlwIjoiSldUIiwiYWxnIjoiUlMyNTYiLCJraWQiOi"
P.token(
    "secret.jfrog-api-key",
    "JFrog Artifactory API key",
    r"AKCp[1-9A-HJ-NP-Za-km-z]{69}",
    ("akcp",),
    "your JFrog platform (Edit Profile > API Key: revoke)",
    "ARTIFACTORY_API_KEY",
)
P.token(
    "secret.jfrog-identity-token",
    "JFrog access / identity / reference token",
    rf"cmVmdGtuOjAxOj[A-Za-z0-9]{{40,80}}|{_JFROG_JWT}[A-Za-z0-9_.-]{{100,1200}}",
    ("cmvmdgtu", _JFROG_JWT.lower()),
    "your JFrog platform (User Management > Access Tokens: revoke)",
    "JFROG_ACCESS_TOKEN",
)
P.named(
    "secret.jfrog-named-token",
    "JFrog / Artifactory token or password assigned by name",
    # the product name alone will do for a value this long (`("artifactory", "<64 characters>")`)
    r"(?:jfrog|artifactory|bintray|xray)(?:[\w.-]{0,20}?(?:token|key|secret|pass(?:word)?))?",
    r"[A-Za-z0-9]{64,73}",
    ("jfrog", "artifactory", "bintray", "xray"),
    "your JFrog platform (User Management > Access Tokens)",
    "ARTIFACTORY_TOKEN",
    entropy=3.5,
)
P.token(
    "secret.sonar-token",
    "SonarQube / SonarCloud token",
    r"sq[pua]_[0-9a-f]{40}",
    ("sqp_", "squ_", "sqa_"),
    "your SonarQube/SonarCloud account (My Account > Security)",
    "SONAR_TOKEN",
)
P.named(
    "secret.sonar-legacy-token",
    "SonarQube / SonarCloud token (no prefix) assigned by name",
    r"sonar[\w.-]{0,20}?(?:token|key|login|secret)",
    r"[0-9a-f]{40}",
    ("sonar",),
    "your SonarQube/SonarCloud account (My Account > Security)",
    "SONAR_TOKEN",
)
P.token(
    "secret.circleci-token",
    "CircleCI personal or project API token",
    r"CCIP[AR]T_[A-Za-z0-9]{22}_[0-9a-f]{40}",
    ("ccipat_", "cciprt_"),
    "https://app.circleci.com/settings/user/tokens",
    "CIRCLECI_TOKEN",
)
P.named(
    "secret.circleci-legacy-token",
    "CircleCI API token (legacy 40-hex form) assigned by name",
    r"circle[\w.-]{0,20}?(?:token|key|secret)",
    r"[0-9a-f]{40}",
    ("circleci", "circle_token", "circle-token", "circletoken"),
    "https://app.circleci.com/settings/user/tokens",
    "CIRCLECI_TOKEN",
)
P.token(
    "secret.buildkite-token",
    "Buildkite API access token",
    r"bkua_[0-9a-f]{40}",
    ("bkua_",),
    "https://buildkite.com/user/api-access-tokens",
    "BUILDKITE_API_TOKEN",
)
P.named(
    "secret.buildkite-agent-token",
    "Buildkite agent token assigned by name",
    r"buildkite[\w.-]{0,20}?(?:token|key|secret)",
    r"[0-9a-f]{50}",
    ("buildkite",),
    "your Buildkite organization (Agents > Agent Tokens)",
    "BUILDKITE_AGENT_TOKEN",
)
P.named(
    "secret.azure-devops-pat",
    "Azure DevOps personal access token assigned by name",
    r"(?:azure[_.-]?devops|ado|vsts|azdo|system[_.-]?accesstoken)[\w.-]{0,20}?(?:pat|token|key|secret|pass)",
    r"[a-z2-7]{52}|[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4}",
    ("devops", "ado_", "ado-", "vsts", "azdo", "accesstoken"),
    "https://dev.azure.com (User settings > Personal access tokens > Revoke)",
    "AZURE_DEVOPS_PAT",
    severity=C,
)
P.token(
    "secret.docker-hub-token",
    "Docker Hub personal or organization access token",
    r"dckr_(?:pat|oat)_[A-Za-z0-9_-]{27}",
    ("dckr_pat_", "dckr_oat_"),
    "https://app.docker.com/settings/personal-access-tokens",
    "DOCKERHUB_TOKEN",
)
P.token(
    "secret.terraform-cloud-token",
    "Terraform Cloud / HCP Terraform API token",
    r"[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}",
    (".atlasv1.",),
    "https://app.terraform.io/app/settings/tokens",
    "TFE_TOKEN",
    severity=C,
)
P.token(
    "secret.rubygems-token",
    "RubyGems API key",
    r"rubygems_[0-9a-f]{48}",
    ("rubygems_",),
    "https://rubygems.org/profile/api_keys",
    "GEM_HOST_API_KEY",
    what="the API key",
)
P.token(
    "secret.nuget-api-key",
    "NuGet.org API key",
    r"oy2[a-z0-9]{43}",
    ("oy2",),
    "https://www.nuget.org/account/apikeys",
    "NUGET_API_KEY",
    entropy=3.5,
)
P.token(
    "secret.clojars-token",
    "Clojars deploy token",
    r"CLOJARS_[a-z0-9]{60}",
    ("clojars_",),
    "https://clojars.org/tokens",
    "CLOJARS_PASSWORD",
)
P.token(
    "secret.sourcegraph-token",
    "Sourcegraph access token",
    r"sgp_(?:[a-fA-F0-9]{16}_|local_)?[a-fA-F0-9]{40}",
    ("sgp_",),
    "your Sourcegraph instance (Settings > Access tokens)",
    "SRC_ACCESS_TOKEN",
)
P.token(
    "secret.harness-token",
    "Harness personal access or service account token",
    r"(?:pat|sat)\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20}",
    ("pat.", "sat."),
    "your Harness account (My Profile > My API Keys)",
    "HARNESS_API_KEY",
    cased=("pat.", "sat."),
    heads=True,
)
P.token(
    "secret.prefect-token",
    "Prefect Cloud API key",
    r"pnu_[A-Za-z0-9]{36}",
    ("pnu_",),
    "https://app.prefect.cloud/my/api-keys",
    "PREFECT_API_KEY",
)
P.token(
    "secret.infracost-token",
    "Infracost API key",
    r"(?<![./])ico-[A-Za-z0-9]{32}",
    ("ico-",),
    "https://dashboard.infracost.io (Org Settings > API key)",
    "INFRACOST_API_KEY",
)
P.token(
    "secret.settlemint-token",
    "SettleMint access token",
    r"sm_(?:pat|aat|sat)_[A-Za-z0-9]{16}",
    ("sm_pat_", "sm_aat_", "sm_sat_"),
    "your SettleMint console (Personal access tokens / Application access tokens)",
    "SETTLEMINT_TOKEN",
)
P.named(
    "secret.snyk-token",
    "Snyk API token",
    r"snyk[\w.-]{0,20}?(?:token|key|secret)",
    UUID,
    ("snyk",),
    "https://app.snyk.io/account",
    "SNYK_TOKEN",
    entropy=None,
)
P.named(
    "secret.codecov-token",
    "Codecov upload or API token",
    r"codecov[\w.-]{0,20}?(?:token|key|secret)",
    rf"{UUID}|[a-z0-9]{{32}}",
    ("codecov",),
    "your Codecov repository settings (regenerate the token)",
    "CODECOV_TOKEN",
    entropy=None,
)
P.named(
    "secret.droneci-token",
    "Drone CI access token",
    r"drone[\w.-]{0,20}?(?:token|key|secret)",
    r"[A-Za-z0-9]{32}",
    ("drone",),
    "your Drone server (Account settings > token)",
    "DRONE_TOKEN",
)
P.named(
    "secret.travisci-token",
    "Travis CI access token",
    r"travis[\w.-]{0,20}?(?:token|key|secret)",
    r"[A-Za-z0-9]{22}",
    ("travis",),
    "https://app.travis-ci.com/account/preferences (regenerate the token)",
    "TRAVIS_TOKEN",
)
P.named(
    "secret.gitter-token",
    "Gitter access token",
    r"gitter[\w.-]{0,20}?(?:token|key|secret)",
    r"[a-z0-9_-]{40}",
    ("gitter",),
    "https://developer.gitter.im/apps",
    "GITTER_TOKEN",
)
P.named(
    "secret.sourcegraph-legacy-token",
    "Sourcegraph access token (legacy 40-hex form, without the sgp_ prefix)",
    r"(?<![a-z])sourcegraph(?:[\w.-]{0,20}?(?:token|key|secret))?",
    r"[0-9a-fA-F]{40}",
    ("sourcegraph",),
    "your Sourcegraph instance (Settings > Access tokens: delete the token)",
    "SOURCEGRAPH_TOKEN",
    what="the token",
)

RULES: tuple[Rule, ...] = tuple(P.rules)
SAMPLES = P.samples
