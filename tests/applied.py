"""What the tests of applied profiles staying in step share (claude.sync, the use cases, the CLI,
the TUI): the user's own settings file and the applied profile the `applied_dev` fixture
(tests/conftest.py) builds. Plain values, imported by name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from profiles.core.schema import Profile

SYNC_WS = "wrkspc_01AbCdEf23GhIj"
# A user settings file with keys of the user's own, which no re-apply or unapply may touch.
USER_SETTINGS = """{
  "model": "opus",
  "env": {
    "BASH_DEFAULT_TIMEOUT_MS": "120000"
  },
  "permissions": {
    "allow": ["Bash(npm run test:*)"]
  }
}
"""


@dataclass(frozen=True)
class AppliedDev:
    """Profile `dev` (SigV4, AWS profile dev-sso, us-east-1), saved and current, applied to the
    user settings file (which also holds keys of the user's) and to `project`'s local file."""

    profile: Profile
    user: Path
    local: Path
    project: Path
