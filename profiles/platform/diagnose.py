"""Why a call failed and what to do: a `PlatformError` turned into a summary and a remedy
(platform-facts' error table), and the remedy for an expired SSO session."""

from __future__ import annotations

from profiles.aws.sso import login_command_text
from profiles.core.schema import Profile
from profiles.platform.client import PlatformError

CONSOLE = "AWS Console → Claude Platform on AWS"


def sso_remedy(profile: Profile) -> str:
    """Run `aws sso login` for the profile's AWS profile, and who re-runs it next time."""
    login = login_command_text(profile.aws_profile)
    if profile.aws_auth_refresh == login:
        return f"run `{login}` (Claude Code re-runs it itself when credentials expire)"
    if profile.aws_auth_refresh:
        return f"run `{login}`; Claude Code runs `{profile.aws_auth_refresh}` itself when needed"
    return f"run `{login}` (set the profile's awsAuthRefresh so Claude Code re-runs it itself)"


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
        return where, f"the AWS credentials are expired or invalid: {sso_remedy(profile)}"
    if status in (400, 404) and "workspace" in low:
        return where, (
            f"check the workspace ID (copy it from {CONSOLE} → Workspaces);"
            f" workspaces are per region: is {profile.workspace_id} in {profile.region}?"
        )
    if status == 403:
        return where, "access denied: check the IAM policy (e.g. AnthropicInferenceAccess)"
    return where, None
