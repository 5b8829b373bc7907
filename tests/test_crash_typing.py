"""Nothing typed is lost: kill the real app at random moments while someone types.

Each run starts the app as the ``notebook-app`` command does (a fresh process, offscreen),
makes a note from the keyboard and types without ever pausing (``benchmarks/typing_driver.py``
does the typing and the measuring), then sends a signal and reads the note back with the core
API:

* SIGKILL (a crash, the power cord, the OOM killer): at most a second of typing may be lost:
  the last keystroke before the kill minus the last keystroke whose text was saved.
* SIGTERM, SIGHUP, SIGINT (shutdown, logout, ``kill``, Ctrl+C in the terminal): the app saves
  and exits by itself, losing nothing.

The kill moments are random; the seed is printed and ``NOTEBOOK_CRASH_SEED=N`` repeats it.
``benchmarks/bench_crash.py`` runs the same with hundreds of kills and reports the figures.
"""

from __future__ import annotations

import os
import random
import signal
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from typing_driver import Outcome, type_then_signal  # noqa: E402

SEED = int(os.environ.get("NOTEBOOK_CRASH_SEED") or random.SystemRandom().randrange(1_000_000))
KILLS = 20
# Two apps type at once (each into a notebook of its own) so twenty kills fit in about half a
# minute: each run is mostly the app starting and a person-speed typing loop.
LANES = 2
# The kill comes 1.5-3 s after the first keystroke: past the autosave's ceiling, at a random
# point of the save cycle (the app's start-up time varies, so the phase does too).
KILL_AFTER_S = (1.5, 3.0)
# The promise: a kill loses at most a second of typing. The app saves at most 0.8 s after the
# first unsaved keystroke (open_entry.AUTOSAVE_CEILING_MS), which leaves the rest of the second
# for what the measure adds without any fault of the app: the loss runs from the last *saved*
# keystroke, and the first unsaved one (which starts the ceiling's clock) comes up to one
# keystroke gap later (at most 0.09 s, the driver's own pacing); then the save itself (a commit
# of a few milliseconds, on a thread that a loaded 2-core machine may not schedule at once).
CEILING_S = 1.0
# Scheduling slack on a loaded CI machine only; a save skipped or late by a cycle is far beyond.
TOLERANCE_S = 0.1


def report(outcomes: list[Outcome]) -> str:
    return "\n".join(f"  {o.describe()}" for o in outcomes)


def test_a_kill_at_any_moment_loses_at_most_a_second_of_typing(tmp_path: Path) -> None:
    print(f"\ncrash test seed: {SEED} (NOTEBOOK_CRASH_SEED={SEED} repeats these kill moments)")
    rng = random.Random(SEED)
    delays = [rng.uniform(*KILL_AFTER_S) for _ in range(KILLS)]

    def lane(number: int) -> list[Outcome]:
        db = tmp_path / f"lane-{number}" / "notebook.db"  # reopened after every kill
        return [
            type_then_signal(
                db,
                tmp_path / f"lane-{number}" / f"run-{run}",
                seed=SEED * 100 + run,
                delay=delays[run],
                title=f"Crash {run}",
            )
            for run in range(number, KILLS, LANES)
        ]

    with ThreadPoolExecutor(LANES) as pool:
        outcomes = [o for lane_outcomes in pool.map(lane, range(LANES)) for o in lane_outcomes]
    print(report(outcomes))

    assert len(outcomes) == KILLS
    assert all(o.returncode == -signal.SIGKILL for o in outcomes)
    garbled = [o for o in outcomes if not o.body_is_prefix or (o.saved and not o.title_saved)]
    assert not garbled, f"saved text is not what was typed (seed {SEED}):\n{report(garbled)}"
    too_much = [o for o in outcomes if o.lost_seconds > CEILING_S + TOLERANCE_S]
    assert not too_much, (
        f"{len(too_much)} of {KILLS} kills lost more than {CEILING_S} s of typing "
        f"(+{TOLERANCE_S} s tolerance; seed {SEED}):\n{report(too_much)}"
    )


@pytest.mark.parametrize(
    "signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=["SIGTERM", "SIGHUP", "SIGINT"]
)
def test_a_signal_saves_everything_and_exits(tmp_path: Path, signum: int) -> None:
    name = signal.Signals(signum).name
    delay = random.Random(SEED + signum).uniform(1.0, 2.0)
    print(f"\ncrash test seed: {SEED}; {name} after {delay:.2f} s of typing")
    outcome = type_then_signal(
        tmp_path / "notebook.db",
        tmp_path / "run",
        seed=SEED + signum,
        delay=delay,
        signum=signum,
        title=f"Typed until {name}",
        exit_timeout=10.0,  # the save and quit take well under a second; 10 s only on a stall
    )
    print(f"  {outcome.describe()}")
    assert outcome.returncode is not None, f"the app was still running 10 s after {name}"
    assert outcome.returncode >= 0, (
        f"{name} ended the app without its saving and exiting: {outcome.describe()}"
    )
    assert "Traceback" not in outcome.stderr, outcome.stderr
    assert outcome.saved == outcome.typed and outcome.body_is_prefix, (
        f"{name} lost typing: {outcome.describe()}"
    )
    assert outcome.title_saved, f"{name} lost the note's title"
