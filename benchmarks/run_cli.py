"""Run one backchannel command the way the console script does, then report this process's
peak memory on stderr as one JSON line (used by bench.py).

Kept apart from bench.py so that timing a command does not also time the benchmark's own
imports. VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a child of a large
parent would report the parent's size.
"""

import json
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))


def peak_mib() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    from backchannel.cli import cli

    code = 0
    try:
        cli(sys.argv[1:], prog_name="backchannel", standalone_mode=False)
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        print(json.dumps({"peak_mib": round(peak_mib(), 1)}), file=sys.stderr)
    sys.exit(code)


if __name__ == "__main__":
    main()
