"""The run life cycle: one `open_run` for every mode (`open`), one small module per mode
(`backfill`, `incremental`, `lookback`, `restage`, `retry`, `replay`, `rebuild`),
schedules that fire runs (`schedules`), and working a run to its end in this process
(`progress`)."""
