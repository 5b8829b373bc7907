"""Benchmark: how much typing a crash or a signal costs.

    .venv/bin/python benchmarks/bench_crash.py                 # 200 kills, 5 of each signal
    .venv/bin/python benchmarks/bench_crash.py --kills 20 --signals 1
    .venv/bin/python benchmarks/bench_crash.py --seed 1234 --json results.json

Each run starts the app as the ``notebook-app`` command does (a fresh process, offscreen, with
settings in a temporary folder), makes a note from the keyboard and types into it without ever
pausing (one key every 30-90 ms; ``typing_driver.py``), then:

* SIGKILL at a random moment 1.5-4 s into the typing: the seconds of typing lost are the last
  keystroke before the kill minus the last keystroke whose text the notebook kept (read back
  with the core API). The target is at most 1 s.
* SIGTERM, SIGHUP, SIGINT 1-2 s into the typing: the app should save and exit by itself,
  losing nothing; the keystrokes lost and the time from the signal to the exit are reported.

``--lanes`` apps type at once, each into a notebook of its own that is reopened after every
kill (so every start after the first also opens a notebook that was killed mid-write).
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import percentile  # noqa: E402
from typing_driver import DriverError, Outcome, type_then_signal  # noqa: E402

SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


# Runs that never got to typing (the driver's message): reported, not fatal to the benchmark.
FAILED_RUNS: list[str] = []


def attempt(db: Path, work: Path, **options: Any) -> list[Outcome]:
    """One run, as a list of its outcome, or no outcome if it never got to typing."""
    try:
        return [type_then_signal(db, work, **options)]
    except DriverError as error:
        FAILED_RUNS.append(str(error))
        print(f"\n  a run did not get to typing: {error}", file=sys.stderr)
        return []


def run_kills(
    work: Path, kills: int, lanes: int, seed: int, window: tuple[float, float]
) -> list[Outcome]:
    rng = random.Random(seed)
    delays = [rng.uniform(*window) for _ in range(kills)]
    done = [0]
    started = time.monotonic()

    def lane(number: int) -> list[Outcome]:
        outcomes = []
        for run in range(number, kills, lanes):
            outcomes += attempt(
                work / f"lane-{number}" / "notebook.db",
                work / f"lane-{number}" / "runs",
                seed=seed * 1000 + run,
                delay=delays[run],
                title=f"Crash {run}",
            )
            done[0] += 1
            print(
                f"\r  {done[0]}/{kills} kills, {time.monotonic() - started:.0f} s",
                end="",
                file=sys.stderr,
                flush=True,
            )
        return outcomes

    with ThreadPoolExecutor(lanes) as pool:
        results = [o for outcomes in pool.map(lane, range(lanes)) for o in outcomes]
    print(file=sys.stderr)
    return results


def run_signals(work: Path, per_signal: int, seed: int) -> list[Outcome]:
    rng = random.Random(seed + 1)
    outcomes = []
    for signum in SIGNALS:
        name = signal.Signals(signum).name
        for run in range(per_signal):
            outcomes += attempt(
                work / name / "notebook.db",
                work / name / "runs",
                seed=seed * 1000 + 500 + run,
                delay=rng.uniform(1.0, 2.0),
                signum=signum,
                title=f"Typed until {name} {run}",
                exit_timeout=10.0,
            )
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=200, help="SIGKILLs (default 200)")
    parser.add_argument("--signals", type=int, default=5, help="runs per SIGTERM/SIGHUP/SIGINT")
    parser.add_argument("--lanes", type=int, default=2, help="apps typing at once (default 2)")
    parser.add_argument(
        "--kill-after", type=float, nargs=2, default=(1.5, 4.0), metavar=("MIN", "MAX")
    )
    parser.add_argument("--seed", type=int, default=None, help="repeat a run's kill moments")
    parser.add_argument("--json", type=Path, default=None, help="write every run's outcome here")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1_000_000)
    print(f"seed {seed}: {args.kills} kills {args.kill_after[0]}-{args.kill_after[1]} s into "
          f"the typing, {args.lanes} at a time; {args.signals} of each other signal")  # fmt: skip

    with tempfile.TemporaryDirectory(prefix="bench-crash-") as scratch:
        work = Path(scratch)
        kills = run_kills(work / "kills", args.kills, args.lanes, seed, tuple(args.kill_after))
        signals = run_signals(work / "signals", args.signals, seed) if args.signals else []

    print()
    if kills:
        lost = [o.lost_seconds for o in kills]
        over = sum(1 for value in lost if value > 1.0)
        garbled = sum(1 for o in kills if not o.body_is_prefix)
        print("| SIGKILL while typing | figure |")
        print("|---|---|")
        print(f"| kills | {len(kills)} |")
        print(f"| typing lost, median | {statistics.median(lost):.2f} s |")
        print(f"| typing lost, 95th percentile | {percentile(lost, 0.95):.2f} s |")
        print(f"| typing lost, max | {max(lost):.2f} s |")
        print(f"| kills losing more than 1 s | {over} of {len(kills)} |")
        print(f"| kills with a saved body that is not what was typed | {garbled} |")
        typed = statistics.median(o.typed for o in kills)
        pause = max(o.longest_gap for o in kills)
        noted = sum(1 for o in kills if o.notes)
        print(f"| runs where Ctrl+0 did not highlight the new note | {noted} |")
        print(f"| keystrokes per run, median (context) | {typed:.0f} |")
        print(f"| longest pause between keystrokes, any run (context) | {pause:.2f} s |")
    if signals:
        print()
        print("| signal | runs | exited by itself | keystrokes lost | signal to exit, max |")
        print("|---|---|---|---|---|")
        for signum in SIGNALS:
            name = signal.Signals(signum).name
            runs = [o for o in signals if o.signal_name == name]
            exited = [o for o in runs if o.returncode is not None and o.returncode >= 0]
            lost_keys = sum(o.typed - o.saved for o in runs)
            typed_keys = sum(o.typed for o in runs)
            waits = [o.exit_seconds for o in exited if o.exit_seconds is not None]
            wait = f"{max(waits):.2f} s" if waits else "—"
            print(
                f"| {name} | {len(runs)} | {len(exited)} | {lost_keys} of {typed_keys} | {wait} |"
            )
    if FAILED_RUNS:
        print(f"\n{len(FAILED_RUNS)} runs did not get to typing (not counted above):")
        for message in FAILED_RUNS[:5]:
            print(f"  {message.splitlines()[0]}")
    if args.json is not None:
        payload = {
            "seed": seed,
            "kills": [asdict(o) for o in kills],
            "signals": [asdict(o) for o in signals],
            "failed_runs": FAILED_RUNS,
        }
        args.json.write_text(json.dumps(payload, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
