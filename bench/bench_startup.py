"""Start-up of the command line: `deliberate --help`, `member list`, `proposals`.

Each command runs N times as a fresh process (median wall time) beside baselines measured in
the same run: an empty interpreter, `import typer` (what any typer CLI pays), and
`import typer, sqlalchemy` (what any command that opens the database pays). The load average
is printed with the figures: compare ratios, not seconds.

    .venv/bin/python bench/bench_startup.py --runs 7
    .venv/bin/python bench/bench_startup.py --venv /tmp/installed/.venv   # a `pip install .`
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The least any typer command pays (typer coerces options through pydantic when it runs one).
_TYPER_COMMAND = """
import typer
app = typer.Typer()
@app.command()
def main(as_json: bool = False) -> None:
    print(as_json)
app([])
"""
# ... and one that reads the members table through SQLAlchemy Core.
_CORE_QUERY = """
import typer
import sqlalchemy as sa
app = typer.Typer()
@app.command()
def main(as_json: bool = False) -> None:
    with sa.create_engine("{url}").connect() as c:
        print(c.execute(sa.text("SELECT handle, name FROM members ORDER BY handle")).all())
app([])
"""


def _time(argv: list[str], env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--venv", type=Path, default=Path(sys.executable).parent.parent)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    python = str(args.venv / "bin" / "python")
    deliberate = str(args.venv / "bin" / "deliberate")
    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "DELIBERATE_HOME": home,
            "DELIBERATE_DB": str(Path(home) / "forum.db"),
        }
        samples = Path(__file__).resolve().parents[1] / "proposals"
        subprocess.run([deliberate, "init"], env=env, check=True, capture_output=True)
        subprocess.run(
            [deliberate, "import", str(samples)], env=env, check=True, capture_output=True
        )
        subprocess.run(
            [deliberate, "member", "add", "anna", "--name", "Anna"],
            env=env,
            check=True,
            capture_output=True,
        )
        load_before = _load()
        url = f"sqlite:///{Path(home) / 'forum.db'}"
        cases = {
            "python -c pass": [python, "-c", "pass"],
            "import typer": [python, "-c", "import typer"],
            "import typer, sqlalchemy": [python, "-c", "import typer, sqlalchemy"],
            "typer command, 1 option": [python, "-c", _TYPER_COMMAND],
            "typer command + Core query": [python, "-c", _CORE_QUERY.format(url=url)],
            "deliberate --help": [deliberate, "--help"],
            "deliberate member list": [deliberate, "member", "list"],
            "deliberate proposals": [deliberate, "proposals"],
        }
        figures = {name: _time(argv, env, args.runs) for name, argv in cases.items()}
        load_after = _load()
    typer_s = figures["import typer"]
    core_s = figures["typer command + Core query"]
    print(f"load average before {load_before}, after {load_after}; median of {args.runs} runs")
    for name, seconds in figures.items():
        print(
            f"{name:<28} {seconds:6.2f} s   ×{seconds / typer_s:4.1f} import typer"
            f"   ×{seconds / core_s:4.1f} typer command + Core query"
        )
    if args.json:
        args.json.write_text(json.dumps({"load": [load_before, load_after], **figures}))


if __name__ == "__main__":
    main()
