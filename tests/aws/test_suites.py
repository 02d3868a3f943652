"""The AWS SDKs' shared profile-file test suites (tests/aws/data/), read by Claude Code's own
loader (the JavaScript SDK, the oracle) and by our reader: they must agree on every case.

The suites' expected outputs describe the Rust and Kotlin SDKs; here only their input files
(and environments) are used. Each parser case runs twice: as published, and with its `name`
keys renamed `region`, so that the region rules (which file wins, duplicates, comments,
continuations) are exercised too. Every case is also read with botocore's rules (the reader
cc-aws-tui used before, still the AWS CLI's view) to measure how often that view differs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from profiles.aws import jsini
from profiles.aws.botoview import botocore_profiles
from profiles.aws.paths import js_config_path, js_credentials_path, js_profile_name
from profiles.aws.profiles import discover_aws_profiles
from tests.aws.oracle import (
    JsOracle,
    Reader,
    environment,
    load_suite,
    oracle_view,
    reader_view,
)

PARSER_SUITES = ("smithy-rs-profile-parser-tests", "aws-sdk-kotlin-config-parser-tests")
LOCATION_SUITES = ("smithy-rs-file-location-tests", "aws-sdk-kotlin-file-location-tests")
READERS: dict[str, Reader] = {
    "ours": discover_aws_profiles,
    "botocore's rules (the reader before)": botocore_profiles,
}
_NAME_KEY = re.compile(r"(?m)^([ \t]*)name(\s*=)")


def region_variant(text: str) -> str:
    """The case's files with each `name = ...` setting renamed `region = ...`."""
    return _NAME_KEY.sub(r"\1region\2", text)


def _score(counts: dict[str, int], total: int) -> str:
    return ", ".join(f"{who} {n}/{total}" for who, n in counts.items())


def _read_all(js_oracle: JsOracle, env: dict[str, str], cwd: Path) -> tuple[Any, dict[str, Any]]:
    answer = js_oracle.ask(env, cwd)
    with environment(env):
        views = {who: reader_view(read) for who, read in READERS.items()}
    return answer, views


@pytest.mark.parametrize("suite", PARSER_SUITES)
def test_parser_suite_agrees_with_the_javascript_sdk(
    suite: str,
    js_oracle: JsOracle,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cases = load_suite(suite)
    variants: dict[str, Callable[[str], str]] = {
        "as published": lambda text: text,
        "name -> region": region_variant,
    }
    disagreements: list[str] = []
    figures: list[str] = []
    for variant, transform in variants.items():
        agreeing = dict.fromkeys(READERS, 0)
        for index, case in enumerate(cases):
            root = tmp_path / f"{variant[:2]}-{index}"
            (root / "home").mkdir(parents=True)
            env = {
                "HOME": str(root / "home"),
                "AWS_CONFIG_FILE": str(root / "config"),
                "AWS_SHARED_CREDENTIALS_FILE": str(root / "credentials"),
            }
            for key, file in (("configFile", "config"), ("credentialsFile", "credentials")):
                if key in case["input"]:
                    (root / file).write_text(transform(case["input"][key]), encoding="utf-8")
            answer, views = _read_all(js_oracle, env, root)
            theirs = oracle_view(answer)
            for who, view in views.items():
                if view == theirs:
                    agreeing[who] += 1
                elif who == "ours":
                    disagreements.append(f"{variant}: {case['name']}: {view.explain(theirs)}")
            # The sections themselves, not only what follows from them, are the SDK's.
            files = jsini.load(root / "config", root / "credentials")
            for ours, key in (
                (files.config, "config"),
                (files.credentials, "credentials"),
                (files.merged, "merged"),
                (files.sso_sessions(), "sso_sessions"),
            ):
                if ours != answer[key]:
                    disagreements.append(
                        f"{variant}: {case['name']}: {key} {ours} != {answer[key]}"
                    )
        figures.append(f"{variant}: {_score(agreeing, len(cases))}")
    with capsys.disabled():
        print(f"\n{suite}, agreement with the JavaScript SDK: " + "; ".join(figures))
    assert not disagreements, "\n".join(disagreements)


def _location_excluded(case: dict[str, Any]) -> str | None:
    env = case["environment"]
    if not any(env.get(k) for k in ("HOME", "USERPROFILE", "HOMEPATH")):
        return "needs the OS's own home directory (HOME unset): it would read the real ~/.aws"
    return None


def _mapped(value: str, root: Path) -> str:
    """An absolute POSIX path of the suite, moved under `root`; anything else unchanged."""
    return str(root) + value if value.startswith("/") else value


def _marker(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("suite", LOCATION_SUITES)
def test_file_location_suite_agrees_with_the_javascript_sdk(
    suite: str,
    js_oracle: JsOracle,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Which files are read, and which profile is selected, for each environment of the suite.

    Windows cases run here too, on POSIX: their variables then name relative paths, which the
    SDK and we must still resolve alike. A marker profile is written where the suite expects
    each file and where we would read it; the SDK must see the same ones as we do.
    """
    cases = load_suite(suite)
    agreeing = dict.fromkeys(READERS, 0)
    as_the_suite = 0
    excluded: list[str] = []
    disagreements: list[str] = []
    for index, case in enumerate(cases):
        why = _location_excluded(case)
        if why is not None:
            excluded.append(f"{case['name']}: {why}")
            continue
        root = tmp_path / f"case-{index}"
        root.mkdir()
        monkeypatch.chdir(root)
        env = {k: _mapped(v, root) for k, v in case["environment"].items()}
        expected: tuple[Path, Path] | None = None
        if case["platform"] == "linux":
            expected = (
                Path(_mapped(case["configLocation"], root)),
                Path(_mapped(case["credentialsLocation"], root)),
            )
            _marker(expected[0], "[profile expected-config]\nregion = eu-west-1\n")
            _marker(
                expected[1], "[expected-creds]\naws_access_key_id = A\naws_secret_access_key = s\n"
            )
        with environment(env):
            ours = (js_config_path(), js_credentials_path())
            selected = js_profile_name()
        if expected is None or ours[0] != expected[0]:
            _marker(root / ours[0], "[profile our-config]\nregion = eu-west-2\n")
        if expected is None or ours[1] != expected[1]:
            _marker(
                root / ours[1], "[our-creds]\naws_access_key_id = A\naws_secret_access_key = s\n"
            )
        answer = js_oracle.ask(env, root)
        theirs = oracle_view(answer)
        if len(theirs.profiles) != 2:  # one marker from each file, or nothing was compared
            disagreements.append(f"{case['name']}: the SDK read {sorted(theirs.profiles)}")
        with environment(env):
            for who, read in READERS.items():
                view = reader_view(read)
                if view == theirs:
                    agreeing[who] += 1
                elif who == "ours":
                    disagreements.append(f"{case['name']}: {view.explain(theirs)}")
        if answer["selected"]["profile"] != selected:
            disagreements.append(f"{case['name']}: selected {selected}, SDK {answer['selected']}")
        if expected is not None and ours == expected:
            as_the_suite += 1
    total = len(cases) - len(excluded)
    with capsys.disabled():
        print(
            f"\n{suite}, agreement with the JavaScript SDK: {_score(agreeing, total)}"
            f" ({len(excluded)} excluded: {'; '.join(excluded) or 'none'});"
            f" our paths as the suite expects on linux: {as_the_suite}"
        )
    assert not disagreements, "\n".join(disagreements)
