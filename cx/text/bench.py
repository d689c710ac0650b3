"""Throughput of the load-time text analysis: N generated comments through `analyse_batch`.

The comments are two demo sentences of one language each (English, French, German, Spanish in
the demo's mix), so texts rarely repeat and the per-batch cache of identical texts does not
flatter the number. They go through
exactly the code an upload runs, in one transaction on a temporary database. Peak memory is the
process's maximum resident set (ru_maxrss), reported with the resident size before analysis so
the growth the analysis caused can be read off. CPU seconds are reported beside wall-clock ones:
on a shared machine the wall clock also counts time spent waiting for a core.
"""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from cx.demo import spec
from cx.demo.comments import LANGUAGES, catalogue
from cx.storage import Store, run
from cx.storage.batches import Batch, insert_batch, new_batch_id
from cx.text.batch import analyse_batch
from cx.text.records import CHUNK


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _comments(n: int, seed: int) -> pa.Table:
    """Two sentences of one language per comment, languages in the demo's overall mix."""
    sentences, ranges = catalogue()
    pools = {lang: np.asarray([sentences[i] for (lg, _, _), (a, b) in ranges.items()
                               if lg == lang for i in range(a, b)], dtype=object)
             for lang in LANGUAGES}
    weights = spec.COMMENT_LANGUAGE_BY_REGION.T @ spec.REGION_MIX
    rng = np.random.default_rng(seed)
    lang = rng.choice(len(LANGUAGES), size=n, p=weights / weights.sum())
    u = rng.random((2, n))
    text = []
    for i, code in enumerate(lang):
        pool = pools[LANGUAGES[code]]
        a, b = (u[:, i] * len(pool)).astype(int)
        text.append(f"{pool[a]} {pool[b]}")
    return pa.table({"response_id": [f"B{i:09d}" for i in range(n)], "comment": text})


def text_benchmark(n: int = 100_000, chunk: int = CHUNK, seed: int = 1) -> dict[str, Any]:
    """Comments per second and peak memory of analysing `n` comments as one batch."""
    with tempfile.TemporaryDirectory(prefix="cx-text-bench-") as folder:
        store = Store(Path(folder) / "bench.duckdb")
        batch_id = new_batch_id()
        with store.transaction() as cur:
            cur.register("bench_rows", _comments(n, seed))
            run(cur, "INSERT INTO responses (response_id, batch_id, comment) "
                     "SELECT response_id, ?, comment FROM bench_rows", [batch_id])
            cur.unregister("bench_rows")
            insert_batch(cur, Batch(batch_id, "upload", "responses", "bench", rows_read=n,
                                    rows_loaded=n))
        rss_before = _rss_mib()
        started, cpu_started = time.perf_counter(), time.process_time()
        with store.transaction() as cur:
            analysed = analyse_batch(cur, "responses", batch_id, chunk=chunk)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        langs = dict(store.query("SELECT lang, count(*) FROM comment_features GROUP BY lang "
                                 "ORDER BY 2 DESC"))
    return {"comments": analysed, "seconds": round(seconds, 2),
            "comments_per_second": round(analysed / seconds, 1),
            "cpu_seconds": round(cpu, 2), "comments_per_cpu_second": round(analysed / cpu, 1),
            "rss_before_mib": round(rss_before, 1), "peak_rss_mib": round(_rss_mib(), 1),
            "chunk": chunk, "languages": langs,
            "extrapolated_1m_seconds": round(1_000_000 * seconds / max(analysed, 1), 1)}
