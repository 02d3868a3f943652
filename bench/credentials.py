"""Wall time of `cc-aws-tui credentials`, the command Claude Code runs as awsCredentialExport:
cold (nothing cached: the resolver child, botocore and STS on moto, on loopback) and warm (the
cache), against a bare `python -c pass`.

Like bench.py it times a plain (non-editable) `pip install` of this checkout in a throwaway
venv, in alternation, and reports medians. moto's server runs in this process, so run it with
the development venv's Python (`pip install -e '.[test]'` brings moto):

    python bench/credentials.py [--runs 15]
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import make_env, make_venv, setup  # bench/bench.py, beside this script

ROLE = "arn:aws:iam::123456789012:role/Bench"


def timed(cmd: list[str], env: dict[str, str], before: Callable[[], object] | None = None) -> float:
    """One run of `cmd` (after `before`, untimed)."""
    if before is not None:
        before()
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, input=b"")
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {done.stderr.decode(errors='replace')}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        with tempfile.TemporaryDirectory() as tmp_s:
            tmp = Path(tmp_s)
            print("building a throwaway venv with `pip install .` (not editable) ...", flush=True)
            bin_dir = make_venv(tmp / "venv")
            python, exe = str(bin_dir / "python"), str(bin_dir / "cc-aws-tui")
            env = make_env(tmp)  # [profile bench] with static keys
            with open(env["AWS_CONFIG_FILE"], "a") as fh:
                fh.write(f"[profile bench-role]\nrole_arn = {ROLE}\nsource_profile = bench\n")
            env["AWS_ENDPOINT_URL_STS"] = f"http://{host}:{port}"
            cache = os.path.join(env["XDG_CONFIG_HOME"], "cc-aws-tui", "credentials")

            def cold() -> None:
                shutil.rmtree(cache, ignore_errors=True)

            def warm() -> None:  # what a first call leaves
                subprocess.run([exe, "credentials", "keys"], env=env, capture_output=True)

            for name, aws in (("keys", "bench"), ("role", "bench-role")):
                setup(
                    [exe, "add", name, "--auth", "sigv4", "--aws-profile", aws,
                     "--workspace", "wrkspc_01BenchWorkspace", "--region", "us-east-1"],
                    env,
                )  # fmt: skip
            rows = [
                ("python -c pass", [python, "-c", "pass"], None),
                ("credentials keys, cold (GetSessionToken)", [exe, "credentials", "keys"], cold),
                ("credentials role, cold (AssumeRole)", [exe, "credentials", "role"], cold),
                ("cc-aws-tui current", [exe, "current"], None),
                ("credentials keys, warm (cache)", [exe, "credentials", "keys"], warm),
            ]  # fmt: skip
            for _, cmd, before in rows:  # warm the page cache
                timed(cmd, env, before)
            times: list[list[float]] = [[] for _ in rows]
            for _ in range(args.runs):
                for i, (_, cmd, before) in enumerate(rows):
                    times[i].append(timed(cmd, env, before))
    finally:
        server.stop()
    medians = [statistics.median(t) for t in times]
    print(f"median of {args.runs} alternating runs each; ratio to `python -c pass`")
    for (label, _, _), seconds in zip(rows, medians, strict=True):
        print(f"  {label:<52} {seconds * 1000:7.1f} ms  {seconds / medians[0]:5.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
