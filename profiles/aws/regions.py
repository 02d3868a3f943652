"""AWS regions: the commercial ones a picker offers, and the one to start from.

The starting region is the first valid of a profile's own, `AWS_REGION` and
`AWS_DEFAULT_REGION` (the order the AWS SDKs read them in).
"""

from __future__ import annotations

from collections.abc import Mapping

from profiles.core.rules import check_region

# AWS commercial regions; a picker adds the profile's own region when it is not among them.
REGIONS: tuple[str, ...] = (
    "us-east-1", "us-east-2", "us-west-1", "us-west-2",
    "ca-central-1", "ca-west-1", "mx-central-1", "sa-east-1",
    "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2",
    "eu-north-1", "eu-south-1", "eu-south-2",
    "il-central-1", "me-central-1", "me-south-1", "af-south-1",
    "ap-south-1", "ap-south-2", "ap-east-1", "ap-east-2",
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
    "ap-southeast-5", "ap-southeast-7",
)  # fmt: skip


def is_region(value: str) -> bool:
    """Whether `value` is a region name the profile schema accepts."""
    try:
        check_region(value)
    except ValueError:
        return False
    return True


def initial_region(own: str, environ: Mapping[str, str]) -> str | None:
    """The region to start from: `own` (a profile's, "" for none), else the environment's."""
    for candidate in (own, environ.get("AWS_REGION", ""), environ.get("AWS_DEFAULT_REGION", "")):
        if candidate and is_region(candidate):
            return candidate
    return None


def region_choices(region: str | None) -> list[str]:
    """The regions to offer: the commercial ones, with `region` first when not among them."""
    regions = list(REGIONS)
    if region is not None and region not in regions:
        regions.insert(0, region)
    return regions
