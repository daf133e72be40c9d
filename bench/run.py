"""`make bench`: run every bench/bench_*.py module's run() and print the figures.

Each module prints its own progress; the last line of the output is one JSON object with
every module's figures under its name."""

import importlib
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


def main(selected: list[str]) -> None:
    import django

    django.setup()
    results = {}
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if selected and name not in selected:
            continue
        started = time.perf_counter()
        module = importlib.import_module(f"bench.{path.stem}")
        results[name] = module.run()
        results[name]["elapsed_s"] = round(time.perf_counter() - started, 1)
        print(f"[bench] {name}: {json.dumps(results[name], ensure_ascii=False)}", flush=True)
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
