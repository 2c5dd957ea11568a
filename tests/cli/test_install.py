"""evreader installed like any Python tool: a wheel built from this checkout, put
into a fresh environment, run from a folder that is not the checkout.

No network: the wheel is built without build isolation (setuptools comes from
the test environment), and the fresh environment finds evreader's dependencies
through a .pth file pointing at this environment's site-packages, so only the
wheel itself is installed.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("install")
    wheels = base / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    (wheel,) = wheels.glob("evreader-*.whl")
    env_dir = base / "env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    env_site = subprocess.run([str(python), "-c", "import site; print(site.getsitepackages()[0])"],
                              check=True, capture_output=True, text=True).stdout.strip()
    deps = [p for p in site.getsitepackages() if "site-packages" in p]
    (Path(env_site) / "deps.pth").write_text("\n".join(deps) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", env_site, str(wheel)], check=True, capture_output=True,
                   timeout=300)
    return env_dir / "bin" / "python"


def _run(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "EVREADER_CONFIG")}
    return subprocess.run([str(python), "-m", "evreader", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300)


def test_an_installed_evreader_opens_the_sample_articles(installed: Path, tmp_path: Path) -> None:
    out = _run(installed, "list", "--format", "json", "--no-cache", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    articles = json.loads(out.stdout)
    assert len(articles) == 22
    assert all("/evreader/samples/" in a["source"] for a in articles)
    assert not any(a["source"].startswith(str(ROOT)) for a in articles)  # not the checkout
    lookup = _run(installed, "lookup", "nisan", "--no-cache", cwd=tmp_path)
    assert lookup.returncode == 0 and "Nissan" in lookup.stdout, lookup.stderr


def test_no_sources_explains_how_to_add_a_folder_or_a_feed(installed: Path,
                                                           tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("sources: []\ncache: false\n")
    out = _run(installed, "list", "--config", str(config), cwd=tmp_path)
    assert out.returncode == 3
    assert "evreader ~/clippings" in out.stderr and "evreader fetch" in out.stderr
    assert str(config) in out.stderr
