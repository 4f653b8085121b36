# SPDX-License-Identifier: GPL-3.0-or-later
"""One real dump per pytest run, named by the environment (see
tests/real-dump-tests.sh): PO_CLI (the pageowner binary), PO_CORE,
PO_VMLINUX and PO_CAPTURE (the kernel's own page_owner text)."""
import os
import subprocess

import pytest

import pageowner


def _env(name):
    value = os.environ.get(name)
    if not value:
        pytest.exit(f"{name} is not set; run through tests/real-dump-tests.sh",
                    returncode=2)
    return value


@pytest.fixture(scope="session")
def paths():
    return {k: _env("PO_" + k.upper())
            for k in ("cli", "core", "vmlinux", "capture")}


@pytest.fixture(scope="session")
def prog(paths):
    return pageowner.open(paths["core"], vmlinux=paths["vmlinux"])


@pytest.fixture(scope="session")
def has_tasks(paths):
    """Whether the kernel's own records name a task (pid, comm, ts): not
    before v5.11.  Read from its capture, not from pageowner."""
    with open(paths["capture"], encoding="utf-8",
              errors="surrogateescape") as f:
        return ", pid " in f.readline()


@pytest.fixture(scope="session")
def cli(paths):
    """Run the CLI on the same dump; its stdout as text."""
    def run(*args, check=True):
        out = subprocess.run(
            [paths["cli"], "-c", paths["core"], "-s", paths["vmlinux"],
             *args], capture_output=True, text=True)
        if check and out.returncode != 0:
            raise AssertionError(f"pageowner {' '.join(args)}: "
                                 f"exit {out.returncode}: {out.stderr}")
        return out.stdout
    return run
