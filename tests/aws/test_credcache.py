"""profiles.aws.credcache: what an entry is keyed by (the chain of AWS profiles and the sections
it reads), and which entries are not used (a broken struct, a file others could write, a link,
another format). The command around it is tested in tests/cli/test_credentials.py."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from profiles.aws import credcache
from profiles.aws.creds import Resolved
from tests.servers import AwsFiles


def resolved(seconds: float = 3600) -> Resolved:
    return Resolved("ASIACACHED0000000001", "cached/secret/0001xxxxxxxxxxxxxxxxxxxxxxx",
                    "CachedToken//0001=", time.time() + seconds, method="assume-role")  # fmt: skip


def store(name: str, aws_profile: str) -> dict[str, object]:
    chain = credcache.chain_of(aws_profile)
    return credcache.store(name, aws_profile, resolved(), chain, credcache.files_signature())


def test_the_chain_follows_source_profiles_and_sso_sessions(aws_files: AwsFiles) -> None:
    aws_files.add_sso_session("corp")
    aws_files.add_sso_profile("sso", session="corp")
    aws_files.add_assume_role("middle", "arn:aws:iam::1:role/A", "sso")
    aws_files.add_assume_role("top", "arn:aws:iam::1:role/B", "middle")
    aws_files.add_static("keys")
    chain = credcache.chain_of("top")
    assert chain.names == ["top", "middle", "sso"]
    assert chain.fingerprint is not None
    assert credcache.chain_of("keys").secrets == ["fakeplatform/static/secret/key/0001xxxxxx"]

    before = chain.fingerprint
    with aws_files.config.open("a") as fh:  # another profile: same fingerprint
        fh.write("[profile unrelated]\nregion = eu-west-3\n")
    assert credcache.chain_of("top").fingerprint == before
    text = aws_files.config.read_text()  # the sso-session the chain ends in: another one
    aws_files.config.write_text(text.replace("sso_region = us-east-1", "sso_region = eu-west-1"))
    assert credcache.chain_of("top").fingerprint != before


def test_a_cycle_ends(aws_files: AwsFiles) -> None:
    aws_files.add_assume_role("a", "arn:aws:iam::1:role/A", "b")
    aws_files.add_assume_role("b", "arn:aws:iam::1:role/B", "a")
    assert credcache.chain_of("a").names == ["a", "b"]


def test_a_profile_not_found_has_no_fingerprint(aws_files: AwsFiles) -> None:
    """Then only an unchanged file signature keeps an entry: any edit re-resolves."""
    assert credcache.chain_of("missing").fingerprint is None
    aws_files.add_static("keys")
    store("dev", "missing")
    assert credcache.load_valid("dev", "missing") is not None
    with aws_files.config.open("a") as fh:
        fh.write("[profile unrelated]\n")
    assert credcache.load_valid("dev", "missing") is None


def test_an_edit_elsewhere_brings_the_signature_up_to_date(aws_files: AwsFiles) -> None:
    aws_files.add_static("keys")
    store("dev", "keys")
    with aws_files.config.open("a") as fh:
        fh.write("[profile unrelated]\nregion = eu-west-3\n")
    assert credcache.load_valid("dev", "keys") is not None
    entry = json.loads(Path(credcache.secret_path("dev")).read_text())
    assert entry["files"] == credcache.files_signature()  # the next call: two stats again


def test_entries_that_are_not_used(aws_files: AwsFiles, tmp_path: Path) -> None:
    aws_files.add_static("keys")
    store("dev", "keys")
    path = Path(credcache.secret_path("dev"))
    good = path.read_text()
    assert credcache.load_valid("dev", "keys") is not None

    def bad(text: str) -> None:
        path.write_text(text)
        os.chmod(path, 0o600)
        assert credcache.load_valid("dev", "keys") is None

    entry = json.loads(good)
    del entry["credentials"]["Credentials"]["SessionToken"]
    bad(json.dumps(entry))  # a struct Claude Code would refuse
    bad(good.replace('"format": 1', '"format": 2'))
    bad("not json")
    bad(good.replace('"profile": "dev"', '"profile": "Dev"'))  # another profile's file
    path.write_text(good)
    os.chmod(path, 0o644)  # others could read it: refused as a secret file is
    assert credcache.load_valid("dev", "keys") is None
    os.chmod(path, 0o600)
    assert credcache.load_valid("dev", "keys") is not None
    target = tmp_path / "elsewhere.json"
    target.write_text(good)
    target.chmod(0o600)
    path.unlink()
    path.symlink_to(target)  # a link: never read through
    assert credcache.load_valid("dev", "keys") is None


def test_drop_using(aws_files: AwsFiles) -> None:
    aws_files.add_sso_profile("sso")
    aws_files.add_assume_role("role", "arn:aws:iam::1:role/A", "sso")
    aws_files.add_static("keys")
    for name, aws_profile in (("a", "sso"), ("b", "role"), ("c", "keys")):
        store(name, aws_profile)
    assert credcache.drop_using("sso") == ["a", "b"]
    assert credcache.cached_names() == ["c"]
    assert credcache.drop_using("nothing", also=("c",)) == ["c"]
    assert credcache.drop("c") is False


def test_nothing_is_listed_or_deleted_through_a_linked_cache_directory(
    aws_files: AwsFiles, tmp_path: Path
) -> None:
    """A cache directory replaced by a link (by another local user, or a restored backup) leads
    elsewhere: what is there is not ours to delete, whatever its name."""
    aws_files.add_static("keys")
    store("a", "keys")
    cache = Path(credcache.cache_dir_str())
    elsewhere = tmp_path / "elsewhere"
    cache.rename(elsewhere)
    cache.symlink_to(elsewhere, target_is_directory=True)
    assert credcache.cached_names() == []
    assert credcache.drop_using("keys", also=("a",)) == []
    assert credcache.drop("a") is False
    assert sorted(p.name for p in elsewhere.iterdir()) == ["a.creds.json", "a.status.json"]


@pytest.mark.parametrize(
    ("when", "text"), [(0, "1970-01-01T00:00:00Z"), (1798761600.9, "2027-01-01T00:00:00Z")]
)
def test_iso_utc(when: float, text: str) -> None:
    assert credcache.iso_utc(when) == text


def test_section_names_split_as_botocore_splits_them(aws_files: AwsFiles) -> None:
    """botocore (shlex) splits `[profile a\xa0b]` on " \\t\\r\\n" only: the profile is `a\xa0b`,
    so its section (and the secret in it, for the redactor) belongs to the chain."""
    aws_files.config.write_text(
        "[profile a\xa0b]\naws_access_key_id = AKIANBSP000000000001\n"
        "aws_secret_access_key = nbsp/secret/0001xxxxxxxxxxxxxxxxxxxxxxxxxx\n"
    )
    chain = credcache.chain_of("a\xa0b")
    assert chain.fingerprint is not None
    assert chain.secrets == ["nbsp/secret/0001xxxxxxxxxxxxxxxxxxxxxxxxxx"]
