"""The Prometheus alert rules of monitoring/: checked and unit-tested with promtool (monitoring/sluice-alerts.test.yml:
input series with the names and labels Sluice's /q/metrics gives them, and the alerts, labels and annotations they
must raise). That the series exist at a real server's /q/metrics is MetricsTest's part (sdk-compat-tests/src).

promtool comes with Prometheus: found on PATH or at SLUICE_PROMTOOL, else taken from Debian's ``prometheus`` package
without installing it (``apt-get download`` and ``dpkg-deb -x`` into ~/.cache/sluice/promtool, so no Prometheus
server is installed or started). Skipped, saying so, when none of that works.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from sluice_server import REPO

MONITORING = REPO / "monitoring"
CACHE = Path(os.environ.get("SLUICE_PROMTOOL_CACHE", Path.home() / ".cache" / "sluice" / "promtool"))


def promtool():
    named = os.environ.get("SLUICE_PROMTOOL") or shutil.which("promtool")
    if named:
        return named
    cached = CACHE / "root" / "usr" / "bin" / "promtool"
    if cached.exists():
        return str(cached)
    if not (shutil.which("apt-get") and shutil.which("dpkg-deb")):
        pytest.skip("promtool is missing (no PATH entry, SLUICE_PROMTOOL or apt-get/dpkg-deb to take it from Debian)")
    CACHE.mkdir(parents=True, exist_ok=True)
    download = subprocess.run(["apt-get", "download", "prometheus"], cwd=CACHE, capture_output=True, text=True,
                              timeout=300)
    debs = sorted(CACHE.glob("prometheus_*.deb"))
    if download.returncode != 0 or not debs:
        pytest.skip(f"promtool is missing and Debian's prometheus package could not be downloaded: {download.stderr}")
    subprocess.run(["dpkg-deb", "-x", str(debs[-1]), str(CACHE / "root")], check=True, timeout=120)
    for deb in debs:
        deb.unlink()
    return str(cached)


def run(*args):
    result = subprocess.run([promtool(), *args], cwd=MONITORING, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_alert_rules_are_valid_prometheus_rules():
    assert "SUCCESS: 7 rules found" in run("check", "rules", "sluice-alerts.yml")


def test_alert_rules_fire_on_the_series_sluice_exports():
    assert "SUCCESS" in run("test", "rules", "sluice-alerts.test.yml")
