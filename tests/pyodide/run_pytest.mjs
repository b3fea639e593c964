// Run pytest inside Pyodide under Node: the same runtime, NumPy 2.0.2 and pizarra wheel as the
// site, so code that works only in CPython is caught without a browser.
//   node tests/pyodide/run_pytest.mjs <dist/runtime> <wheel>... -- <pytest args>
import { loadPyodide } from "pyodide";
import path from "node:path";

const separator = process.argv.indexOf("--");
const [runtime, ...wheels] = process.argv.slice(2, separator);
const pytestArgs = process.argv.slice(separator + 1);
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

const pyodide = await loadPyodide({
  indexURL: path.resolve(runtime) + "/",
  stdout: (s) => console.log(s),
  stderr: (s) => console.error(s),
});
await pyodide.loadPackage(["numpy", ...wheels.map((w) => path.resolve(w))], { messageCallback: () => {} });
pyodide.FS.mkdirTree("/repo");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: repo }, "/repo");
pyodide.globals.set("pytest_args", pyodide.toPy(pytestArgs));
const code = await pyodide.runPythonAsync(`
import os, sys, pytest
os.chdir("/repo")
os.environ["PIZARRA_ASSETS"] = "/repo/pysrc/pizarra/weights"  # committed assets are not in the wheel
sys.dont_write_bytecode = True
int(pytest.main(list(pytest_args)))
`);
process.exit(code);
