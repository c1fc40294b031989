"""Health thresholds and alert channels: environment over the [health]/[alerts] tables of
pipeline.toml over defaults; a bad value is one clear error."""

from __future__ import annotations

import pytest

from pipeline.errors import PipelineError
from pipeline.ops_settings import alert_channels, health_thresholds


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for key in list(__import__("os").environ):
        if key.startswith(("PIPELINE_HEALTH_", "PIPELINE_ALERT_")):
            monkeypatch.delenv(key)
    config = tmp_path / "pipeline.toml"
    monkeypatch.setenv("PIPELINE_CONFIG", str(config))
    return config


def test_defaults_without_settings():
    limits = health_thresholds()
    assert (limits.worker_seconds, limits.max_dead_letters, limits.stale_hours) == (60, 100, 72)
    assert alert_channels().names() == []


def test_the_toml_tables_then_the_environment(clean_env, monkeypatch):
    clean_env.write_text('[health]\nstale_hours = 24\n\n[alerts]\nslack_url = "http://hooks/x"\n'
                         'smtp_url = "smtp://mail:25"\nemail_to = ["a@x", "b@x"]\n')
    assert health_thresholds().stale_hours == 24
    channels = alert_channels()
    assert channels.names() == ["slack", "email"] and channels.email_to == ("a@x", "b@x")
    monkeypatch.setenv("PIPELINE_HEALTH_STALE_HOURS", "6")
    monkeypatch.setenv("PIPELINE_ALERT_EMAIL_TO", "c@x, d@x")
    monkeypatch.setenv("PIPELINE_ALERT_WEBHOOK_URL", "http://hook")
    assert health_thresholds().stale_hours == 6
    assert alert_channels().email_to == ("c@x", "d@x")
    assert alert_channels().names() == ["slack", "webhook", "email"]


@pytest.mark.parametrize("key,value,message", [
    ("PIPELINE_HEALTH_STALE_HOURS", "soon", "PIPELINE_HEALTH_STALE_HOURS must be a number, got 'soon'"),
    ("PIPELINE_HEALTH_MAX_DEAD_LETTERS", "-1", "PIPELINE_HEALTH_MAX_DEAD_LETTERS must not be negative, got '-1'"),
])
def test_a_bad_threshold_is_one_clear_error(monkeypatch, key, value, message):
    monkeypatch.setenv(key, value)
    with pytest.raises(PipelineError, match=message):
        health_thresholds()


def test_smtp_without_recipients_is_an_error(monkeypatch):
    monkeypatch.setenv("PIPELINE_ALERT_SMTP_URL", "smtp://127.0.0.1:25")
    with pytest.raises(PipelineError, match="PIPELINE_ALERT_EMAIL_TO names no recipient"):
        alert_channels()
