"""The build: the cache, section kernels, papermill execution, atomic outputs (the pipeline itself is
``jixiao.build.pipeline.pipeline``)."""
