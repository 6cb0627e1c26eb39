"""The engine that builds a report: the cache, the section kernels, papermill's execution, atomic
outputs (a build itself is :func:`jixiao.engine.pipeline.build`)."""
