"""Live checks: will this profile work, and if not, exactly why and what to do.

Each check returns pass / warn / fail (or skip when an earlier one failed) with a one-line
summary and, when something is wrong, the remedy from platform-facts. The same engine serves
`cc-aws-tui validate` and the TUI (which streams results through `on_result`).

The checks validate *the profile*: its AWS profile, key, region, workspace and base URL are
passed explicitly, never picked up from whatever the current process holds. Ambient variables
that would get in the way are reported as warnings (exporting the profile fixes them).

The timeout is a deadline for the whole run: one `Deadline` is built when the run starts and
every step (secret commands, the AWS credential chain in a child process, each HTTP connect and
read, every page) gets only what is left of it. Independent checks run concurrently in daemon
threads, so the total time is about the slowest check, never more than the deadline.
"""

from __future__ import annotations

import os
import shlex
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, TypeVar

from profiles.core import envplan
from profiles.core.deadline import Deadline, DeadlineExceeded
from profiles.core.redact import Redactor, remember, safe
from profiles.core.schema import Profile
from profiles.platform.client import Auth, PlatformClient, PlatformError

Status = Literal["pass", "warn", "fail", "skip"]
T = TypeVar("T")

TITLES: dict[str, str] = {
    "env": "Environment",
    "secret": "Secrets",
    "credentials": "AWS credentials",
    "identity": "AWS identity",
    "platform": "Claude Platform on AWS",
    "models": "Model pins",
    "workspaces": "Workspaces",
}
ORDER = tuple(TITLES)
JOIN_GRACE = 0.5  # seconds past the deadline for a check to report its own timeout
CONSOLE = "AWS Console → Claude Platform on AWS"


@dataclass(frozen=True)
class CheckResult:
    """One line of the checklist. Never contains a secret nor a raw control character:
    `run_checks` redacts and escapes summary and remedy as each result is emitted."""

    id: str
    status: Status
    summary: str
    remedy: str | None = None
    seconds: float = 0.0

    @property
    def title(self) -> str:
        return TITLES[self.id]


@dataclass
class Report:
    profile: str
    results: dict[str, CheckResult] = field(default_factory=dict)
    identity: dict[str, str] | None = None
    models: list[str] | None = None
    workspaces: list[dict[str, Any]] | None = None
    seconds: float = 0.0
    redactor: Redactor = field(default_factory=Redactor, repr=False, compare=False)
    """The secrets of this profile (key, token, AWS secret key and session token)."""

    def safe_result(self, result: CheckResult) -> CheckResult:
        """`result` with this profile's secrets masked and control characters escaped."""
        remedy = None if result.remedy is None else safe(result.remedy, self.redactor)
        return CheckResult(
            result.id, result.status, safe(result.summary, self.redactor), remedy, result.seconds
        )

    @property
    def ok(self) -> bool:
        return all(r.status != "fail" for r in self.results.values())

    def ordered(self) -> list[CheckResult]:
        return [self.results[i] for i in ORDER if i in self.results]

    def to_json(self) -> dict[str, Any]:
        """The documented `validate --json` shape, every string redacted (dump it with
        `redact.safe_json`, which also escapes control characters)."""
        data = {
            "profile": self.profile,
            "ok": self.ok,
            "seconds": round(self.seconds, 3),
            "checks": [
                {**asdict(r), "title": r.title, "seconds": round(r.seconds, 3)}
                for r in self.ordered()
            ],
            "identity": self.identity,
            "models": self.models,
            "workspaces": self.workspaces,
        }
        scrubbed: dict[str, Any] = self.redactor.scrub(data)
        return scrubbed


def _in_thread(fn: Callable[[], T], deadline: Deadline) -> T:
    """Run `fn` in a daemon thread; raise `DeadlineExceeded` at `deadline` (the thread is
    abandoned: only for calls whose own timeouts end them soon after, like botocore's)."""
    box: dict[str, Any] = {}
    done = threading.Event()

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=target, daemon=True, name="cc-aws-tui-check").start()
    if not done.wait(deadline.remaining()):
        raise DeadlineExceeded(deadline.seconds)
    if "error" in box:
        raise box["error"]
    value: T = box["value"]
    return value


# --- 1. environment -------------------------------------------------------------------------


def check_env(
    profile: Profile, environ: Mapping[str, str], secrets: Mapping[str, str]
) -> CheckResult:
    problems: list[str] = []
    for var in envplan.OTHER_PROVIDERS:
        if envplan.truthy(environ.get(var)):
            problems.append(f"{var} is set: Claude Code would use that provider instead")
    key = environ.get(envplan.API_KEY)
    if profile.auth == "sigv4" and key:
        problems.append(f"{envplan.API_KEY} is set: a key overrides SigV4 (a stale key wins)")
    elif profile.auth == "api-key" and key and secrets.get("api_key") not in (None, key):
        problems.append(f"{envplan.API_KEY} holds a different key than this profile")
    if environ.get(envplan.REGION) and environ[envplan.REGION] != profile.region:
        problems.append(
            f"AWS_REGION is {environ[envplan.REGION]}, the profile's is {profile.region}"
        )
    ws = environ.get(envplan.WORKSPACE)
    if ws and ws != profile.workspace_id:
        problems.append(f"{envplan.WORKSPACE} is {ws}, the profile's is {profile.workspace_id}")
    if profile.auth == "sigv4" and profile.aws_profile:
        if environ.get("AWS_ACCESS_KEY_ID"):
            problems.append("AWS_ACCESS_KEY_ID is set: it beats AWS_PROFILE in the AWS chain")
        shell_profile = environ.get("AWS_PROFILE")
        if shell_profile and shell_profile != profile.aws_profile:
            problems.append(
                f"AWS_PROFILE is {shell_profile}: Claude Code would sign as that profile,"
                f" not {profile.aws_profile}"
            )
    if not problems:
        return CheckResult("env", "pass", "no conflicting variables in this environment")
    return CheckResult(
        "env",
        "warn",
        "; ".join(problems),
        f'export the profile, which unsets them: eval "$(cc-aws-tui export {profile.name})"',
    )


# --- 2/3. AWS credentials and identity ------------------------------------------------------


def _sso_remedy(profile: Profile) -> str:
    login = (
        f"aws sso login --profile {shlex.quote(profile.aws_profile)}"
        if profile.aws_profile
        else ("aws sso login")
    )
    if profile.aws_auth_refresh == login:
        return f"run `{login}` (Claude Code re-runs it itself when credentials expire)"
    if profile.aws_auth_refresh:
        return f"run `{login}`; Claude Code runs `{profile.aws_auth_refresh}` itself when needed"
    return f"run `{login}` (set the profile's awsAuthRefresh so Claude Code re-runs it itself)"


def resolve_credentials(profile: Profile, deadline: Deadline) -> tuple[Any, str]:
    """Frozen botocore credentials for the profile, and how they were found: botocore's chain
    in a child process killed (with its `credential_process`) at `deadline`."""
    from profiles.aws import creds as aws_creds

    return aws_creds.resolve(profile.aws_profile, deadline)


def check_credentials(profile: Profile, timeout: float | Deadline) -> tuple[CheckResult, Any]:
    """`timeout`: seconds, or the caller's whole-call deadline."""
    from botocore import exceptions as bx

    deadline = Deadline.of(timeout)
    where = f"AWS profile {profile.aws_profile!r}" if profile.aws_profile else "default chain"
    try:
        frozen, method = resolve_credentials(profile, deadline)
    except DeadlineExceeded:
        return CheckResult(
            "credentials",
            "fail",
            f"no credentials within {deadline.seconds:g}s from the {where}",
            "the SSO portal or role endpoint did not answer: check the network or proxy",
        ), None
    except bx.ProfileNotFound:
        return CheckResult(
            "credentials",
            "fail",
            f"{where} is not in ~/.aws/config or ~/.aws/credentials",
            f"create it (aws configure sso --profile {profile.aws_profile}) or pick another",
        ), None
    except (bx.UnauthorizedSSOTokenError, bx.SSOTokenLoadError, bx.TokenRetrievalError):
        return CheckResult(
            "credentials", "fail", f"the SSO session of the {where} has expired or is missing",
            _sso_remedy(profile),
        ), None  # fmt: skip
    except bx.NoCredentialsError:
        remedy = (
            "pick an AWS profile, or provide credentials (AWS_PROFILE, an instance role, ...)"
            if not profile.aws_profile
            else f"add credentials to AWS profile {profile.aws_profile!r}"
        )
        return CheckResult(
            "credentials", "fail", f"no AWS credentials from the {where}", remedy
        ), None
    except bx.ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "error")
        msg = exc.response.get("Error", {}).get("Message", "")[:200]
        return CheckResult(
            "credentials", "fail", f"the {where} could not get credentials: {code}: {msg}",
            "check the role's trust policy and the source profile's permissions",
        ), None  # fmt: skip
    except bx.BotoCoreError as exc:
        return CheckResult(
            "credentials", "fail", f"the {where} could not get credentials: {str(exc)[:200]}",
            f"check the {where} in ~/.aws/config",
        ), None  # fmt: skip
    except OSError as exc:  # the resolver process could not start
        return CheckResult(
            "credentials", "fail", f"cannot resolve credentials: {exc.strerror}", None
        ), None
    temporary = " (temporary)" if frozen.token else ""
    return CheckResult(
        "credentials", "pass", f"{where}: {method}{temporary}, key {frozen.access_key[:4]}…"
    ), frozen


def check_identity(
    profile: Profile, credentials: Any, timeout: float | Deadline
) -> tuple[CheckResult, Any]:
    """STS GetCallerIdentity: botocore's timeouts from what is left, no retries, and the
    caller released at the deadline whatever STS does (a trickling answer included)."""
    import botocore.session
    from botocore import exceptions as bx
    from botocore.config import Config

    deadline = Deadline.of(timeout)

    def call() -> dict[str, Any]:
        left = max(0.1, deadline.remaining())
        # The profile's AWS profile, as for the credentials: a bare Session() would read an
        # ambient AWS_PROFILE (and fail if it names a profile that does not exist).
        session = botocore.session.Session(profile=profile.aws_profile)
        client = session.create_client(
            "sts",
            region_name=profile.region,
            aws_access_key_id=credentials.access_key,
            aws_secret_access_key=credentials.secret_key,
            aws_session_token=credentials.token,
            config=Config(
                connect_timeout=left,
                read_timeout=left,
                retries={"total_max_attempts": 1},
            ),
        )
        result: dict[str, Any] = client.get_caller_identity()
        return result

    try:
        ident = _in_thread(call, deadline)
    except DeadlineExceeded:
        return CheckResult(
            "identity", "warn", f"STS did not answer within {deadline.seconds:g}s"
        ), None
    except bx.ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "error")
        return CheckResult(
            "identity", "fail", f"STS rejected the credentials ({code})",
            _sso_remedy(profile) if code == "ExpiredToken" else
            "the credentials are expired or revoked: refresh or rotate them",
        ), None  # fmt: skip
    except bx.BotoCoreError as exc:
        return CheckResult("identity", "warn", f"STS unreachable: {str(exc)[:160]}"), None
    info = {"account": ident["Account"], "arn": ident["Arn"], "user_id": ident["UserId"]}
    return CheckResult("identity", "pass", f"account {info['account']} as {info['arn']}"), info


# --- 4. the platform call -------------------------------------------------------------------


def diagnose(error: PlatformError, profile: Profile) -> tuple[str, str | None]:
    """Summary and remedy for a failed platform call (platform-facts' error table)."""
    msg = error.message
    low = msg.lower()
    host = profile.effective_base_url
    if error.kind == "timeout":
        return msg, "check the network, a proxy (HTTPS_PROXY) and the base URL"
    if error.kind == "dns":
        return msg, (
            f"check the region ({profile.region}) and the base URL ({host})"
            if profile.base_url
            else f"check the region: {profile.region} may not offer Claude Platform on AWS"
        )
    if error.kind == "tls":
        return msg, (
            "check the base URL; for a gateway with a private CA, set NODE_EXTRA_CA_CERTS to"
            " its CA file (PEM), which Claude Code reads too"
        )
    if error.kind in ("connect", "protocol"):
        return msg, f"check the base URL ({host}) and that the gateway is running"
    status = error.status or 0
    where = f"HTTP {status}: {msg[:200]}"
    if "outbound web identity federation is disabled" in low:
        return where, "enable it once per account: aws iam enable-outbound-web-identity-federation"
    denied = "not authorized to perform" in low or "access denied" in low
    if denied:
        if profile.auth == "api-key":
            return where, (
                "the key's principal needs aws-external-anthropic actions incl."
                " CallWithBearerToken (e.g. AnthropicInferenceAccess); or regenerate the key in"
                f" {CONSOLE} → API keys"
            )
        return where, (
            "attach a policy granting aws-external-anthropic actions on this workspace,"
            " e.g. the managed policy AnthropicInferenceAccess"
        )
    if "signature expired" in low or "signature not yet current" in low:
        return where, "this machine's clock is off: sync it (e.g. timedatectl set-ntp true)"
    if "signature" in low and ("does not match" in low or "scope" in low):
        # AWS gives this same generic answer for a wrong region and for a wrong secret key.
        keys = f"AWS profile {profile.aws_profile}" if profile.aws_profile else "the credentials"
        return where, (
            f"the request was signed for {profile.region}: it must be the workspace's region"
            " (a workspace lives in one region only); if it is, the secret access key of"
            f" {keys} does not match its access key"
        )
    if "security token" in low or status == 401:
        if profile.auth == "api-key":
            return where, (
                f"the API key is invalid or revoked: regenerate it in {CONSOLE} → API keys and"
                f" save it again (cc-aws-tui add {profile.name} ... --api-key-stdin --force)"
            )
        return where, f"the AWS credentials are expired or invalid: {_sso_remedy(profile)}"
    if status in (400, 404) and "workspace" in low:
        return where, (
            f"check the workspace ID (copy it from {CONSOLE} → Workspaces);"
            f" workspaces are per region: is {profile.workspace_id} in {profile.region}?"
        )
    if status == 403:
        return where, "access denied: check the IAM policy (e.g. AnthropicInferenceAccess)"
    return where, None


def check_platform(client: PlatformClient) -> tuple[CheckResult, list[str] | None]:
    """GET /v1/models; over https the summary says which CAs were trusted (as Claude Code)."""
    trust = client.trust
    try:
        models = client.list_models()
    except PlatformError as exc:
        summary, remedy = diagnose(exc, client.profile)
        if exc.kind == "tls" and trust is not None and trust.warning:
            remedy = f"{trust.warning}: fix the path or unset it; {remedy}"
        return CheckResult("platform", "fail", summary, remedy), None
    ids = [str(m.get("id")) for m in models if m.get("id")]
    summary = f"GET /v1/models in {client.profile.workspace_id}: {len(ids)} models"
    if trust is not None:
        summary += f"; TLS trust: {trust.description}"
        if trust.warning:
            return CheckResult(
                "platform", "warn", summary, f"{trust.warning}: fix the path or unset it"
            ), ids
    return CheckResult("platform", "pass", summary), ids


def check_models(profile: Profile, models: list[str] | None) -> CheckResult:
    pins = {a: m for a, m in profile.models.items() if m}
    if not pins:
        return CheckResult("models", "pass", "no pins: Claude Code picks its default models")
    if models is None:
        return CheckResult("models", "warn", "pins unchecked: the model list is unavailable", None)
    missing = {a: m for a, m in pins.items() if m not in models}
    if not missing:
        return CheckResult("models", "pass", ", ".join(f"{a}={m}" for a, m in pins.items()))
    bad = ", ".join(f"{a}={m}" for a, m in missing.items())
    offered = ", ".join(models[:8]) + (" …" if len(models) > 8 else "")
    return CheckResult(
        "models",
        "fail",
        f"not offered in this workspace: {bad}",
        f"pin one of: {offered}" if models else "this workspace offers no models",
    )


def check_workspaces(client: PlatformClient) -> tuple[CheckResult, list[dict[str, Any]] | None]:
    try:
        items = client.list_workspaces()
    except PlatformError as exc:
        if exc.status == 403 and "not authorized to perform" in exc.message.lower():
            return CheckResult(
                "workspaces",
                "warn",
                "cannot list workspaces (needs aws-external-anthropic:ListWorkspaces)",
                "fine for Claude Code; grant AnthropicReadOnlyAccess to pick from a list",
            ), None
        summary, remedy = diagnose(exc, client.profile)
        return CheckResult("workspaces", "warn", f"cannot list workspaces: {summary}", remedy), None
    spaces = [
        {"id": w.get("id"), "name": w.get("name"), "archived": bool(w.get("archived_at"))}
        for w in items
    ]
    ids = {w["id"] for w in spaces}
    if client.profile.workspace_id not in ids:
        return CheckResult(
            "workspaces",
            "warn",
            f"{client.profile.workspace_id} is not among the {len(spaces)} workspaces listed",
            f"workspaces are per region: check it exists in {client.profile.region}",
        ), spaces
    name = next(w["name"] for w in spaces if w["id"] == client.profile.workspace_id)
    return CheckResult("workspaces", "pass", f"{len(spaces)} visible; this one is {name!r}"), spaces


# --- the engine -----------------------------------------------------------------------------


def run_checks(
    profile: Profile,
    *,
    secrets: Mapping[str, str] | None = None,
    timeout: float = 10.0,
    environ: Mapping[str, str] | None = None,
    on_result: Callable[[CheckResult], None] | None = None,
    cancel: threading.Event | None = None,
    deadline: Deadline | None = None,
) -> Report:
    """Run every check for `profile`; `on_result` is called (from any thread) as each ends.

    `timeout` is the deadline of the whole run, secret commands included; a caller that spent
    part of its budget already (resolving a draft's secrets) passes its `deadline` instead.
    """
    started = time.monotonic()
    deadline = deadline or Deadline(timeout)
    report = Report(profile=profile.name)
    lock = threading.Lock()
    environ = os.environ if environ is None else environ
    cancel = cancel or threading.Event()

    def emit(result: CheckResult, t0: float) -> None:
        # The one place results are produced: what leaves here is redacted and escaped.
        result = report.safe_result(
            CheckResult(**{**asdict(result), "seconds": time.monotonic() - t0})
        )
        with lock:
            report.results[result.id] = result
        if on_result is not None and not cancel.is_set():
            on_result(result)

    def skip(ids: tuple[str, ...], why: str) -> None:
        for i in ids:
            emit(CheckResult(i, "skip", why), time.monotonic())

    # Secrets first: the environment check compares a key in the shell with the profile's.
    t0 = time.monotonic()
    resolved: dict[str, str] = dict(secrets or {})
    secret_failed = False
    if profile.secret_kinds() and secrets is None:
        from profiles.store.secrets import SecretError, resolve_all

        try:
            resolved = resolve_all(profile, timeout=deadline)  # a stuck password manager too
        except SecretError as exc:
            secret_failed = True
            emit(CheckResult("secret", "fail", str(exc), "store the secret again"), t0)
    report.redactor.add(*resolved.values())
    remember(*resolved.values())
    if profile.secret_kinds() and not secret_failed:
        from profiles.store.secrets import LABELS

        kinds = ", ".join(LABELS[k] for k in profile.secret_kinds())
        emit(CheckResult("secret", "pass", f"{kinds} found"), t0)
    emit(check_env(profile, environ, resolved), time.monotonic())

    remote = ("platform", "models", "workspaces")
    if secret_failed:
        skip(("credentials", "identity", *remote), "needs the secret")
        report.seconds = time.monotonic() - started
        return report

    credentials = None
    signs = profile.auth == "sigv4" and not profile.gateway_signs
    if signs:
        t0 = time.monotonic()
        result, credentials = check_credentials(profile, deadline)
        if credentials is not None:
            report.redactor.add(credentials.secret_key, credentials.token)
            remember(credentials.secret_key, credentials.token)
        emit(result, t0)
        if credentials is None:
            skip(("identity", *remote), "needs AWS credentials")
            report.seconds = time.monotonic() - started
            return report
    elif profile.auth == "sigv4":
        skip(("credentials", "identity"), "the gateway signs requests")

    if cancel.is_set():
        report.seconds = time.monotonic() - started
        return report
    client = PlatformClient(
        profile,
        Auth(
            credentials=credentials,
            api_key=resolved.get("api_key"),
            gateway_token=resolved.get("gateway_token"),
            sign=signs,
        ),
        deadline=deadline,
        environ=environ,
    )

    def run(check_id: str, fn: Callable[[], None]) -> threading.Thread:
        def body() -> None:
            t0 = time.monotonic()
            try:
                fn()
            except Exception as exc:  # a bug must show as a failed row, not a hang
                emit(CheckResult(check_id, "fail", f"internal error: {type(exc).__name__}"), t0)

        thread = threading.Thread(target=body, daemon=True, name=f"check-{check_id}")
        thread.start()
        return thread

    def platform_then_models() -> None:
        t0 = time.monotonic()
        result, models = check_platform(client)
        report.models = models
        emit(result, t0)
        emit(check_models(profile, models), time.monotonic())

    def identity() -> None:
        t0 = time.monotonic()
        result, info = check_identity(profile, credentials, deadline)
        report.identity = info
        emit(result, t0)

    def workspaces() -> None:
        t0 = time.monotonic()
        result, spaces = check_workspaces(client)
        report.workspaces = spaces
        emit(result, t0)

    threads = [run("platform", platform_then_models), run("workspaces", workspaces)]
    if signs:
        threads.append(run("identity", identity))
    # Each call ends itself at the deadline; the grace only lets it report so.
    backstop = deadline.at + JOIN_GRACE
    for thread in threads:
        thread.join(max(0.0, backstop - time.monotonic()))
    for check_id in ("platform", "models", "workspaces", *(("identity",) if signs else ())):
        if check_id not in report.results:
            emit(CheckResult(check_id, "fail", f"no result within {deadline.seconds:g}s"), started)
    report.seconds = time.monotonic() - started
    return report
