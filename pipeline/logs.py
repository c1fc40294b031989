"""Logging: one line per event carrying the run id, job id, source and partition key; JSON
when not on a terminal. A failed job's line keeps its reason: type and message in both
formats, the traceback too in JSON."""

from __future__ import annotations

import contextvars
import json
import logging
import sys
from datetime import datetime, timezone

run_id_var: contextvars.ContextVar[int | None] = contextvars.ContextVar("run_id", default=None)
job_id_var: contextvars.ContextVar[int | None] = contextvars.ContextVar("job_id", default=None)
source_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("source", default=None)
partition_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("partition_key", default=None)
CONTEXT = ("run_id", "job_id", "source", "partition_key")

# Attributes every LogRecord has; anything else came in through `extra=` and is a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class _ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.run_id = getattr(record, "run_id", None) or run_id_var.get()
        record.job_id = getattr(record, "job_id", None) or job_id_var.get()
        record.source = getattr(record, "source", None) or source_var.get()
        record.partition_key = getattr(record, "partition_key", None) or partition_var.get()
        return True


def _fields(record: logging.LogRecord) -> dict:
    return {
        key: value
        for key, value in vars(record).items()
        if key not in _STANDARD and key not in CONTEXT and not key.startswith("_")
    }


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        event = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
            **{name: getattr(record, name, None) for name in CONTEXT},
            **_fields(record),
        }
        if record.exc_info and record.exc_info[0] is not None:
            # the reason and where it came from: type, message and the whole traceback
            error = record.exc_info[1]
            event.setdefault("error_type", type(error).__name__)
            event.setdefault("error", f"{type(error).__name__}: {error}")
            event["traceback"] = self.formatException(record.exc_info)
        return json.dumps(event, default=str)


def _one_line(value) -> str:
    return " | ".join(part.strip() for part in str(value).splitlines() if part.strip())


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        ids = " ".join(f"{name}={getattr(record, name)}" for name in CONTEXT if getattr(record, name, None))
        # one line per event: a multi-line value (a database error's CONTEXT) is folded
        extra = " ".join(f"{key}={_one_line(value)}" for key, value in _fields(record).items())
        when = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        line = f"{when} {record.levelname.lower():7} {record.getMessage()}"
        reason = ""
        if record.exc_info and record.exc_info[0] is not None and "error" not in vars(record):
            reason = f"error={type(record.exc_info[1]).__name__}: {_one_line(record.exc_info[1])}"  # no traceback
        return " ".join(part for part in (line, ids, extra, reason) if part)


def configure(level: str = "INFO", fmt: str = "auto") -> None:
    """Logs go to stderr so stdout stays for command output."""
    use_json = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if use_json else TextFormatter())
    handler.addFilter(_ContextFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # procrastinate logs every job start/finish at INFO; ours already say what happened.
    logging.getLogger("procrastinate").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
