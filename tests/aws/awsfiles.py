"""The shared AWS files of a test (the `aws` fixture, conftest.py): where they are, written as
text, and what our reader finds in them. A plain helper, imported by name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from profiles.aws.profiles import AwsProfile, discover_aws_profiles

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY"
SESSION_TOKEN = "IQoJb3JpZ2luX2VjEFAKESESSIONTOKEN"


@dataclass
class AwsFiles:
    home: Path
    config: Path
    credentials: Path

    def write_config(self, text: str) -> None:
        self.config.parent.mkdir(parents=True, exist_ok=True)
        self.config.write_text(text, encoding="utf-8")

    def write_credentials(self, text: str) -> None:
        self.credentials.parent.mkdir(parents=True, exist_ok=True)
        self.credentials.write_text(text, encoding="utf-8")

    def profiles(self) -> dict[str, AwsProfile]:
        """Claude Code's profiles, by name."""
        return {p.name: p for p in discover_aws_profiles()}

    @property
    def sso_cache(self) -> Path:
        return self.home / ".aws" / "sso" / "cache"
