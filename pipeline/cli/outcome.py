"""Exit codes CI can trust: 0 only when everything a command was asked to do succeeded.

| code | meaning |
| ---- | ------- |
| 0 | succeeded (quality passed or only warned) |
| 1 | bad input or environment (one `Error:` line) |
| 2 | bad usage (an unknown option, a missing argument) |
| 3 | the run failed: a partition failed, or the run's own step gave up |
| 4 | the run is partial: the rest landed, some requests are dead letters |
| 5 | error-severity quality checks failed: the games they name are held back from curated |

A run that is both failed and partial is 3; partial and failing its checks is 4.
"""

from __future__ import annotations

from dataclasses import dataclass

import click

from pipeline import queries

EXIT_FAILED = 3
EXIT_PARTIAL = 4
EXIT_QUALITY = 5


class OutcomeError(click.ClickException):
    """One `Error:` line and the exit code of an outcome."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class RunOutcome:
    run_id: int
    status: str
    quality_status: str | None
    partitions_failed: int
    partitions_partial: int
    dead_letters_open: int
    games_held_back: int
    dates_held_back: int
    message: str | None

    @property
    def exit_code(self) -> int:
        if self.partitions_failed or (self.status == "failed" and not self.partitions_partial):
            return EXIT_FAILED
        # a date whose only gap is a game the quality gate held back is a quality failure (5);
        # one with requests that failed for good or answers quarantined is partial (4)
        if self.dead_letters_open or (self.partitions_partial and self.quality_status != "failed"):
            return EXIT_PARTIAL
        if self.quality_status == "failed":
            return EXIT_QUALITY
        return 0

    def quality_words(self) -> str:
        if self.quality_status is None:
            return "quality not checked"
        if self.quality_status != "failed":
            return f"quality {self.quality_status}"
        held = [f"{self.games_held_back} game(s)"] if self.games_held_back else []
        held += [f"{self.dates_held_back} whole date(s)"] if self.dates_held_back else []
        return (f"quality failed: {' and '.join(held) or 'nothing'} held back from curated "
                f"(pipeline quality report --run {self.run_id})")

    def line(self, errors: list[str]) -> str:
        """The run's final line: its status, why, and its quality outcome."""
        code = self.exit_code
        if code == EXIT_FAILED:
            why = "; ".join(errors) or self.message or "see `pipeline status`"
            return f"run {self.run_id} failed: {why}; {self.quality_words()}"
        if code == EXIT_PARTIAL:
            letters = (f"{self.dead_letters_open} dead letter(s) open (pipeline dlq list)" if self.dead_letters_open
                       else f"{self.partitions_partial} partition(s) partial")
            return f"run {self.run_id} partial: {letters}; {self.quality_words()}"
        return f"run {self.run_id} {self.status}; {self.quality_words()}"


def read_outcome(conn, run_id: int) -> RunOutcome:
    row = queries.execute(conn, "run_outcome", {"run_id": run_id}).fetchone()
    return RunOutcome(run_id, *row)


def finish_with(outcome: RunOutcome, errors: list[str]) -> None:
    """Print the final line of a run: on stdout when it succeeded, else as the `Error:`
    line of its exit code."""
    if outcome.exit_code:
        raise OutcomeError(outcome.line(errors), outcome.exit_code)
    click.echo(outcome.line(errors))
