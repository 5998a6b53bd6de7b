"""The benchmarks' peak memory: a benchmark child reports its own peak, not its parent's."""

import json
import subprocess
import sys
import textwrap

# A parent that grows to ~300 MB, frees it, then starts a child the way bench/__main__.py does (subprocess.run).
PARENT = textwrap.dedent(
    """
    import json, resource, subprocess, sys
    block = bytearray(300 * 1024 * 1024)
    for i in range(0, len(block), 4096):
        block[i] = 1
    del block
    child = (
        "import json, resource; from bench.harness import max_rss_mb; "
        "print(json.dumps([max_rss_mb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]))"
    )
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, check=True)
    print(done.stdout.strip().splitlines()[-1])
    """
)


def test_a_benchmark_child_reports_its_own_peak_not_its_parents():
    done = subprocess.run([sys.executable, "-c", PARENT], capture_output=True, text=True, check=True)
    own, inherited = json.loads(done.stdout.strip().splitlines()[-1])
    # What ru_maxrss says in the child: the parent's 300 MB (the bug this guards against)...
    assert inherited > 290
    # ...and what the harness reports: the child's own interpreter, a few tens of MB.
    assert 0 < own < 150


GROW = textwrap.dedent(
    """
    from bench.harness import max_rss_mb
    before = max_rss_mb()
    block = bytearray(64 * 1024 * 1024)
    for i in range(0, len(block), 4096):
        block[i] = 1
    print(max_rss_mb() - before)
    """
)


def test_the_peak_grows_with_what_the_process_touches():
    # In a fresh process: the test runner's own high-water mark may already be far above what this block adds.
    done = subprocess.run([sys.executable, "-c", GROW], capture_output=True, text=True, check=True)
    assert float(done.stdout.strip().splitlines()[-1]) >= 60
