#!/usr/bin/env python3
"""What a media job costs the gateway: rows written per job, and the poller's work with many jobs in flight.

    tests/Benchmarks/tasks-bench.py                 # 1,000 concurrent video jobs on a sora platform
    TASKS_JOBS=200 TASKS_JOB_SECONDS=10 tests/Benchmarks/tasks-bench.py

It starts the Release host (build it first: dotnet build Plugins.sln -c Release) on 127.0.0.1 with a `sora` platform
whose upstream is the conformance suite's fake of OpenAI's Videos API (tasks-fake.mjs, a separate node process, so its
CPU is not the gateway's; needs `npm ci` in tests/conformance and ffmpeg), creates TASKS_JOBS video jobs at once
through POST /v1/videos, and lets the background poller take them to completion: each poll is an upstream call, and
each finished job's video, thumbnail and spritesheet are downloaded into Manifold's storage. Nobody polls from
outside, so everything measured is the gateway's own background work. It reports:

- rows written per job: every write to a job's row bumps its version (insert = 1), so sum(version) / jobs is exact;
- the poller's CPU: the host's user+system CPU seconds while jobs run (sampled from /proc), minus its idle rate;
- completion lag: how long after the upstream finished a job Manifold had collected it (p50/p95/max);
- the database and storage footprint per job.

Every request goes to 127.0.0.1 only; the run is bounded by TASKS_TIMEOUT seconds and stops by itself.
"""
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HOST_DLL = os.path.join(ROOT, "runtime/Manifold.Host/bin/Release/net10.0/Manifold.Host.dll")
JOBS = int(os.environ.get("TASKS_JOBS", "1000"))
JOB_SECONDS = float(os.environ.get("TASKS_JOB_SECONDS", "30"))
POLL_INTERVAL = os.environ.get("TASKS_POLL_INTERVAL", "00:00:05")
TIMEOUT = float(os.environ.get("TASKS_TIMEOUT", "600"))
KEY = "mf-tasks-bench-key-0123456789abcdef"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def request(url, method="GET", body=None, headers=None):
    req = urllib.request.Request(url, method=method, data=body, headers={"Authorization": f"Bearer {KEY}", **(headers or {})})
    with urllib.request.urlopen(req, timeout=60) as response:
        return json.loads(response.read())


def main():
    if not os.path.exists(HOST_DLL):
        sys.exit(f"{HOST_DLL} is missing: dotnet build Plugins.sln -c Release")
    work = tempfile.mkdtemp(prefix="manifold-tasks-bench-")
    database = os.path.join(work, "manifold.db")
    media = os.path.join(work, "media")
    port = free_port()
    fake = subprocess.Popen(["node", os.path.join(os.path.dirname(__file__), "tasks-fake.mjs")], stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, TASKS_JOB_MS=str(int(JOB_SECONDS * 1000))))
    upstream = json.loads(fake.stdout.readline())
    env = dict(os.environ,
               Manifold__BootstrapKey=KEY,
               Manifold__Storage__ConnectionString=f"Data Source={database}",
               Manifold__Platforms__sora__Plugin="sora",
               Manifold__Platforms__sora__BaseUrl=upstream["baseUrl"],
               Manifold__Platforms__sora__Accounts__0__Key=upstream["key"],
               Manifold__Tasks__PollInterval=POLL_INTERVAL,
               Manifold__Media__Path=media,
               Logging__LogLevel__Default="Warning")
    host = subprocess.Popen(["dotnet", HOST_DLL, "--urls", f"http://127.0.0.1:{port}"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                if time.time() > deadline or host.poll() is not None:
                    sys.exit("the host did not start")
                time.sleep(0.2)

        idle_start = cpu_seconds(host.pid)
        time.sleep(3)
        idle_rate = (cpu_seconds(host.pid) - idle_start) / 3

        # Creating: the request path's cost, measured apart from the background work.
        form = ("--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nsora-2\r\n"
                "--b\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\na benchmark job\r\n"
                "--b\r\nContent-Disposition: form-data; name=\"size\"\r\n\r\n720x1280\r\n--b--\r\n").encode()
        created_cpu = cpu_seconds(host.pid)
        started = time.time()
        with ThreadPoolExecutor(max_workers=32) as pool:
            ids = list(pool.map(lambda _: request(f"{base}/v1/videos", "POST", form, {"Content-Type": "multipart/form-data; boundary=b"})["id"], range(JOBS)))
        create_seconds = time.time() - started
        create_cpu = cpu_seconds(host.pid) - created_cpu

        # Background: the poller alone takes every job to completion (nothing polls from outside).
        background_cpu_start = cpu_seconds(host.pid)
        background_start = time.time()
        db = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
        while True:
            done = db.execute("SELECT COUNT(*) FROM media_tasks WHERE status IN ('completed', 'failed')").fetchone()[0]
            if done == JOBS or time.time() - started > TIMEOUT:
                break
            time.sleep(1)
        background_seconds = time.time() - background_start
        background_cpu = cpu_seconds(host.pid) - background_cpu_start - idle_rate * background_seconds

        rows = db.execute("SELECT COUNT(*), SUM(version), SUM(poll_count), SUM(status = 'completed') FROM media_tasks").fetchone()
        lags = [row[0] / 1000 - JOB_SECONDS for row in db.execute(
            "SELECT completed_at - created_at FROM media_tasks WHERE status = 'completed'")]
        db.close()
        db_bytes = sum(os.path.getsize(database + s) for s in ("", "-wal") if os.path.exists(database + s))
        media_bytes = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(media) for f in fs)

        lags.sort()
        report = {
            "jobs": JOBS,
            "completed": rows[3],
            "upstream job length (s)": JOB_SECONDS,
            "poll interval": POLL_INTERVAL,
            "create: wall (s)": round(create_seconds, 2),
            "create: host CPU per job (ms)": round(create_cpu * 1000 / JOBS, 3),
            "rows written per job (sum of versions / jobs)": round(rows[1] / rows[0], 2),
            "polls per job": round(rows[2] / rows[0], 2),
            "background: wall until all done (s)": round(background_seconds, 1),
            "background: host CPU per job (ms), idle removed": round(background_cpu * 1000 / JOBS, 2),
            "completion lag p50 / p95 / max (s)": [round(statistics.median(lags), 2), round(lags[int(len(lags) * 0.95) - 1], 2), round(lags[-1], 2)] if lags else None,
            "database bytes per job": round(db_bytes / JOBS),
            "stored media bytes per job": round(media_bytes / JOBS),
        }
        print(json.dumps(report, indent=2))
    finally:
        host.terminate()
        try:
            host.wait(timeout=20)
        except subprocess.TimeoutExpired:
            host.kill()
        fake.terminate()
        fake.wait(timeout=20)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
