"""Live and discovery commands: validate, models, workspaces, aws-profiles, status.

Everything they print comes from outside (servers, AWS config files, settings files): it goes
out through `common.out` / `redact.safe_json`, which mask the profile's secrets and escape
control characters; table cells are escaped one by one (`_cell`) so columns still line up.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from profiles.cli.common import EXIT_FAILED, EXIT_OK, CliError, info, out
from profiles.cli.parser import add_command, profile_argument
from profiles.core.redact import escape_controls, safe_json

MARKS = {"pass": "✓", "warn": "!", "fail": "✗", "skip": "-"}
TIMEOUT_HELP = (
    "deadline for the whole call, in seconds (default 10): secret commands, AWS credentials"
    " and every request share it"
)


def register(sub: Any) -> None:
    p = add_command(
        sub,
        "validate",
        "check live that a profile works, and say how to fix what does not",
        cmd_validate,
        description=(
            "Run the live checks for a profile: environment conflicts, secrets, AWS\n"
            "credentials, identity (STS), GET /v1/models on the profile's endpoint, model\n"
            "pins and workspaces. Exit 0 when nothing fails (warnings allowed), 1 when a\n"
            "check fails, 2 on usage or configuration errors."
        ),
    )
    profile_argument(p, nargs="?", help="profile (default: the current one)")
    p.add_argument("--json", action="store_true", help="machine-readable report")
    p.add_argument("--timeout", type=_positive, default=10.0, metavar="S", help=TIMEOUT_HELP)

    for name, what in (("models", "models"), ("workspaces", "workspaces")):
        p = add_command(
            sub, name, f"list the {what} the profile's credentials can see (live)", cmd_list_live
        )
        profile_argument(p, nargs="?", help="profile (default: the current one)")
        p.add_argument("--json", action="store_true", help="machine-readable output")
        p.add_argument("--timeout", type=_positive, default=10.0, metavar="S", help=TIMEOUT_HELP)

    p = add_command(
        sub, "aws-profiles", "list the AWS profiles in ~/.aws/config and credentials, as Claude "
        "Code reads them (and where the AWS CLI reads one differently)",
        cmd_aws_profiles,
    )  # fmt: skip
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = add_command(
        sub,
        "status",
        "what Claude Code started here would do (offline)",
        cmd_status,
        description=(
            "What a Claude Code session started here would do, offline: the settings files'\n"
            "`env` (managed, local, project, user) over this shell's variables, in the\n"
            'client\'s precedence. A settings variable beats the shell; "" in settings hides\n'
            "the shell's value. Bedrock or Foundry switched on anywhere wins over Claude\n"
            "Platform on AWS. SigV4 credentials follow the AWS SDK for JavaScript:\n"
            "awsCredentialExport, then AWS_PROFILE (it beats AWS_ACCESS_KEY_ID, unlike the\n"
            "AWS CLI), then the key variables, then the default profile."
        ),
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0 seconds")
    return value


def _cell(value: Any) -> str:
    """One table cell or line field: control characters (newlines too) escaped."""
    return escape_controls("" if value is None else str(value), multiline=False)


def _profile(name: str | None) -> Any:
    from profiles.store.files import get_profile, read_doc

    return get_profile(read_doc(), name)


def cmd_validate(args: argparse.Namespace) -> int:
    from profiles.platform.engine import run_checks
    from profiles.usecases.validate import aws_profile_warnings

    profile = _profile(args.name)
    streaming = not args.json and sys.stdout.isatty()
    if streaming:
        out(f"Checking profile {_cell(profile.name)} …\n")
        sys.stdout.flush()
    report = run_checks(profile, timeout=args.timeout)
    warnings = aws_profile_warnings(profile)
    if args.json:
        data = {**report.to_json(), "aws_profile_warnings": warnings}
        sys.stdout.write(safe_json(data, report.redactor, indent=2) + "\n")
    else:
        out(report.redactor(format_report(report, profile, warnings)))
    return EXIT_OK if report.ok else EXIT_FAILED


def format_report(report: Any, profile: Any, warnings: Sequence[str] = ()) -> str:
    """The checklist; `warnings` (`aws_profile_warnings`) follow the AWS credentials row."""
    creds = profile.aws_profile or ("API key" if profile.auth == "api-key" else "default chain")
    lines = [
        _cell(
            f"{profile.name}: {profile.auth} ({creds}), {profile.workspace_id}, {profile.region}"
        ),
    ]
    width = max(len(r.title) for r in report.ordered())
    warned = [f"{MARKS['warn']} {'AWS profile'.ljust(width)}  {_cell(w)}" for w in warnings]
    for r in report.ordered():
        lines.append(f"{MARKS[r.status]} {r.title.ljust(width)}  {_cell(r.summary)}")
        if r.remedy and r.status in ("fail", "warn"):
            lines.append(f"  {' ' * width}  → {_cell(r.remedy)}")
        if r.id == "credentials":
            lines += warned
            warned = []
    lines += warned  # no credentials row: at the end
    verdict = "ready" if report.ok else "not ready"
    lines.append(f"{verdict} ({report.seconds:.1f}s)")
    return "".join(line + "\n" for line in lines)


def cmd_list_live(args: argparse.Namespace) -> int:
    from profiles.core.deadline import Deadline
    from profiles.core.redact import Redactor, remember
    from profiles.platform.client import PlatformError
    from profiles.platform.connect import ConnectError, connect
    from profiles.store.secrets import resolve_all

    profile = _profile(args.name)
    deadline = Deadline(args.timeout)  # one budget: secrets, credentials, every page
    secrets = resolve_all(profile, timeout=deadline)
    remember(*secrets.values())
    redactor = Redactor(secrets.values())
    try:
        client = connect(profile, secrets, deadline)
    except ConnectError as exc:
        raise CliError(f"{exc.summary}: {exc.remedy}", EXIT_FAILED) from None
    creds = client.auth.credentials
    if creds is not None:
        redactor.add(creds.secret_key, creds.token)
    try:
        if args.command == "models":
            items = client.list_models()
            rows = [(_cell(m.get("id", "")), _cell(m.get("display_name", ""))) for m in items]
        else:
            items = client.list_workspaces()
            rows = [
                (
                    _cell(w.get("id", "")),
                    _cell(w.get("name", "")) + (" (archived)" if w.get("archived_at") else ""),
                )
                for w in items
            ]
    except PlatformError as exc:
        from profiles.platform.diagnose import diagnose

        summary, remedy = diagnose(exc.redacted(redactor), profile)
        raise CliError(summary + (f" → {remedy}" if remedy else ""), EXIT_FAILED) from None
    if args.json:
        sys.stdout.write(safe_json(items, redactor, indent=2) + "\n")
    else:
        width = max((len(r[0]) for r in rows), default=0)
        out(redactor("".join(f"{a.ljust(width)}  {b}\n" for a, b in rows)))
    return EXIT_OK


def cmd_aws_profiles(args: argparse.Namespace) -> int:
    """The AWS profiles as Claude Code reads them; where the AWS CLI reads one otherwise, a
    note on stderr says how (stdout keeps its columns)."""
    from profiles.aws.ini import AwsConfigError
    from profiles.aws.profiles import DIFFERENTLY, read_aws_profiles

    try:
        read = read_aws_profiles()
    except AwsConfigError as exc:
        raise CliError(str(exc)) from None
    found = read.profiles
    if args.json:
        rows = [
            {"name": p.name, "kind": str(p.kind), "region": p.region,
             "sso_session": p.sso_session, "sso_start_url": p.sso_start_url,
             "issues": list(p.issues), "differences": list(p.differences)}
            for p in found
        ]  # fmt: skip
        sys.stdout.write(safe_json(rows, indent=2) + "\n")
    elif not found:
        info("no AWS profiles found in ~/.aws/config or ~/.aws/credentials")
    else:
        names = [_cell(p.name) for p in found]
        width = max(len(n) for n in names)
        for name, p in zip(names, found, strict=True):
            extra = f"  {_cell(p.sso_session or p.sso_start_url)}" if str(p.kind) == "sso" else ""
            out(f"{name.ljust(width)}  {p.kind!s:<12} {_cell(p.region or '-')}{extra}\n")
    for p in found:
        if p.differences:
            info(f"⚠ {_cell(p.name)}: {DIFFERENTLY}: {_cell('; '.join(p.differences))}")
    if read.cli_only:
        only = ", ".join(_cell(n) for n in read.cli_only)
        info(f"⚠ only the AWS CLI sees (Claude Code does not): {only}")
    for note in read.notes:
        info(f"⚠ {_cell(note)}")
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    """What a Claude Code session started here would do: the settings files and the shell,
    in the client's own precedence (`profiles.claude.resolve`)."""
    from dataclasses import asdict

    from profiles.claude import status
    from profiles.claude.precedence import source_rows
    from profiles.claude.resolve import layers_here
    from profiles.claude.resolve import resolve as resolve_client
    from profiles.store.files import read_doc

    layers = layers_here(os.environ)
    res = status.resolve(layers, read_doc().profiles)
    rows = source_rows(resolve_client(layers))
    unreadable = [layer for layer in layers if layer.error]
    if args.json:
        data = asdict(res)
        data["drift"] = {k: {"profile": a, "environment": b} for k, (a, b) in res.drift.items()}
        data["sources"] = [
            {
                "var": r.var,
                "value": r.value,
                "source": r.source,
                "overridden": [{"source": s, "value": v} for s, v in r.overridden],
            }
            for r in rows
        ]
        data["unreadable"] = [{"path": str(x.path), "error": x.error} for x in unreadable]
        sys.stdout.write(safe_json(data, indent=2) + "\n")
        return EXIT_OK
    pins = ", ".join(f"{alias}={model}" for alias, model in res.models.items())
    summary = [
        ("provider", res.provider),
        ("workspace", res.workspace_id),
        ("region", f"{res.region} (from {res.region_source})" if res.region else None),
        ("endpoint", res.base_url),
        ("auth", res.auth_detail),
        ("models", pins or ("unpinned (the client's defaults)" if res.on_platform else None)),
        ("cache", f"{res.cache_ttl} TTL" if res.cache_ttl else None),
        ("profile", _profile_line(res) if res.on_platform else None),
    ]
    for key, value in summary:
        if value:
            out(f"{key:<10} {_cell(value)}\n")
    for problem in res.problems:
        out(f"! {_cell(problem)}\n")
    for layer in unreadable:
        out(f"! ignored, does not parse: {_cell(layer.error or '')}\n")
    if rows:
        out("\nwhere each variable comes from (highest precedence wins):\n")
        names = [_cell(r.var) for r in rows]
        width = max(len(n) for n in names)
        for name, r in zip(names, rows, strict=True):
            shadow = "".join(f"; hides {_cell(src)}={_cell(val)}" for src, val in r.overridden)
            out(f"  {name.ljust(width)}  {_cell(r.value)}  ← {_cell(r.source)}{shadow}\n")
    return EXIT_OK


def _profile_line(res: Any) -> str | None:
    if res.active_profile and res.active_profile in res.matches:
        return f"{res.active_profile} (matches this environment)"
    if res.active_profile:
        changed = ", ".join(sorted(res.drift)) or "unknown profile"
        return f"{res.active_profile} was exported, but these differ now: {changed}"
    if res.matches:
        return f"matches saved profile {', '.join(res.matches)}"
    return "matches no saved profile"
