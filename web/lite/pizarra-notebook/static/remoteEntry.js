// Pizarra's plugin for the in-browser notebook app (JupyterLite). It is the module-federation
// container JupyterLab loads a prebuilt extension from (`init`, `get`), written by hand: the plugin
// needs nothing but the application object, so there is nothing to bundle. On start, when the address
// names a notebook a page of the site announced (js/notebook-handoff.js), it waits for the notebook
// and saves it among the app's files before the app opens that address; if the page could not send
// it, the app says why instead. Meanwhile the notebook's kernel is already starting. See
// docs/ARCHITECTURE.md, "Take it home".
"use strict";
(function () {
  const handoff = new URL("../../../../js/notebook-handoff.js", document.currentScript.src).href;

  const plugin = {
    id: "pizarra-notebook:receive",
    description: "Saves the notebook a Pizarra page hands over before the app opens it.",
    autoStart: true,
    activate: async (app) => {
      const params = new URLSearchParams(location.search);
      const path = params.get("path");
      const coming = params.get("handoff"); // the language of the page handing a notebook over
      if (!path) return;
      let reason;
      // The handed-over notebook's kernel starts at once, while the app and the notebook load: the
      // notebook, once open, joins the session of its path (JupyterLab's SessionContext finds it by path).
      const session = coming
        ? app.serviceManager.sessions.startNew({
            path,
            name: path.split("/").pop(),
            type: "notebook",
            kernel: { name: "python" },
          })
        : Promise.resolve(null);
      session.catch(() => {}); // the notebook then starts its own, as it would have
      try {
        const { receive, forget } = await import(handoff);
        const received = await receive(path, { coming });
        if (received === null) return; // not handed over: a notebook received before, or any other file
        if ("notebook" in received) {
          await app.serviceManager.contents.save(path, {
            type: "notebook",
            format: "json",
            content: received.notebook,
          });
          // Its first checkpoint: the notebook as the page wrote it (and what "Last Checkpoint" reads).
          await app.serviceManager.contents.createCheckpoint(path);
          // Saved: from now on the address names the notebook alone, and a reload opens it as saved.
          history.replaceState(null, "", `${location.pathname}?path=${encodeURIComponent(path)}`);
          await forget(path);
          return;
        }
        reason = received.reason;
        await forget(path);
      } catch (error) {
        reason = `The notebook could not be received / No se pudo recibir el cuaderno: ${error}`;
      }
      history.replaceState(null, "", location.pathname); // no notebook to open
      session.then((connection) => connection?.kernel?.shutdown()).catch(() => {});
      app.started.then(() =>
        app.commands.execute("apputils:notify", {
          message: reason,
          type: "error",
          options: { autoClose: false },
        }),
      );
    },
  };

  (window._JUPYTERLAB = window._JUPYTERLAB || {})["pizarra-notebook"] = {
    init: () => {},
    get: async (module) => {
      if (module !== "./extension") throw new Error(`pizarra-notebook has no module ${module}`);
      return () => [plugin];
    },
  };
})();
