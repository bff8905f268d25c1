"""The Dask engine: the same chunks as the local engine, mapped over the workers of a Dask
cluster (an existing one, or a LocalCluster on this machine). Each worker loads the pipeline
once, through a worker plugin that carries only the two paths, and writes the part files itself,
so the output directory and the model must be at the same paths on every worker."""
import contextlib
import logging
import time
from typing import Iterator, Optional

from distributed import Client, LocalCluster, WorkerPlugin, as_completed

from geoner.archive.tagging import preload_pipeline, process_chunk


class LoadPipeline(WorkerPlugin):
    """Load the pipeline when a worker starts, like the local pool's initializer."""

    name = "geoner-load-pipeline"

    def __init__(self, model: str, blocs: str):
        self.model, self.blocs = model, blocs

    def setup(self, worker):
        preload_pipeline(self.model, self.blocs)


@contextlib.contextmanager
def dask_client(scheduler: Optional[str], n_workers: int):
    """A client of the cluster at SCHEDULER, or of a LocalCluster of N_WORKERS single-threaded
    worker processes listening on the loopback interface only. A failed chunk's error reaches
    the caller through its future, so the workers' own error logs are kept quiet."""
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=logging.CRITICAL) as cluster, Client(cluster) as client:
        yield client


def run_dask(jobs: Iterator, cfg: dict, n_workers: int, scheduler: Optional[str]) -> Iterator[dict]:
    """Run process_chunk for every (k, docs) of JOBS on the cluster; yields each chunk's counts
    as it finishes. At most two chunks per worker are in flight, so the input is read no further
    ahead than the cluster can take it."""
    with dask_client(scheduler, n_workers) as client:
        client.register_plugin(LoadPipeline(cfg["model"], cfg["blocs"]))
        window = 2 * max(1, len(client.scheduler_info()["workers"]))
        running = as_completed()
        run = time.time_ns()
        for k, docs in jobs:
            running.add(client.submit(process_chunk, k, docs, cfg, pure=False, key=f"geoner-chunk-{run}-{k:05d}"))
            while running.count() >= window:
                yield next(running).result()
        for future in running:
            yield future.result()
