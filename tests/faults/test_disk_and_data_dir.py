"""Issue 16 (6, 7): a full disk, and data dirs that cannot be used, end in messages that name
the path and the fix, never a traceback; nothing committed is lost."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from rag.cli import main as cli_main
from rag.cli.main import main
from tests.faults.scenarios import can_mount, disk_full, disk_full_simulated, read_only


def test_a_full_disk_stops_the_run_with_the_fix_and_a_rerun_completes(tmp_path):
    outcome = disk_full_simulated(tmp_path)
    assert outcome.verify_ok and (outcome.lost, outcome.duplicated) == (0, 0), outcome.notes


def test_a_data_dir_that_is_a_file_is_named_with_the_fix(tmp_path, capsys):
    (tmp_path / "data").write_text("not a folder")
    assert main(["ask", "Who?", "--data-dir", str(tmp_path / "data")]) == 2
    err = capsys.readouterr().err
    assert "is a file, not a folder" in err and "--data-dir" in err


def test_permission_errors_name_the_file_and_the_fix(tmp_path, capsys, monkeypatch):
    def denied(args):
        raise PermissionError(errno.EACCES, "Permission denied", "/srv/c/catalog.sqlite")

    monkeypatch.setattr(cli_main, "build_parser", lambda: _parser_running(denied))
    assert main(["stats"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("citechat: cannot use /srv/c/catalog.sqlite: Permission denied;")
    assert "Traceback" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_a_data_dir_this_user_cannot_enter_is_named(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0)
    try:
        assert main(["ask", "Who?", "--data-dir", str(data)]) == 2
        assert "permission denied" in capsys.readouterr().err
    finally:
        data.chmod(0o755)


@pytest.mark.integration
@pytest.mark.skipif(not can_mount(), reason="needs root to mount a read-only view")
def test_a_read_only_data_dir_is_named_and_left_as_it_was(tmp_path):
    outcome = read_only(tmp_path)
    assert outcome.verify_ok and outcome.lost == 0, outcome.notes


@pytest.mark.integration
@pytest.mark.skipif(not can_mount(), reason="needs root to mount a size-capped tmpfs")
def test_a_really_full_disk_then_space_freed_ends_as_a_clean_run(tmp_path):
    outcome = disk_full(tmp_path, runs=1)
    assert outcome.verify_ok and (outcome.lost, outcome.duplicated) == (0, 0), outcome.notes


def _parser_running(run):
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("command")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.set_defaults(run=run)
    return parser


def test_the_read_only_message_names_the_data_dir(tmp_path: Path, capsys, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setattr(os, "access", lambda path, mode: not mode & os.W_OK)
    assert main(["ask", "Who?", "--data-dir", str(data)]) == 2
    err = capsys.readouterr().err
    assert f"the data dir {data} is read-only" in err and "--chroma-url" in err
