"""Issue 16 (4): one writer per data dir — a second one waits or fails fast naming the holder,
a lock left by a killed process is taken over, and the same thread may take it again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from rag.core.errors import StoreError
from rag.stores.lock import LOCK_FILE, Holder, WriterLock

HOLD = """
import sys, time
from pathlib import Path
from rag.stores.lock import WriterLock
with WriterLock(Path(sys.argv[1]), "citechat ingest news/"):
    print("held", flush=True)
    time.sleep(60)
"""


def hold_in_another_process(data_dir: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(data_dir)], text=True,
                            stdout=subprocess.PIPE, cwd=Path(__file__).parents[3])
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_writer_fails_fast_naming_the_holder(tmp_path: Path) -> None:
    proc = hold_in_another_process(tmp_path)
    try:
        with pytest.raises(StoreError) as caught, WriterLock(tmp_path, "me", wait_s=0.3):
            pass
        assert f"pid {proc.pid} (`citechat ingest news/`" in str(caught.value)
        holder = WriterLock(tmp_path, "me").holder()
        assert holder is not None and (holder.pid, holder.command) == (proc.pid,
                                                                       "citechat ingest news/")
    finally:
        proc.kill()
        proc.wait()


def test_a_lock_left_by_a_killed_process_is_taken_over_at_once(tmp_path: Path, caplog) -> None:
    proc = hold_in_another_process(tmp_path)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (tmp_path / LOCK_FILE).read_text()  # its holder line is still there
    started = time.monotonic()
    with caplog.at_level("INFO"), WriterLock(tmp_path, "me", wait_s=5) as lock:
        assert lock.holder() is not None and lock.holder().pid == os.getpid()  # type: ignore
    assert time.monotonic() - started < 2
    assert f"took over the writer lock of pid {proc.pid}" in caplog.text


def test_a_waiting_writer_is_told_who_it_waits_for_and_goes_on_after(tmp_path: Path) -> None:
    told: list[Holder | None] = []
    order: list[str] = []
    first = WriterLock(tmp_path, "first")
    with first:
        def second() -> None:
            with WriterLock(tmp_path, "second", on_wait=told.append):
                order.append("second")

        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.5)
        order.append("first done")
    thread.join(timeout=10)
    assert order == ["first done", "second"]
    assert told and told[0] is not None and told[0].command == "first"


def test_the_same_thread_may_take_it_again(tmp_path: Path) -> None:
    with WriterLock(tmp_path, "outer"), WriterLock(tmp_path, "inner", wait_s=0):
        pass
    with WriterLock(tmp_path, "after", wait_s=0):  # and it was released
        pass
