"""HTTP for live checks: one session factory, ``--resolve`` and ``--ca-bundle``, budgets, dry runs.

``make_session(options)`` is the public entry point other areas import (the email checks use
it for MTA-STS fetches). ``--resolve HOST:PORT:ADDR`` works like curl's: the connection goes
to ADDR, while the Host header, TLS SNI and certificate verification still use HOST.
``open_socket`` gives raw TLS probes the same override.

``Client`` wraps a session for the checks: it counts every request against the run's request
and time budgets and a per-check cap, caps response bodies, and returns ``Fetched`` values
(status, headers, body, timing) instead of live response objects.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import requests.auth
import requests.cookies
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_auth_from_url
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from launchready import __version__, redact
from launchready.errors import UsageError

USER_AGENT = f"launchready/{__version__} (+https://github.com/launchready/launchready)"
MAX_BODY = 2 * 1024 * 1024  # bytes read from any response
SENSITIVE_HEADERS = {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}

ResolveMap = dict[tuple[str, int], str]


def parse_resolve(spec: str) -> tuple[str, int, str]:
    """``HOST:PORT:ADDR`` (ADDR may be ``[::1]`` or ``::1``) -> (host, port, addr)."""
    parts = spec.split(":", 2)
    if len(parts) != 3 or not parts[0] or not parts[2]:
        raise UsageError(f"--resolve {spec!r}: expected HOST:PORT:ADDR (e.g. example.com:443:127.0.0.1)")
    host, port_s, addr = parts
    try:
        port = int(port_s)
    except ValueError:
        raise UsageError(f"--resolve {spec!r}: port {port_s!r} is not a number") from None
    if not 0 < port < 65536:
        raise UsageError(f"--resolve {spec!r}: port out of range")
    addr = addr.strip()
    if addr.startswith("[") and addr.endswith("]"):
        addr = addr[1:-1]
    return host.lower().rstrip("."), port, addr


def resolve_map(specs: list[str]) -> ResolveMap:
    out: ResolveMap = {}
    for spec in specs:
        host, port, addr = parse_resolve(spec)
        out[(host, port)] = addr
    return out


@dataclass(frozen=True)
class HttpOptions:
    """Everything a session needs; built once from flags and config."""

    ca_bundle: str | None = None
    resolve: Mapping[tuple[str, int], str] = field(default_factory=dict)
    timeout: float = 10.0
    user_agent: str = USER_AGENT
    headers: Mapping[str, str] = field(default_factory=dict)  # live.headers: to credential_origins only
    basic_auth: tuple[str, str] | None = None  # to credential_origins only
    trust_env: bool = True  # proxies (HTTP(S)_PROXY, NO_PROXY) from the environment
    # Origins (``scheme://host:port``) that may receive live.headers, basic_auth and
    # identity credentials: the configured targets. Every other origin gets none of them,
    # a redirect included.
    credential_origins: frozenset[str] = frozenset()
    # Header names that carry credentials (identity headers); never sent off-target.
    credential_headers: frozenset[str] = frozenset()
    # Hosts (names or addresses) configured explicitly: the only ones that may be link-local
    # or cloud metadata addresses.
    explicit_hosts: frozenset[str] = frozenset()

    @property
    def verify(self) -> bool | str:
        return self.ca_bundle or True


# Link-local and cloud metadata addresses: never contacted unless configured explicitly
# (a redirect or a DNS answer must not walk a check into the runner's metadata service).
METADATA_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "169.254.0.0/16",
        "fe80::/10",
        "fd00:ec2::254/128",
        "100.100.100.200/32",
    )
)
METADATA_NAMES = frozenset({"metadata.google.internal", "metadata.goog", "metadata"})


def _norm_host(host: str) -> str:
    return host.strip("[]").lower().rstrip(".")


def forbidden_address(addr: str) -> bool:
    """Is ``addr`` (an IP address or a name) link-local or a cloud metadata address?"""
    host = _norm_host(addr)
    if host in METADATA_NAMES:
        return True
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in net for net in METADATA_NETWORKS)


class ForbiddenAddress(Exception):
    """A request would reach a link-local or metadata address that was not configured."""


def _checked_address(host: str, port: int, explicit: frozenset[str]) -> str | None:
    """The address to connect to for ``host`` (None: let urllib3 resolve it), refusing
    link-local and metadata addresses unless ``host`` was configured explicitly."""
    name = _norm_host(host)
    if name in explicit:
        return None
    if forbidden_address(name):
        raise ForbiddenAddress(
            f"not contacted: {name} is a link-local or cloud metadata address (configure it explicitly to check it)"
        )
    try:
        ipaddress.ip_address(name.split("%", 1)[0])
        return None  # an allowed literal address
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM)
    except OSError:
        return None  # urllib3 reports the DNS failure itself
    allowed = [str(info[4][0]) for info in infos if not forbidden_address(str(info[4][0]))]
    if not allowed:
        raise ForbiddenAddress(
            f"not contacted: {name} resolves to a link-local or cloud metadata address ({infos[0][4][0]})"
        )
    return allowed[0]  # connect to the address we checked (no second lookup to rebind)


class _Deadline:
    """One request's wall-clock limit, headers and body together. A timer shuts the request's
    socket down when it passes, so a server that trickles bytes (each within the socket
    timeout) cannot hold a check, or the run, past its budget."""

    _local = threading.local()

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.sock: Any = None
        self.expired = False
        self.ends = time.monotonic() + seconds
        self.answered = False  # the response's headers arrived (the body was still coming when cut)
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._cut)
        self._timer.daemon = True

    def passed(self) -> bool:
        return time.monotonic() >= self.ends

    @classmethod
    def bound_handshake(cls, sock: socket.socket) -> None:
        """Called with a new connection's TCP socket before any TLS handshake: its timeout
        becomes what is left of the request's deadline. CPython bounds a handshake by the
        socket timeout as one deadline, so a server that trickles the handshake (before the
        socket can be tracked and cut) is stopped in time too."""
        current: _Deadline | None = getattr(cls._local, "current", None)
        if current is not None:
            sock.settimeout(max(0.001, current.ends - time.monotonic()))

    def __enter__(self) -> _Deadline:
        self.ends = time.monotonic() + self.seconds
        _Deadline._local.current = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        _Deadline._local.current = None
        with self._lock:
            self.sock = None

    @classmethod
    def track(cls, sock: Any) -> None:
        """Called by our connections with their socket as a request starts on a pooled one,
        or as a new one connects (http.client hands it to the response, so keep it here)."""
        current: _Deadline | None = getattr(cls._local, "current", None)
        if current is not None and sock is not None:
            with current._lock:
                current.sock = sock
            if current.expired:
                current._cut()

    def _cut(self) -> None:
        with self._lock:
            self.expired = True
            sock = self.sock
        if sock is not None:
            # the plain socket's shutdown (an SSLSocket's own would drop its TLS state first)
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)


def within(seconds: float) -> _Deadline:
    """A wall-clock limit for requests made in this thread with a ``make_session`` session
    (for callers outside ``Client``, e.g. the MTA-STS fetch): ``with within(10) as d:``; the
    connection is shut down when it passes, ``d.expired`` says it was."""
    return _Deadline(seconds)


def _connection_classes(
    mapping: Mapping[tuple[str, int], str], explicit: frozenset[str] = frozenset()
) -> tuple[type, type]:
    frozen = dict(mapping)

    def _new_conn(self: Any, base: Any) -> socket.socket:
        if getattr(self, "proxy", None) is not None:  # to the proxy the environment configured
            proxied: socket.socket = base._new_conn(self)
            _Deadline.bound_handshake(proxied)
            return proxied
        addr = frozen.get((str(self.host).lower().rstrip("."), int(self.port)))
        if addr is None:
            try:
                addr = _checked_address(str(self._dns_host), int(self.port), explicit)
            except ForbiddenAddress as exc:
                raise urllib3.exceptions.NewConnectionError(self, str(exc)) from None
        if addr is None:
            sock: socket.socket = base._new_conn(self)
        else:
            saved = self._dns_host
            self._dns_host = addr
            try:
                sock = base._new_conn(self)
            finally:
                self._dns_host = saved
        _Deadline.bound_handshake(sock)
        return sock

    class _HTTP(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            return _new_conn(self, HTTPConnection)

        def connect(self) -> None:
            super().connect()
            _Deadline.track(self.sock)

        def request(self, *args: Any, **kwargs: Any) -> None:
            _Deadline.track(self.sock)
            super().request(*args, **kwargs)

    class _HTTPS(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            return _new_conn(self, HTTPSConnection)

        def connect(self) -> None:
            super().connect()
            _Deadline.track(self.sock)

        def request(self, *args: Any, **kwargs: Any) -> None:
            _Deadline.track(self.sock)
            super().request(*args, **kwargs)

    class _HTTPPool(HTTPConnectionPool):
        ConnectionCls = _HTTP

    class _HTTPSPool(HTTPSConnectionPool):
        ConnectionCls = _HTTPS

    return _HTTPPool, _HTTPSPool


class ResolvingAdapter(HTTPAdapter):
    """A transport adapter whose connections honour a ``--resolve`` map."""

    def __init__(
        self, mapping: Mapping[tuple[str, int], str], explicit: frozenset[str] = frozenset(), **kwargs: Any
    ) -> None:
        self._pools = _connection_classes(mapping, explicit)
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        http_pool, https_pool = self._pools
        self.poolmanager.pool_classes_by_scheme = {"http": http_pool, "https": https_pool}

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        """Connections through a proxy from the environment are ours too, so the request
        deadline can cut them (``--resolve`` and the address checks do not apply: the proxy
        resolves the host)."""
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if hasattr(manager, "pool_classes_by_scheme") and not proxy.lower().startswith("socks"):
            http_pool, https_pool = self._pools
            manager.pool_classes_by_scheme = {"http": http_pool, "https": https_pool}
        return manager


class _NoNetrc(requests.auth.AuthBase):
    """The session's own auth: it adds nothing but credentials written in the request's URL
    (as requests does without auth). Its presence is what stops requests from reading
    ``~/.netrc`` (or ``$NETRC``) for every request whose caller passed no auth: with
    ``trust_env`` (kept for proxies) requests would attach that file's login for the host,
    a redirect target's included, to hosts the user never configured here."""

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        user, password = get_auth_from_url(str(r.url or ""))
        if user or password:
            signed: requests.PreparedRequest = requests.auth.HTTPBasicAuth(user, password)(r)
            return signed
        return r


class _ScopedCookies(http.cookiejar.DefaultCookiePolicy):
    """Cookies the session collected are sent back to a configured (credential) origin, or to
    the very host that set them as host-only cookies, never to another host: a target's
    ``Domain=example.com`` session cookie does not follow a redirect to a sibling host."""

    def __init__(self, origins: frozenset[str]) -> None:
        super().__init__()
        self.origins = origins

    def return_ok(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        if not super().return_ok(cookie, request):
            return False
        if origin_key(request.get_full_url()) in self.origins:
            return True
        host = http.cookiejar.eff_request_host(request)[1]  # type: ignore[attr-defined]  # as the jar recorded it
        return not cookie.domain_specified and cookie.domain.lower() == host.lower()


class _Session(requests.Session):
    """A session whose ``--ca-bundle`` wins over REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE from the
    environment, that never takes credentials from ``~/.netrc`` (proxies still come from the
    environment), and that sends collected cookies only where ``_ScopedCookies`` allows."""

    ca_bundle: str | None = None
    cookie_origins: frozenset[str] = frozenset()

    def merge_environment_settings(self, url: Any, proxies: Any, stream: Any, verify: Any, cert: Any) -> Any:
        settings = super().merge_environment_settings(url, proxies, stream, verify, cert)
        if self.ca_bundle and verify in (None, True):
            settings["verify"] = self.ca_bundle
        return settings

    def prepare_request(self, request: requests.Request) -> requests.PreparedRequest:
        p = super().prepare_request(request)
        if not any(str(k).lower() == "cookie" for k in (request.headers or {})):
            # the Cookie header came from the jar (requests merges it into a fresh jar with
            # the default policy): recompute it under ours
            p.headers.pop("Cookie", None)
            scoped = requests.cookies.RequestsCookieJar(policy=_ScopedCookies(self.cookie_origins))
            for c in p._cookies:  # type: ignore[attr-defined]
                scoped.set_cookie(c)
            p.prepare_cookies(scoped)
        return p

    def rebuild_auth(self, prepared_request: requests.PreparedRequest, response: requests.Response) -> None:
        """For a redirect requests follows itself (``Client`` never lets it): Authorization
        is dropped on any change of origin, and nothing is read from ``~/.netrc``."""
        before = str(response.request.url or "")
        if "Authorization" in prepared_request.headers and origin_key(before) != origin_key(str(prepared_request.url)):
            del prepared_request.headers["Authorization"]


def make_session(options: HttpOptions | None = None) -> requests.Session:
    """A requests session with our User-Agent, CA bundle, resolve map and environment proxies.

    ``--ca-bundle`` replaces the trust store (and wins over REQUESTS_CA_BUNDLE in the
    environment); ``--resolve`` entries apply to http:// and https:// URLs (not via a proxy).
    Connections to link-local and metadata addresses are refused unless their host is in
    ``options.explicit_hosts`` (or mapped by ``--resolve``). The session carries no
    credentials: ``Client`` adds ``headers`` and ``basic_auth`` per request, to the
    configured origins only.
    """
    options = options or HttpOptions()
    s = _Session()
    s.ca_bundle = options.ca_bundle
    s.trust_env = options.trust_env  # proxies; never ~/.netrc (_NoNetrc)
    s.auth = _NoNetrc()
    s.cookie_origins = frozenset(origin_key(o) for o in options.credential_origins)
    s.verify = options.verify
    s.headers["User-Agent"] = options.user_agent
    explicit = frozenset(_norm_host(h) for h in options.explicit_hosts)
    adapter = ResolvingAdapter(options.resolve, explicit, pool_connections=8, pool_maxsize=8)
    s.mount("http://", adapter)
    s.mount("https://", adapter)
    return s


def open_socket(host: str, port: int, options: HttpOptions, timeout: float | None = None) -> socket.socket:
    """A TCP connection to host:port, honouring ``--resolve`` (for raw TLS probes). Link-local
    and metadata addresses are refused unless ``host`` was configured explicitly."""
    addr = options.resolve.get((host.lower().rstrip("."), port))
    if addr is None:
        explicit = frozenset(_norm_host(h) for h in options.explicit_hosts)
        addr = _checked_address(host, port, explicit) or host
    return socket.create_connection((addr, port), timeout=timeout or options.timeout)


class ProbeCut(TimeoutError):
    """A raw probe (TCP connect and TLS handshake) ran past its wall-clock deadline."""

    def __init__(self, stage: str, seconds: float) -> None:
        super().__init__(
            f"{stage} not finished within {seconds:.3g}s: cut at the time limit "
            "(a server that accepts and then stalls or trickles the handshake)"
        )
        self.stage = stage


def tls_probe(host: str, port: int, options: HttpOptions, ctx: ssl.SSLContext, seconds: float) -> ssl.SSLSocket:
    """A TLS connection to host:port (``--resolve`` honoured, SNI ``host``) opened within one
    wall-clock deadline of ``seconds`` for the TCP connect and the whole handshake together.

    CPython bounds a handshake by the socket's timeout as one deadline (not per read), so
    the socket's timeout is set to what is left of ours: a server that trickles the
    handshake a byte at a time is cut at the deadline. Raises ``ProbeCut`` (a
    ``TimeoutError``) naming the stage that ran out; other errors propagate."""
    ends = time.monotonic() + seconds
    try:
        sock = open_socket(host, port, options, max(0.001, seconds))
    except TimeoutError as exc:
        raise ProbeCut("TCP connect", seconds) from exc
    try:
        left = ends - time.monotonic()
        if left <= 0:
            raise ProbeCut("TLS handshake", seconds)
        sock.settimeout(left)
        try:
            return ctx.wrap_socket(sock, server_hostname=host)
        except TimeoutError as exc:
            raise ProbeCut("TLS handshake", seconds) from exc
    except BaseException:
        sock.close()
        raise


# --- the checks' client -------------------------------------------------------------------


class BudgetExceeded(Exception):
    """The run's request or time budget, or a check's cap, is used up."""


class HostDown(Exception):
    """An origin failed to connect several times in a row; later requests to it are not sent."""


DOWN_AFTER = 3  # consecutive connection failures before an origin is given up
TIMEOUTS_DOWN = 2  # distinct URLs timing out with no answer in between before an origin is given up


class TargetUnreachable(HostDown):
    """An origin accepts connections (or not) but its requests time out; later ones are not sent."""


class Cancelled(Exception):
    """The run was interrupted (Ctrl-C); no further requests are sent."""


class DryRun(Exception):
    """Raised instead of sending when the client only records (``--dry-run``)."""


class CredentialsRefused(Exception):
    """A check asked to send credentials to an origin that is not a configured target."""


class OffTarget(Exception):
    """A page fetch ended somewhere that is not the target: too many redirects, a loop, or
    another host. Its content is never judged as the target's (the check is ``error``)."""


MAX_REDIRECTS = 5


@dataclass(frozen=True)
class Fetched:
    """A response as the checks see it: never a live object, body capped at MAX_BODY."""

    method: str
    url: str
    status: int
    headers: CaseInsensitiveDict[str]
    body: bytes
    elapsed_ms: float
    set_cookies: tuple[str, ...] = ()
    truncated: bool = False

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


def safe_headers(headers: Mapping[str, str], names: list[str] | None = None) -> dict[str, str]:
    """Headers for evidence: the chosen ones (or all), credentials and cookie values redacted."""
    out: dict[str, str] = {}
    for k, v in headers.items():
        low = k.lower()
        if names is not None and low not in names:
            continue
        if low in SENSITIVE_HEADERS:
            if low == "set-cookie":
                out[k] = cookie_shape(v)
            else:
                out[k] = "[redacted]"
        else:
            out[k] = redact.scrub(v[:300])
    return out


def cookie_shape(set_cookie: str) -> str:
    """``name=[redacted]; Secure; HttpOnly`` from a Set-Cookie value."""
    first, _, rest = set_cookie.partition(";")
    name = first.split("=", 1)[0].strip()
    return f"{name}=[redacted]" + (f";{rest}" if rest else "")


@dataclass
class Budget:
    requests: int = 400
    seconds: float = 120.0
    per_check: int = 80


class Client:
    """Counts, caps and (in dry runs) records every request the checks make."""

    def __init__(self, options: HttpOptions, budget: Budget, dry_run: bool = False, in_flight: int = 4) -> None:
        self.options = options
        # polite: at most ``in_flight`` requests open at once, however many checks run
        self._slots = threading.BoundedSemaphore(max(1, in_flight))
        self._failures: dict[str, tuple[int, str]] = {}  # origin -> (consecutive failures, last reason)
        self._timeouts: dict[str, set[str]] = {}  # origin -> URLs that timed out since its last answer
        self._timed_out: dict[str, int] = {}  # origin -> timeouts in total (for the message)
        self._timeout_limit: dict[str, float] = {}  # origin -> the limit its last timeout had
        self._answered: set[str] = set()  # origins that answered at least once
        self.budget = budget
        self.dry_run = dry_run
        self.started = time.monotonic()
        self.sent = 0
        self.per_check: dict[str, int] = {}
        self.planned: list[tuple[str, str, str]] = []  # (check, method, url) in dry runs
        self._lock = threading.Lock()
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self.cancelled = False
        self._cache: dict[tuple[str, str], Fetched | BaseException] = {}
        self._cache_locks: dict[tuple[str, str], threading.Lock] = {}
        self._credential_origins = frozenset(origin_key(o) for o in options.credential_origins)
        self._credential_headers = frozenset(h.lower() for h in options.credential_headers) | {
            "authorization",
            "proxy-authorization",
            "cookie",
        }
        self._explicit = frozenset(_norm_host(h) for h in options.explicit_hosts)

    @property
    def session(self) -> requests.Session:
        s: requests.Session | None = getattr(self._local, "session", None)
        if s is None:
            s = make_session(self.options)
            self._local.session = s
            with self._lock:
                self._sessions.append(s)
        return s

    def close(self) -> None:
        """Close every thread's session (and its pooled connections)."""
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for s in sessions:
            s.close()

    def remaining_seconds(self) -> float:
        return self.budget.seconds - (time.monotonic() - self.started)

    def time_limit(self, timeout: float | None = None) -> float:
        """The wall-clock limit of one request or probe started now: the smaller of
        ``timeout`` (default ``--timeout``) and what is left of the run's time budget."""
        return min(timeout or self.options.timeout, max(0.5, self.remaining_seconds()))

    def cancel(self) -> None:
        """Stop: every later request raises ``Cancelled`` instead of being sent."""
        self.cancelled = True

    def _reserve(self, check: str, method: str, url: str) -> None:
        if self.cancelled:
            raise Cancelled("the run was interrupted")
        with self._lock:
            if self.dry_run:
                self.planned.append((check, method, url))
                raise DryRun(url)
            if self.sent >= self.budget.requests:
                raise BudgetExceeded(f"run request budget of {self.budget.requests} used up")
            used = self.per_check.get(check, 0)
            if used >= self.budget.per_check:
                raise BudgetExceeded(f"per-check cap of {self.budget.per_check} requests reached")
            if self.remaining_seconds() <= 0:
                raise BudgetExceeded(f"run time budget of {self.budget.seconds:g}s used up")
            self.sent += 1
            self.per_check[check] = used + 1

    def count_probe(self, check: str, what: str = "TLS handshake", url: str = "") -> None:
        """Count a non-HTTP probe (a TLS handshake) against the same budgets; refused (raises)
        when ``url``'s origin was given up."""
        if url:
            self._refuse_if_down(origin_of(url))
        self._reserve(check, what, url)

    def request(
        self,
        check: str,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        data: bytes | str | None = None,
        json_body: Any = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
        until: Callable[[bytes], bool] | None = None,
    ) -> Fetched:
        """Send one request (counted against the budgets). Network errors propagate.

        ``allow_redirects`` follows up to 5 redirects, each hop a counted request; the
        credentials (live.headers, basic_auth, identity headers) go only to configured
        target origins and are dropped on a hop to any other origin.

        ``until(tail)``: stop reading once it returns true for the last 4 KiB read (a streamed
        reply that says it is done, such as server-sent events' ``data: [DONE]``), without
        waiting for the end.
        """
        if allow_redirects:
            return self._follow(check, url, method=method, headers=headers, timeout=timeout, off_host_ok=True)
        return self._one(
            check, method, url, headers=headers, data=data, json_body=json_body, timeout=timeout, until=until
        )

    def may_send_credentials(self, url: str) -> bool:
        return origin_key(url) in self._credential_origins

    def _one(
        self,
        check: str,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        data: bytes | str | None = None,
        json_body: Any = None,
        timeout: float | None = None,
        hop: bool = False,
        until: Callable[[bytes], bool] | None = None,
    ) -> Fetched:
        origin = origin_of(url)
        host = urlsplit(url).hostname or ""
        if _norm_host(host) not in self._explicit and forbidden_address(host):
            raise ForbiddenAddress(
                f"not contacted: {host} is a link-local or cloud metadata address (configure it explicitly to check it)"
            )
        extra = dict(headers or {})
        auth: tuple[str, str] | None = None
        if self.may_send_credentials(url):
            extra = {**dict(self.options.headers), **extra}
            auth = self.options.basic_auth
        else:
            sensitive = [k for k in extra if k.lower() in self._credential_headers]
            if sensitive and not hop:
                raise CredentialsRefused(
                    f"not sent: {origin} is not a configured target, so its credentials "
                    f"({', '.join(sorted(sensitive))}) are not sent there (add it to live.targets)"
                )
            for k in sensitive:
                del extra[k]
        self._refuse_if_down(origin)
        self._reserve(check, method, url)
        with self._slots:
            self._refuse_if_down(origin)  # it may have been given up while this request waited
            try:
                got = self._send(method, url, extra, data, json_body, timeout, auth, until)
            except requests.Timeout as exc:
                self.note_timeout(origin, url, getattr(exc, "limit", None))
                raise
            except requests.ConnectionError as exc:
                if not getattr(exc, "while_reading", False):
                    with self._lock:
                        n = self._failures.get(origin, (0, ""))[0] + 1
                        self._failures[origin] = (n, describe_error(exc)[:160])
                raise
        with self._lock:
            self._failures.pop(origin, None)
            self._timeouts.pop(origin, None)
            self._answered.add(origin)
        return got

    def _refuse_if_down(self, origin: str) -> None:
        reason = self.unreachable(origin)
        if reason is not None:
            raise TargetUnreachable(reason) if "timed out" in reason else HostDown(reason)

    def unreachable(self, origin: str) -> str | None:
        """Why requests to ``origin`` are no longer sent (it was given up), else None.

        An origin is given up after DOWN_AFTER consecutive connection failures; after its first
        timeout if it never answered (a site that accepts and never answers is judged within
        about one request timeout: the first requests run side by side); or, once it has
        answered, when TIMEOUTS_DOWN different URLs (or TLS handshakes) timed out with no
        answer in between, so one slow endpoint on a live site does not stop the others.
        """
        with self._lock:
            down = self._failures.get(origin)
            if down is not None and down[0] >= DOWN_AFTER:
                return f"not sent: {origin} failed to connect {down[0]} times in a row ({down[1]})"
            timed_out = len(self._timeouts.get(origin, ()))
            if timed_out >= TIMEOUTS_DOWN or (timed_out and origin not in self._answered):
                after = self._timeout_limit.get(origin, self.options.timeout)
                return f"target unreachable: {self._timed_out.get(origin, 0)} requests timed out after {after:.3g} s"
        return None

    def note_answer(self, origin: str) -> None:
        """``origin`` answered (a completed TLS handshake reports here; HTTP answers do it themselves)."""
        with self._lock:
            self._timeouts.pop(origin, None)
            self._answered.add(origin)

    def note_timeout(self, origin: str, what: str, seconds: float | None = None) -> None:
        """Count a timed-out request or probe (TLS handshakes report theirs here too) that
        was given ``seconds`` (default ``--timeout``)."""
        with self._lock:
            self._timeouts.setdefault(origin, set()).add(what)
            self._timed_out[origin] = self._timed_out.get(origin, 0) + 1
            self._timeout_limit[origin] = seconds or self.options.timeout

    def _send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        data: bytes | str | None,
        json_body: Any,
        timeout: float | None,
        auth: tuple[str, str] | None,
        until: Callable[[bytes], bool] | None = None,
    ) -> Fetched:
        limit = self.time_limit(timeout)
        deadline = _Deadline(limit)

        def cut() -> str:
            if deadline.answered:
                return f"body still arriving after {limit:g}s: cut at the time limit (a slow or trickling server)"
            return f"no complete response within {limit:g}s: cut at the time limit (a slow or trickling server)"

        try:
            try:
                with deadline:
                    got = self._send_within(method, url, headers, data, json_body, limit, auth, until)
            except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
                if deadline.expired or deadline.passed():
                    raise requests.Timeout(cut()) from exc
                raise
            if deadline.expired:  # a body delimited by the connection's end looks complete when cut
                raise requests.Timeout(cut())
        except requests.Timeout as exc:
            exc.limit = limit  # type: ignore[attr-defined]
            raise
        return got

    def _send_within(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        data: bytes | str | None,
        json_body: Any,
        limit: float,
        auth: tuple[str, str] | None,
        until: Callable[[bytes], bool] | None = None,
    ) -> Fetched:
        start = time.perf_counter()
        resp = self.session.request(
            method,
            url,
            headers=dict(headers or {}),
            data=data,
            json=json_body,
            timeout=limit,
            allow_redirects=False,  # hops are followed by _follow, credentials checked per hop
            auth=auth,
            stream=True,
        )
        current: _Deadline | None = getattr(_Deadline._local, "current", None)
        if current is not None:
            current.answered = True
        try:
            chunks: list[bytes] = []
            size = 0
            truncated = False
            tail = b""
            deadline = time.perf_counter() + limit
            try:
                for chunk in resp.raw.stream(65536, decode_content=True):
                    chunks.append(chunk)
                    size += len(chunk)
                    if size >= MAX_BODY:
                        truncated = True
                        break
                    if until is not None:
                        tail = (tail + chunk)[-4096:]
                        if until(tail):
                            break
                    if time.perf_counter() > deadline:
                        raise requests.Timeout(f"body still arriving after {limit:g}s")
            except urllib3.exceptions.ReadTimeoutError as exc:
                raise requests.ReadTimeout(f"read timed out after {limit:g}s") from exc
            except (urllib3.exceptions.ProtocolError, urllib3.exceptions.DecodeError) as exc:
                broken = requests.ConnectionError(f"connection broken while reading: {exc}")
                broken.while_reading = True  # type: ignore[attr-defined]
                raise broken from exc
            body = b"".join(chunks)[:MAX_BODY]
            raw_headers = resp.raw.headers
            cookies = tuple(raw_headers.getlist("Set-Cookie")) if hasattr(raw_headers, "getlist") else ()
        finally:
            resp.close()
        elapsed = (time.perf_counter() - start) * 1000
        return Fetched(
            method=method,
            url=resp.url,
            status=resp.status_code,
            headers=CaseInsensitiveDict(resp.headers),
            body=body,
            elapsed_ms=elapsed,
            set_cookies=cookies,
            truncated=truncated,
        )

    def get_shared(self, check: str, url: str) -> Fetched:
        """A GET of ``url`` fetched once per run and shared by every check that reads it.

        Redirects are followed (at most 5 hops, each one counted) so the page checks judge
        the page a browser ends up on (``https://example.com`` -> ``https://www.example.com/``).
        """
        key = ("GET", url)
        with self._lock:
            lock = self._cache_locks.setdefault(key, threading.Lock())
        with lock:
            cached = self._cache.get(key)
            if cached is None:
                try:
                    cached = self._follow(check, url)
                except DryRun:
                    raise
                except BaseException as exc:  # remembered so others see the same failure
                    cached = exc
                self._cache[key] = cached
        if isinstance(cached, BaseException):
            raise cached
        return cached

    def _follow(
        self,
        check: str,
        url: str,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        off_host_ok: bool = False,
    ) -> Fetched:
        """GET ``url`` and follow up to ``MAX_REDIRECTS`` redirects. The page returned is the
        target's: a chain that is still redirecting after 5 hops, loops, leaves HTTP, or (unless
        ``off_host_ok``) ends on another host raises ``OffTarget`` instead."""
        r = self._one(check, method, url, headers=headers, timeout=timeout)
        seen = {url}
        hops = 0
        while r.status in (301, 302, 303, 307, 308) and r.header("Location"):
            nxt = urljoin(r.url, r.header("Location") or "")
            if urlsplit(nxt).scheme not in ("http", "https"):
                raise OffTarget(f"redirected away from HTTP to {nxt[:200]}: not judged as {url}")
            if nxt in seen:
                raise OffTarget(f"redirect loop at {nxt[:200]}: no page to judge for {url}")
            if hops >= MAX_REDIRECTS:
                raise OffTarget(
                    f"still redirecting after {MAX_REDIRECTS} redirects (next: {nxt[:200]}): no page to judge for {url}"
                )
            seen.add(nxt)
            hops += 1
            if method not in ("GET", "HEAD") and r.status in (301, 302, 303):
                method = "GET"
            r = self._one(check, method, nxt, headers=headers, timeout=timeout, hop=True)
        if not off_host_ok and not self._same_site(url, r.url):
            raise OffTarget(f"redirected to another host ({r.url[:200]}): that page is not judged as {url}")
        return r

    def _same_site(self, start: str, final: str) -> bool:
        """The same host (or its ``www.`` twin), or another configured target."""
        a, b = _norm_host(urlsplit(start).hostname or ""), _norm_host(urlsplit(final).hostname or "")
        if a == b or a.removeprefix("www.") == b.removeprefix("www."):
            return True
        return origin_key(final) in self._credential_origins


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def origin_key(url: str) -> str:
    """``scheme://host:port`` with the default port filled in and no userinfo."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    port = port or (443 if scheme == "https" else 80)
    host = _norm_host(parts.hostname or "")
    return f"{scheme}://[{host}]:{port}" if ":" in host else f"{scheme}://{host}:{port}"


def describe_error(exc: BaseException) -> str:
    """A short, secret-free reason for a failed request or probe."""
    if isinstance(exc, (BudgetExceeded, HostDown, OffTarget, CredentialsRefused, ForbiddenAddress)):
        return redact.scrub(str(exc))
    if isinstance(exc, socket.gaierror):
        return "DNS lookup failed: " + _innermost(exc)
    if isinstance(exc, requests.exceptions.SSLError) or "SSL" in type(exc).__name__:
        return "TLS handshake failed: " + _innermost(exc)
    if isinstance(
        exc,
        (
            requests.exceptions.ConnectTimeout,
            requests.exceptions.ReadTimeout,
            requests.Timeout,
            socket.timeout,
            TimeoutError,
        ),
    ):
        return "timed out: " + _innermost(exc)
    if isinstance(exc, requests.exceptions.ConnectionError):
        text = _innermost(exc)
        if "Name or service not known" in text or "NameResolution" in text or "getaddrinfo" in text:
            return "DNS lookup failed: " + text
        return "connection failed: " + text
    return f"{type(exc).__name__}: {_innermost(exc)}"


def _innermost(exc: BaseException) -> str:
    seen = exc
    while seen.__cause__ is not None or (seen.__context__ is not None and not seen.__suppress_context__):
        nxt = seen.__cause__ or seen.__context__
        if nxt is None:
            break
        seen = nxt
    text = str(exc) if str(exc) else type(exc).__name__
    inner = str(seen)
    if inner and inner != text and len(text) > 200:
        text = inner
    return redact.scrub(text[:300])
