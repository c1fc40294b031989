"""The GitHub Actions workflows: every `pipeline` command and option they run exists in
the CLI; the scheduled workflows call the reusable one with inputs it declares."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import yaml

from pipeline.cli import main

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"
INVOCATION = re.compile(r"(?:^|[\s;&|(])(?:\.venv/bin/)?pipeline\s+([^|>;&\n]*)")


def workflows() -> dict[str, dict]:
    return {path.name: yaml.safe_load(path.read_text()) for path in sorted(WORKFLOWS.glob("*.yml"))}


def scripts() -> list[tuple[str, str]]:
    found = []
    for name, workflow in workflows().items():
        for job in workflow["jobs"].values():
            found += [(name, step["run"]) for step in job.get("steps", []) if "run" in step]
    return found


def invocations() -> list[tuple[str, list[str]]]:
    """(workflow, argv) of every `pipeline ...` a workflow's scripts run."""
    return [(name, shlex.split(match.group(1), comments=False))
            for name, script in scripts() for match in INVOCATION.finditer(script)]


def resolve(argv: list[str]) -> tuple[click.Command, list[str]]:
    """The command argv names, and its path; options of the groups on the way are skipped."""
    command, path = main, []
    words = iter(argv)
    for word in words:
        if isinstance(command, click.Group) and not word.startswith("-"):
            assert word in command.commands, f"`pipeline {' '.join(path + [word])}` is not a command"
            command, path = command.commands[word], path + [word]
    return command, path


def test_the_workflows_run_pipeline_commands():
    used = {" ".join(resolve(argv)[1]) for _, argv in invocations()}
    assert {"db migrate", "run backfill", "run incremental", "run lookback", "run restage", "report"} <= used


def test_every_pipeline_command_and_option_the_workflows_use_exists():
    for workflow, argv in invocations():
        command, path = resolve(argv)
        assert not isinstance(command, click.Group), f"{workflow}: `pipeline {' '.join(argv)}` names a group"
        options = {opt for param in command.params for opt in param.opts + param.secondary_opts}
        for word in argv:
            if word.startswith("--"):
                assert word.split("=", 1)[0] in options, \
                    f"{workflow}: `pipeline {' '.join(path)}` has no option {word}"
        # the choices the workflow passes are the command's (e.g. --format md)
        for param in command.params:
            if isinstance(param.type, click.Choice):
                for opt in param.opts:
                    if opt in argv and argv.index(opt) + 1 < len(argv):
                        value = argv[argv.index(opt) + 1]
                        assert value.startswith("$") or value in param.type.choices, (workflow, opt, value)


def test_scheduled_workflows_call_the_reusable_one_with_declared_inputs():
    reusable = workflows()["pipeline.yml"]
    trigger = reusable[True]["workflow_call"]  # PyYAML reads the key `on` as True
    declared = set(trigger["inputs"])
    assert {"mode", "source", "start", "end", "lookback-days", "concurrency"} <= declared
    assert {"DATABASE_URL", "API_BASE_URL", "FAILURE_WEBHOOK_URL"} <= set(trigger["secrets"])
    callers = 0
    for name in ("backfill.yml", "incremental.yml"):
        for job in workflows()[name]["jobs"].values():
            assert job["uses"] == "./.github/workflows/pipeline.yml", f"{name} runs its own steps"
            assert set(job["with"]) <= declared, f"{name} passes an input pipeline.yml does not declare"
            assert job["with"]["mode"] in {"backfill", "incremental", "lookback", "restage"}
            callers += 1
    assert callers == 3
    steps = " ".join(str(step) for step in reusable["jobs"]["run"]["steps"])
    assert "actions/upload-artifact" in steps and "FAILURE_WEBHOOK_URL" in steps and "--format json" in steps
