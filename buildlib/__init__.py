"""The jobs behind `python3 build.py` (the command line), standard library only: build.py runs on a
bare python3 and installs everything else itself.

- :mod:`.common`: the tree's paths, the download cache and its pinned registry files, errors,
  logging, hashing and stamps;
- :mod:`.environments`: the virtual environments, node_modules and the browser the tests drive;
- :mod:`.runtime`: the Pyodide runtime, fetched and verified against its lock file;
- :mod:`.datasets`: the data sets' registry archives, their preparation and `train`;
- :mod:`.snapshot`: the worker's start-up snapshot (made under Node);
- :mod:`.policy`: the content policy and cross-origin isolation headers;
- :mod:`.lite`: the notebook app (JupyterLite) and the files its kernel loads;
- :mod:`.site`: the wheel and the assembly of dist/;
- :mod:`.server`: the development server (`serve`, and the tests' `serving`);
- :mod:`.runners`: `test` and `bench`;
- :mod:`.style`: `fmt`, and the formatters' and linters' checks that `test` runs.
"""
