"""What a run of the live checks produces: one `CheckResult` per row, gathered in a `Report`.

The rows, their titles and their order are fixed here (`TITLES`, `ORDER`); a report masks the
profile's secrets and escapes control characters in every result it keeps, and gives the
documented `validate --json` shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from profiles.core.redact import Redactor, safe

Status = Literal["pass", "warn", "fail", "skip"]

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
