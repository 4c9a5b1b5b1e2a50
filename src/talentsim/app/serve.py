"""Start the app's server: ``python -m solara run talentsim.app.page`` on this machine only.

The server runs in production mode (no file watching), on 127.0.0.1, without Solara's usage
statistics or its check for a newer version on PyPI, and serves the page's scripts and styles
from the ``solara-assets`` package, so neither it nor the page asks anything of another machine.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

INSTALL_HINT = "talentsim app needs the app extra (Solara): pip install -e \".[app]\" (or pip install 'talentsim[app]')"


def missing_dependency() -> str | None:
    """What is missing to run the app, or None."""
    for module in ("solara", "solara_assets"):
        if importlib.util.find_spec(module) is None:
            return f"{INSTALL_HINT}; no module {module!r}"
    return None


def server_command(port: int, host: str = "127.0.0.1") -> list[str]:
    """The command that starts the server."""
    return [
        sys.executable,
        "-m",
        "solara",
        "run",
        "talentsim.app.page",
        "--port",
        str(port),
        "--host",
        host,
        "--production",
        "--no-open",
        "--no-check-version",
        "--log-level",
        "warning",
    ]


def server_environment(results: Path) -> dict[str, str]:
    """The server's environment: the results folder, no usage statistics, figures drawn off-screen."""
    from talentsim.app.page_env import RESULTS_ENV

    env = dict(os.environ)
    env[RESULTS_ENV] = str(results.resolve())
    env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"
    env["MPLBACKEND"] = "Agg"
    return env


def serve(port: int, results: Path, host: str = "127.0.0.1") -> None:
    """Become the server (this process is replaced by it, so stopping it stops the server)."""
    print(f"talentsim app: http://{host}:{port}/  (results in {results}; Ctrl-C stops it)", flush=True)
    command = server_command(port, host)
    os.execve(command[0], command, server_environment(results))
