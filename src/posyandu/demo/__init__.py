"""The demo kabupaten: a realistic, deterministic data set for `posyandu demo` and `make run`.

Not a Django app (it has no models): generator modules that fill the apps' tables for one
made-up kabupaten in West Java. `load_demo(scale=..., seed=..., as_of=...)` writes it in one
transaction; the same scale, seed and reference date give the same data.
"""
