"""Fault scenarios, each ending in an `Outcome`: runs, documents lost, duplicated, whether
`verify` passes, and how long recovery took. `tests/faults/` runs them small; `bench/faults.py`
runs them at full count and prints the table.

Every scenario compares the end state with a clean run of the same command (`state`): a
document is lost when it is missing, has another content hash, or lacks a vector; duplicated
when it is there but should not be, or a vector has no catalog chunk (or is stored twice).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rag.core.errors import StoreError
from rag.stores.verify import check
from tests.faults.corpus import write_corpus
from tests.faults.worker import build

REPO = Path(__file__).resolve().parents[2]
WORKER = [sys.executable, "-m", "tests.faults.worker"]


@dataclass
class Outcome:
    """One row of the fault table."""

    scenario: str
    runs: int = 0
    lost: int = 0
    duplicated: int = 0
    verify_ok: bool = True
    recover_s: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, other: Outcome) -> None:
        self.runs += other.runs
        self.lost += other.lost
        self.duplicated += other.duplicated
        self.verify_ok = self.verify_ok and other.verify_ok
        self.recover_s += other.recover_s
        self.notes += other.notes

    def row(self) -> str:
        worst = f"{max(self.recover_s):.1f}" if self.recover_s else "–"
        median = f"{sorted(self.recover_s)[len(self.recover_s) // 2]:.1f}" if self.recover_s \
            else "–"
        verdict = "clean" if self.verify_ok else "PROBLEMS"
        return (f"| {self.scenario} | {self.runs} | {self.lost} | {self.duplicated} | {verdict} "
                f"| {median} / {worst} |")


Snapshot = dict[str, str]  # doc id -> content hash


def snapshot(data_dir: Path) -> Snapshot:
    return build(data_dir).catalog.content_hashes()


def judge(data_dir: Path, expected: Snapshot, outcome: Outcome, url: str | None = None) -> None:
    """Count what `data_dir` lost or duplicated against `expected`, and run `verify`."""
    app = build(data_dir, url)
    found = check(app.catalog, app.dense, "hashing-256", 256)
    hashes = app.catalog.content_hashes()
    missing_vectors = set(found.missing_docs)
    outcome.lost += sum(1 for d, h in expected.items()
                        if hashes.get(d) != h or d in missing_vectors)
    outcome.duplicated += len(set(hashes) - set(expected)) + len(found.orphans) + \
        len(found.duplicates)
    if not found.ok:
        outcome.verify_ok = False
        outcome.notes.append(f"{data_dir.name}: " + "; ".join(found.lines()))


def worker(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*WORKER, *args], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)


# --- kill -9 during ingest and --sync -------------------------------------------------------


@dataclass(frozen=True)
class KillPlan:
    """A command to kill at random moments: `seed_dir` is copied before each run (None: an
    empty data dir); `args` follow the data dir on the worker's command line."""

    name: str
    args: tuple[str, ...]
    seed_dir: Path | None = None


def kill_plans(work: Path, docs: int = 400) -> list[KillPlan]:
    """An ingest of `docs` articles into an empty dir, and a --sync down to a third of them."""
    full = write_corpus(work / "corpus-full", docs)[0].parent
    part = write_corpus(work / "corpus-part", docs // 3)[0].parent
    seed = work / "seed"
    if not seed.exists():
        done = worker("ingest", str(seed), str(full))
        assert done.returncode == 0, done.stderr[-2000:]
    return [KillPlan("kill -9 during ingest", ("ingest", "{dir}", str(full))),
            KillPlan("kill -9 during ingest --sync", ("ingest", "{dir}", str(part), "--sync"),
                     seed)]


def kill_runs(plan: KillPlan, work: Path, runs: int, seed: int = 16) -> Outcome:
    """`runs` times: start the command, `kill -9` it at a random moment of its run, run it
    again, and judge the end state against a clean run's."""
    outcome = Outcome(plan.name)
    clean = _fresh(plan, work / f"{_slug(plan.name)}-clean")
    started = time.monotonic()
    done = worker(*_args(plan, clean))
    assert done.returncode == 0, done.stderr[-2000:]
    duration = time.monotonic() - started
    expected = snapshot(clean)
    rng = random.Random(seed)
    for run in range(runs):
        target = _fresh(plan, work / f"{_slug(plan.name)}-{run}")
        delay = rng.uniform(0.35, 0.98) * duration
        finished = _start_and_kill(_args(plan, target), delay)
        if finished:
            outcome.notes.append(f"run {run}: the command finished before the kill")
        started = time.monotonic()
        again = worker(*_args(plan, target))
        outcome.recover_s.append(time.monotonic() - started)
        if again.returncode != 0:
            outcome.notes.append(f"run {run}: the re-run failed: {again.stderr[-300:]}")
            outcome.verify_ok = False
        judge(target, expected, outcome)
        outcome.runs += 1
        shutil.rmtree(target, ignore_errors=True)
    return outcome


def _start_and_kill(args: list[str], delay: float) -> bool:
    proc = subprocess.Popen([*WORKER, *args], cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=delay)
        return True
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        return False


def _fresh(plan: KillPlan, target: Path) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    if plan.seed_dir is not None:
        shutil.copytree(plan.seed_dir, target)
    return target


def _args(plan: KillPlan, data_dir: Path) -> list[str]:
    return [str(data_dir) if a == "{dir}" else a for a in plan.args]


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name).strip("-")


def timed(step: Callable[[], object]) -> float:
    started = time.monotonic()
    step()
    return time.monotonic() - started


# --- a CLI writer while an app serves --------------------------------------------------------

QUESTIONS = ["Who said the bridge reopened?", "How many residents came to see the ferry?",
             "When did the library in Carrow close?", "What did Ada Quell say?",
             "Which town voted on the tram line?", "Who told reporters about the clinic?"]


def writer_while_serving(work: Path, docs: int = 400, after: int = 30) -> Outcome:
    """An app that has answered once keeps answering, with no error, while another process
    ingests into its data dir, and after (issue 16, item 1)."""
    from tests.faults.helpers import fill

    corpus = write_corpus(work / "corpus-serve", docs)[0].parent
    clean = work / "serve-clean"
    assert worker("ingest", str(clean), str(corpus)).returncode == 0
    data = work / "serve"
    app = fill(data, n=docs // 4)
    app.service.ask(QUESTIONS[0])
    outcome = Outcome("CLI ingest while an app answers")
    errors: list[str] = []
    writer = subprocess.Popen([*WORKER, "ingest", str(data), str(corpus)], cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    asked = 0
    while writer.poll() is None or asked < after:
        asked += 1
        try:
            app.service.ask(QUESTIONS[asked % len(QUESTIONS)])
        except Exception as exc:  # counted, not raised: the figure is how many failed
            errors.append(f"{type(exc).__name__}: {exc}")
        if writer.poll() is not None and asked >= after:
            break
    outcome.runs = asked
    outcome.notes.append(f"{asked} questions asked during and after the ingest, "
                         f"{len(errors)} failed" + (f" (first: {errors[0]})" if errors else ""))
    if errors or writer.returncode != 0:
        outcome.verify_ok = False
    judge(data, snapshot(clean), outcome)
    return outcome


# --- a `chroma run` server killed and restarted ------------------------------------------------


class ChromaServer:
    """A `chroma run` on a free loopback port over `path`, that can be killed and restarted."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> ChromaServer:
        exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
        self.proc = subprocess.Popen([exe, "run", "--host", "127.0.0.1", "--port",
                                      str(self.port), "--path", str(self.path)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("chroma run did not start within 60 s")

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


def server_killed_mid_ingest(work: Path, runs: int = 2, docs: int = 300) -> Outcome:
    """The Chroma server dies during an ingest: the ingest stops with a message naming the
    server; after a restart the same command again ends as a clean run."""
    corpus = write_corpus(work / "corpus-server", docs)[0].parent
    clean = work / "server-clean"
    assert worker("ingest", str(clean), str(corpus)).returncode == 0
    expected = snapshot(clean)
    outcome = Outcome("`chroma run` killed mid-ingest, restarted")
    for run in range(runs):
        server = ChromaServer(work / f"server-{run}").start()
        data = work / f"server-data-{run}"
        proc = subprocess.Popen([*WORKER, "ingest", str(data), str(corpus), "--chroma-url",
                                 server.url], cwd=REPO, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        time.sleep(random.Random(run).uniform(3.0, 5.0))
        server.kill()
        err = proc.communicate(timeout=120)[1]
        if proc.returncode == 0:
            outcome.notes.append(f"run {run}: the ingest finished before the server died")
        elif "cannot reach the Chroma server" not in err:
            outcome.verify_ok = False
            outcome.notes.append(f"run {run}: unfriendly failure: {err[-300:]}")
        server.start()
        outcome.recover_s.append(timed(lambda data=data, url=server.url: worker(
            "ingest", str(data), str(corpus), "--chroma-url", url)))
        judge(data, expected, outcome, server.url)
        outcome.runs += 1
        server.kill()
    return outcome


def server_killed_mid_question(work: Path, questions: int = 10) -> Outcome:
    """An app asking through a server that dies gets a message naming the server, and answers
    again once it is back, without a restart of the app."""
    from ingest.pipeline import ingestor_for

    server = ChromaServer(work / "server-q").start()
    app = build(work / "server-q-data", server.url)
    ingestor_for(app).ingest(write_corpus(work / "corpus-q", 60))
    outcome = Outcome("`chroma run` killed mid-question, restarted")
    friendly = failures = 0
    for i in range(questions):
        if i == questions // 3:
            server.kill()
        if i == 2 * questions // 3:
            started = time.monotonic()
            server.start()
            outcome.recover_s.append(time.monotonic() - started)
        try:
            app.service.ask(QUESTIONS[i % len(QUESTIONS)])
        except StoreError as exc:
            friendly += "cannot reach the Chroma server" in str(exc)
            failures += 1
        outcome.runs += 1
    server.kill()
    down = 2 * questions // 3 - questions // 3
    outcome.notes.append(f"{failures} of {questions} questions failed, all while the server "
                         f"was down ({down} asked then), {friendly} with the message naming it")
    if failures != down or friendly != failures:
        outcome.verify_ok = False
    return outcome


# --- disk full, read-only, damaged files --------------------------------------------------------


def can_mount() -> bool:
    """Root with mount rights (tmpfs, read-only bind mounts): the real-disk scenarios."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    probe = Path(f"/tmp/citechat-mount-probe-{os.getpid()}")
    probe.mkdir(exist_ok=True)
    ok = _sh("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(probe))
    if ok:
        _sh("umount", str(probe))
    probe.rmdir()
    return ok


def _sh(*cmd: str) -> bool:
    return subprocess.run(cmd, capture_output=True).returncode == 0


def disk_full(work: Path, runs: int = 2, docs: int = 400) -> Outcome:
    """A data dir on a size-capped tmpfs fills up mid-ingest: the message says the disk is
    full; after the space grows, the same command ends as a clean run."""
    corpus = write_corpus(work / "corpus-full-disk", docs)[0].parent
    clean = work / "disk-clean"
    assert worker("ingest", str(clean), str(corpus)).returncode == 0
    expected = snapshot(clean)
    outcome = Outcome("disk full mid-ingest (size-capped tmpfs), then space freed")
    for run, size in zip(range(runs), ("1200k", "2200k", "3000k"), strict=False):
        mount = work / f"tmpfs-{run}"
        mount.mkdir()
        assert _sh("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount))
        try:
            data = mount / "data"
            failed = worker("ingest", str(data), str(corpus))
            if failed.returncode == 0:
                outcome.notes.append(f"run {run}: {size} was enough, nothing filled up")
            elif "disk" not in failed.stderr or "Traceback" in failed.stderr:
                outcome.verify_ok = False
                outcome.notes.append(f"run {run}: unclear failure: {failed.stderr[-300:]}")
            assert _sh("mount", "-o", "remount,size=200m", str(mount))
            outcome.recover_s.append(timed(lambda data=data: worker(
                "ingest", str(data), str(corpus))))
            judge(data, expected, outcome)
            outcome.runs += 1
        finally:
            _sh("umount", "-l", str(mount))
    return outcome


def read_only(work: Path) -> Outcome:
    """A read-only data dir: `ask` and `ingest` stop with a message naming the data dir and
    the fixes (exit 2, no traceback), and nothing in it changes."""
    corpus = write_corpus(work / "corpus-ro", 60)[0].parent
    source, view = work / "ro-source", work / "ro-view"
    assert worker("ingest", str(source), str(corpus)).returncode == 0
    expected = snapshot(source)
    view.mkdir()
    assert _sh("mount", "--bind", str(source), str(view))
    outcome = Outcome("read-only data dir (ask, ingest)")
    try:
        assert _sh("mount", "-o", "remount,bind,ro", str(view))
        for command in (["ask", "Who said the bridge reopened?"], ["ingest", "--quiet",
                                                                   str(corpus)]):
            started = time.monotonic()
            done = subprocess.run([sys.executable, "-m", "rag.cli.main", *command,
                                   "--data-dir", str(view), "--collection", "faults"],
                                  cwd=REPO, capture_output=True, text=True, timeout=120)
            outcome.recover_s.append(time.monotonic() - started)
            outcome.runs += 1
            if done.returncode != 2 or "read-only" not in done.stderr or \
                    "Traceback" in done.stderr:
                outcome.verify_ok = False
                outcome.notes.append(f"{command[0]}: {done.returncode} {done.stderr[-300:]}")
    finally:
        _sh("umount", "-l", str(view))
    judge(source, expected, outcome)
    return outcome


def damaged(work: Path, what: str, runs: int = 2, docs: int = 1200) -> Outcome:
    """A damaged catalog page, or a collection's HNSW files deleted: `verify` reports it,
    `verify --repair` fixes it and names any lost document, and one re-ingest of the same
    input restores everything."""
    from tests.faults.helpers import catalog_path, damage_a_page, remove_hnsw_files

    corpus = write_corpus(work / f"corpus-{what}", docs)[0].parent
    seed = work / f"{what}-seed"
    assert worker("ingest", str(seed), str(corpus)).returncode == 0
    expected = snapshot(seed)
    title = {"page": "a damaged catalog page", "hnsw": "missing HNSW files"}[what]
    outcome = Outcome(f"{title}: verify --repair, re-ingest")
    for run in range(runs):
        data = work / f"{what}-{run}"
        shutil.copytree(seed, data)
        if what == "page":
            damage_a_page(catalog_path(data), seed=run)
        else:
            remove_hnsw_files(data)
        verified = _cli("verify", data)
        if verified.returncode != 1:
            outcome.verify_ok = False
            outcome.notes.append(f"run {run}: verify did not see the damage")
        started = time.monotonic()
        repaired = _cli("verify", data, "--repair")
        worker("ingest", str(data), str(corpus))
        outcome.recover_s.append(time.monotonic() - started)
        outcome.notes.append(f"run {run}: " + " / ".join(
            line for line in repaired.stdout.splitlines() if line.startswith("repaired:")))
        judge(data, expected, outcome)
        outcome.runs += 1
    return outcome


def _cli(command: str, data: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    """`citechat COMMAND` with the hashing embedder (see `tests.faults.cli`)."""
    return subprocess.run([sys.executable, "-m", "tests.faults.cli", command, "--data-dir",
                           str(data), "--collection", "faults", *flags], cwd=REPO,
                          capture_output=True, text=True, timeout=600)


# --- every bad input at once ------------------------------------------------------------------


def write_bad_inputs(folder: Path, big_mb: int = 26) -> dict[str, str]:
    """Nasty files beside good ones; returns each nasty file's name and what must happen to it
    ("fails", "loads" with a note, or "skipped")."""
    folder.mkdir(parents=True, exist_ok=True)
    write_corpus(folder / "good", 30)
    deep = ("<html><head><title>Deep</title></head><body>" + "<div>" * 1000 +
            "<p>The Lannick ferry sailed at dawn. Crowds cheered.</p>" + "</div>" * 1000)
    (folder / "deep.html").write_text(deep)
    (folder / "deeper.html").write_text(deep.replace("<div>" * 1000, "<b>" * 50_000))
    (folder / "emoji.jsonl").write_text('{"id": "emoji", "title": "Cut \\ud83d", "text": '
                                        '"A truncated emoji \\ud83d here. It was cut."}\n')
    (folder / "latin1.jsonl").write_bytes(b'{"id": "latin1", "title": "Caf\xe9", "text": '
                                          b'"The caf\xe9 in Dunmere reopened."}\n')
    (folder / "bytes.txt").write_bytes(b"Harbour notes\n\nThe ferry \xff\xfe sailed on time.")
    (folder / "oneline.txt").write_text("x" * 3_000_000)
    with (folder / "huge.txt").open("w") as f:
        f.write("word " * (big_mb * 1024 * 1024 // 5 + 10))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (folder / "empty.txt").write_text("")
    odd = os.fsencode(folder) + b"/name-\xff.txt"
    with open(odd, "wb") as f:
        f.write(b"Odd name\n\nThe tram in Halvik ran late.")
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.txt")
    return {"deep.html": "loads", "deeper.html": "loads", "emoji.jsonl": "loads",
            "latin1.jsonl": "loads", "bytes.txt": "loads", "oneline.txt": "loads",
            "huge.txt": "fails", "broken.pdf": "fails", "empty.txt": "fails",
            "name-": "loads", "pipe.txt": "skipped"}


def bad_inputs(work: Path) -> Outcome:
    """One ingest of every nasty file beside 30 good articles: each nasty one is named (or
    loads, with a note), the good ones are all stored, no chunk is over its budget, and a
    second run changes nothing."""
    folder = work / "bad-inputs"
    expect = write_bad_inputs(folder)
    data = work / "bad-data"
    outcome = Outcome("every bad input in one folder, twice")
    started = time.monotonic()
    first = _cli_ingest(data, folder)
    outcome.recover_s.append(time.monotonic() - started)
    said = first.stderr
    for name, fate in expect.items():
        if fate != "loads" and name not in said:
            outcome.verify_ok = False
            outcome.notes.append(f"{name} ({fate}) was not named")
    if "Traceback" in said or first.returncode != 1:
        outcome.verify_ok = False
        outcome.notes.append(f"exit {first.returncode}: {said[-400:]}")
    app = build(data)
    stored = app.catalog.content_hashes()
    good = {f"good/feed-{i}.jsonl" for i in range(4)}
    outcome.lost += 30 - sum(1 for d in stored if d.startswith("story-"))
    outcome.lost += sum(1 for name, fate in expect.items() if fate == "loads"
                        and not any(name in d or d.startswith(name.split(".")[0]) for d in stored))
    longest = max((len(c.text) for c in app.catalog.chunks_of(sorted(stored))), default=0)
    outcome.notes.append(f"{len(stored)} documents stored ({len(good)} good feeds), longest "
                         f"chunk {longest} characters; named: " + "; ".join(
                             line.removeprefix("error: ")[:90] for line in said.splitlines()
                             if line.startswith(("error:", "warning:"))))
    second = _cli_ingest(data, folder)
    outcome.runs = 2
    if "added 0, updated 0" not in second.stdout:
        outcome.duplicated += 1
        outcome.notes.append(f"second run changed something: {second.stdout}")
    judge(data, stored, outcome)
    return outcome


def _cli_ingest(data: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tests.faults.cli", "ingest", "--quiet",
                           "--data-dir", str(data), "--collection", "faults", str(folder)],
                          cwd=REPO, capture_output=True, text=True, timeout=900)


def disk_full_simulated(work: Path, docs: int = 120) -> Outcome:
    """Without root (no tmpfs to fill): the catalog's write raises SQLite's "database or disk
    is full" on the third batch, in process; the run stops with a message saying so, and the
    same ingest again ends as a clean run."""
    import sqlite3

    from ingest.pipeline import ingestor_for
    from rag.stores.catalog import Catalog

    corpus = write_corpus(work / "corpus-enospc", docs)
    clean = work / "enospc-clean"
    ingestor_for(build(clean)).ingest(corpus)
    outcome = Outcome("disk full mid-ingest (simulated: SQLite 'disk is full'), then freed")
    real, calls = Catalog.write, {"n": 0}

    def full(self: Catalog, batch: object) -> None:
        calls["n"] += 1
        if calls["n"] >= 3:
            with self._writing():  # where SQLite's error meets the catalog's translation
                raise sqlite3.OperationalError("database or disk is full")
        real(self, batch)  # type: ignore[arg-type]

    app = build(work / "enospc")
    Catalog.write = full  # type: ignore[method-assign]
    try:
        ingestor_for(app).ingest(corpus)
        outcome.notes.append("the run did not stop")
        outcome.verify_ok = False
    except StoreError as exc:
        if "free some disk space" not in str(exc):
            outcome.verify_ok = False
        outcome.notes.append(f"message: {exc}")
    finally:
        Catalog.write = real  # type: ignore[method-assign]
    outcome.recover_s.append(timed(lambda: ingestor_for(app).ingest(corpus)))
    outcome.runs = 1
    judge(work / "enospc", snapshot(clean), outcome)
    return outcome


def bad_questions(work: Path) -> Outcome:
    """Questions with bytes that are not UTF-8, lone surrogates, or far too long, as an
    argument and in a --questions file: an answer or a one-line message, never a traceback."""
    corpus = write_corpus(work / "corpus-questions", 40)[0].parent
    data = work / "questions-data"
    assert worker("ingest", str(data), str(corpus)).returncode == 0
    batch = work / "questions.jsonl"
    batch.write_bytes(b'{"question": "Who said the ferry \xff\xfe reopened?"}\n'
                      b'{"question": "Who cut \\ud83d the ribbon?"}\n')
    asks: dict[str, list[str | bytes]] = {
            "invalid bytes": [b"Who reopened the bridge \xff?"],
            "lone surrogate": [b"Who reopened the bridge \xed\xa0\xbd?"],  # CESU-8 of D83D
            "2,001 characters": ["why " * 500 + "x"],
            "--questions file": ["--questions", str(batch)]}
    outcome = Outcome("bad questions (bytes, surrogates, length; argument and file)")
    for name, args in asks.items():
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "tests.faults.cli", "ask", *args, "--data-dir", str(data),
             "--collection", "faults"], cwd=REPO, capture_output=True, timeout=300,
            env={**os.environ, "CITECHAT_ANSWER__MODE": "extractive"})
        outcome.recover_s.append(time.monotonic() - started)
        outcome.runs += 1
        err = done.stderr.decode("utf-8", "replace")
        outcome.notes.append(f"{name}: exit {done.returncode}"
                             + (f", {err.strip().splitlines()[-1][:120]}" if err.strip() else ""))
        if "Traceback" in err or done.returncode not in (0, 2):
            outcome.verify_ok = False
    return outcome
