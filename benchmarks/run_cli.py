"""Run one backchannel command the way the console script does, then report the peak memory
of this process and of its forked readers on stderr (used by bench.py).

Kept apart from bench.py so that timing a command does not also time the benchmark's own
imports. VmHWM, not ru_maxrss, for this process: Linux carries ru_maxrss across exec, so a
child of a large parent would report the parent's size.
"""

import json
import os
import resource
import sys
import traceback
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

    code = 1
    try:
        cli(sys.argv[1:], prog_name="backchannel", standalone_mode=False)
        code = 0
    except BaseException:  # noqa: BLE001 - reported, then the exit code says it failed
        traceback.print_exc()
    finally:
        # the readers of messages.csv are forked children: the largest one's peak
        readers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(json.dumps({"peak_mib": peak_mib(), "reader_peak_mib": readers}), file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)  # as backchannel.cli.main ends


if __name__ == "__main__":
    main()
