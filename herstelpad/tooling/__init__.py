"""herstelpad's tooling: the benchmark, the soak, the browser server, the report readers and the installer; pytest's plugin never imports it."""
