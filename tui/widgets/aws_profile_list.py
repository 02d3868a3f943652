"""The AWS profiles to choose from: the default credential chain first, then every profile.

Each profile's option is built once, so a keystroke in the filter only re-selects which of the
prebuilt options are shown, and only the first `CHUNK` matches become options (more are added
as the cursor nears the end): 2,000 profiles stay fluid. A subclass of `OptionList`, so the
screen's CSS and handlers see the list they always saw.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from profiles.aws.profiles import DIFFERENTLY, AwsProfile, ProfileKind
from profiles.core.redact import safe
from profiles.core.rules import check_aws_profile

DEFAULT_CHAIN_ID = "default-chain"
DEFAULT_CHAIN_LABEL = "Default credential chain (AWS_PROFILE, env keys, instance role)"
DEFAULT_CHAIN_HELP = (
    "Claude Code will use whatever the AWS SDK finds when it starts: AWS_PROFILE, "
    "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or an instance / container role."
)
BADGES: dict[str, str] = {
    ProfileKind.SSO: "SSO",
    ProfileKind.STATIC: "static",
    ProfileKind.ASSUME_ROLE: "role",
    ProfileKind.PROCESS: "process",
    ProfileKind.WEB_IDENTITY: "web-id",
    ProfileKind.LOGIN: "login",
    ProfileKind.UNKNOWN: "?",
}
NAME_WIDTH = 36
CHUNK = 100  # options added to the list at a time


@dataclass(frozen=True, slots=True)
class Entry:
    """One choosable AWS profile: its option (built once) and the text the filter searches."""

    name: str
    kind: str | None
    region: str | None
    profile: AwsProfile | None  # None: the draft's profile, not found in the files
    option: Option
    haystack: str
    cli_only: bool = False  # not found, but the AWS CLI (not Claude Code) reads it


def _entry(index: int, profile: AwsProfile, width: int) -> Entry:
    badge = BADGES.get(profile.kind, "?")
    region = profile.region or ""
    # Names and regions come from ~/.aws/config: shown with control characters escaped
    # (Content never parses them as markup).
    prompt = Content.assemble(
        (safe(profile.name, multiline=False).ljust(width), "bold"),
        "  ",
        (badge.ljust(8), "$accent" if profile.kind == ProfileKind.SSO else "$text-muted"),
        (safe(region, multiline=False), "$text-muted"),
        ("  ⚠" if profile.issues or profile.differences else "", "$warning"),
    )
    haystack = f"{profile.name} {badge} {profile.kind} {region}".casefold()
    option = Option(prompt, f"p{index}")
    return Entry(profile.name, str(profile.kind), profile.region, profile, option, haystack)


def _missing_entry(name: str, kind: str | None, cli_only: bool) -> Entry:
    why = "  only the AWS CLI reads it" if cli_only else "  not found in the AWS config files"
    prompt = Content.assemble((safe(name, multiline=False), "bold"), (why, "$warning"))
    return Entry(name, kind, None, None, Option(prompt, "missing"), name.casefold(), cli_only)


def describe(entry: Entry) -> str:
    """The detail line under the list for the highlighted profile (not yet made safe)."""
    profile = entry.profile
    if profile is None:
        if entry.cli_only:
            return (
                f"{entry.name!r}: {DIFFERENTLY}: Claude Code does not see it. Keep it only if "
                "Claude Code will find it where it runs."
            )
        return (
            f"{entry.name!r} is not in ~/.aws/config or ~/.aws/credentials any more: "
            "keep it only if it will exist where Claude Code runs."
        )
    parts = [f"{profile.name}: {BADGES.get(profile.kind, '?')}"]
    parts.append(f"region {profile.region}" if profile.region else "no region set")
    if profile.sso_session:
        parts.append(f"sso-session {profile.sso_session}")
    if profile.role_arn:
        parts.append(profile.role_arn)
    text = " · ".join(parts)
    try:
        check_aws_profile(profile.name)
    except ValueError as exc:
        return f"{text}\n⚠ {exc}"
    if profile.issues:
        text += "\n⚠ " + "; ".join(profile.issues)
    if profile.differences:
        text += f"\n⚠ {DIFFERENTLY}: " + "; ".join(profile.differences)
    return text


class AwsProfileList(OptionList):
    """The default credential chain and the discovered AWS profiles, filtered by words."""

    def __init__(self, *, id: str | None = None) -> None:
        default = Option(DEFAULT_CHAIN_LABEL, DEFAULT_CHAIN_ID)
        super().__init__(default, id=id)
        self._default_option = default
        self.entries: list[Entry] = []
        self.differing = 0  # how many the AWS CLI reads otherwise than Claude Code
        self.loaded = False
        self._by_id: dict[str, int] = {}  # option id -> index in entries
        self._shown: list[int] | None = None  # indices in entries matching the filter
        self._rendered = 0  # how many of them are options so far

    def load(
        self,
        profiles: list[AwsProfile],
        wanted: str | None,
        kind: str | None,
        cli_only: tuple[str, ...] = (),
    ) -> None:
        """Hold these profiles (and `wanted`, the draft's, even when not among them: then
        `cli_only`, the profiles only the AWS CLI reads, tells whether it still exists)."""
        width = min(NAME_WIDTH, max((len(p.name) for p in profiles), default=0))
        self.entries = [_entry(i, p, width) for i, p in enumerate(profiles)]
        self.differing = sum(1 for p in profiles if p.differences)
        if wanted is not None and all(e.name != wanted for e in self.entries):
            self.entries.insert(0, _missing_entry(wanted, kind, wanted in cli_only))
        self._by_id = {e.option.id or "": i for i, e in enumerate(self.entries)}
        self._shown = None
        self.loaded = True

    def option_id_for(self, name: str | None) -> str:
        """The option of the AWS profile called `name` (the default chain for None or none)."""
        if name is None:
            return DEFAULT_CHAIN_ID
        for entry in self.entries:
            if entry.name == name:
                return entry.option.id or DEFAULT_CHAIN_ID
        return DEFAULT_CHAIN_ID

    def apply_filter(self, terms: list[str], keep: str | None = None) -> int:
        """Show the profiles matching every term; keep the highlight (`keep`, else the current
        one) while it matches. Returns how many profiles match."""
        if keep is None:
            current = self.highlighted_option
            keep = current.id if current is not None else None
        entries = self.entries
        shown = [i for i, e in enumerate(entries) if all(t in e.haystack for t in terms)]
        if shown == self._shown:
            if terms and shown and self.highlighted == 0:
                self.highlighted = 1  # a filter points at its first match
            return len(shown)
        self._shown = shown
        # Keep the highlighted profile while it matches; otherwise a filter points at the
        # first match (the default chain stays first, but is not what you are typing).
        position: int | None = None  # in `shown`
        if keep is not None and keep in self._by_id:
            with contextlib.suppress(ValueError):
                position = shown.index(self._by_id[keep])
        self._rendered = min(len(shown), max(CHUNK, (position or 0) + CHUNK))
        self.set_options(
            [self._default_option, None, *(entries[i].option for i in shown[: self._rendered])]
        )
        if position is not None:
            self.highlighted = position + 1
        elif keep == DEFAULT_CHAIN_ID and not terms:
            self.highlighted = 0
        else:
            self.highlighted = 1 if terms and shown else 0
        return len(shown)

    def render_more(self, highlighted: int) -> None:
        """Near the end of the options shown so far: add the next chunk of matches."""
        shown = self._shown or []
        if self._rendered >= len(shown) or highlighted < self._rendered - CHUNK // 4:
            return
        more = shown[self._rendered : self._rendered + CHUNK]
        self.add_options([self.entries[i].option for i in more])
        self._rendered += len(more)

    def choice(self) -> Entry | str | None:
        """The highlighted entry, DEFAULT_CHAIN_ID for the default chain, None for nothing."""
        option = self.highlighted_option
        if option is None or not self.loaded:
            return None
        if option.id == DEFAULT_CHAIN_ID:
            return DEFAULT_CHAIN_ID
        index = self._by_id.get(option.id or "")
        return self.entries[index] if index is not None else None
