"""The shared UI pieces every page uses, rendered in the real site."""

from conftest import wait_engine


def test_shared_pieces_render_and_describe_themselves(site, new_page):
    page, errors = new_page(locale="en-US")
    page.goto(site)
    wait_engine(page)
    result = page.evaluate(
        """async () => {
          const root = document.getElementById("main");
          const { heatmap } = await import("./js/ui/heatmap.js");
          const { barChart } = await import("./js/ui/bar-chart.js");
          const { lineChart } = await import("./js/ui/line-chart.js");
          const { codePanel } = await import("./js/ui/code-panel.js");
          const map = heatmap(root, { label: "W", colormap: "diverging" });
          map.update([[1, -2, 3], [0.5, 0, -1]]);
          const bars = barChart(root, { labels: ["0", "1", "2"] });
          bars.update([0.1, 0.7, 0.2]);
          const chart = lineChart(root, { series: ["train", "validation"], xLabel: "step", yLabel: "loss" });
          chart.setData([0, 1, 2], [[1, 0.5, 0.25], [1.1, 0.7, 0.6]]);
          chart.mark(1, "best");
          const code = codePanel(root, { engine: pizarra });
          await code.show("pizarra.cnn.LeNet5", { highlight: [0, 0], label: "The network" });
          return {
            heatmap: map.canvas.getAttribute("aria-label"),
            size: [map.canvas.width, map.canvas.height],
            best: [...bars.element.querySelectorAll(".bar")].findIndex((b) => b.classList.contains("best")),
            bars: bars.element.innerText,
            chart: chart.element.querySelectorAll("canvas").length,
            code: root.querySelector(".code-panel code").textContent,
            title: root.querySelector(".code-title").textContent,
            marked: root.querySelector(".code-line.marked").textContent,
          };
        }"""
    )
    assert result["size"] == [3, 2]
    assert "2 × 3" in result["heatmap"] and "from -3 to 3" in result["heatmap"].replace("−", "-")
    assert result["best"] == 1 and "70.0%" in result["bars"]
    assert result["chart"] >= 1
    assert result["code"].startswith("class LeNet5(nn.Module):") and "def forward(self, x):" in result["code"]
    assert result["title"].startswith("The network — pizarra/cnn/lenet.py:")
    assert result["marked"] == "class LeNet5(nn.Module):"
    assert errors == []


def test_controls_show_the_value_in_use_from_its_schema_entry(site, new_page):
    page, errors = new_page(locale="en-US")
    page.goto(site)
    page.locator("#pages-heading").wait_for()
    result = page.evaluate(
        """async () => {
          const root = document.getElementById("main");
          const { select, slider, numberField } = await import("./js/ui/controls.js");
          const lr = { type: "float", default: 0.01, min: 0.0001, max: 1, presets: [0.001, 0.01, 0.1] };
          const patience = { type: "int", default: 30, min: 1, max: 500 };
          const seed = { type: "int", default: 0, min: 0, max: 99 };
          const picked = [], typed = [];
          const offered = select({ spec: lr, label: "lr", value: 0.03, onChange: (v) => picked.push(v) });
          const preset = select({ spec: lr, label: "lr", value: 0.1 });
          const range = slider({ spec: patience, label: "patience", value: 500 });
          const field = numberField({ spec: seed, label: "seed", value: 7, onChange: (v) => typed.push(v), onInvalid: () => typed.push("invalid") });
          root.append(offered.element, preset.element, range.element, field.element);
          const offeredValue = offered.input.value;
          offered.input.value = "0.001";
          offered.input.dispatchEvent(new Event("change"));
          for (const text of ["12", "1.5", "100", ""]) {
            field.input.value = text;
            field.input.dispatchEvent(new Event("input"));
          }
          return {
            offered: [...offered.input.options].map((o) => o.value), offeredValue,
            preset: [...preset.input.options].map((o) => o.value), presetValue: preset.input.value,
            range: [range.input.min, range.input.max, range.input.value],
            picked, typed,
          };
        }"""
    )
    # a value within the bounds that is not a preset is offered, in order, and selected
    assert result["offered"] == ["0.001", "0.01", "0.03", "0.1"] and result["offeredValue"] == "0.03"
    assert result["preset"] == ["0.001", "0.01", "0.1"] and result["presetValue"] == "0.1"
    assert result["range"] == ["1", "500", "500"]
    assert result["picked"] == [0.001]  # a number, as the schema says
    # 1.5 is not whole, 100 is above 99; while the field is invalid the value in use is the one it had
    # before the edit began (7), so the first invalid entry gives it back once
    assert result["typed"] == [12, "invalid", 7, "invalid", "invalid"]
    assert errors == []


def test_a_page_gets_no_answer_after_it_unmounts(site, new_page):
    page, errors = new_page(locale="en-US")
    page.goto(site)
    wait_engine(page)
    result = page.evaluate(
        """async () => {
          const { pageContext } = await import("./js/page-context.js");
          const open = () => pageContext({ engine: pizarra, page: null, id: "test", query: "", notify: () => {}, writeQuery: () => {} });
          const delivered = { live: [], dead: [] };
          const live = open(), dead = open();
          for (const [name, scope] of [["live", live], ["dead", dead]]) {
            scope.context.engine.call("engine_check").then(() => delivered[name].push("call"), () => delivered[name].push("call failed"));
            scope.context.engine.call("no_such_function").then(() => delivered[name].push("?"), () => delivered[name].push("error"));
            scope.context.whileMounted(fetch("build.json")).then(() => delivered[name].push("fetch"));
          }
          dead.unmount();
          // The worker answers in order: once a later call is answered, the earlier ones were too.
          await pizarra.call("engine_check");
          await fetch("build.json");
          await new Promise((resolve) => setTimeout(resolve, 50));
          return delivered;
        }"""
    )
    assert sorted(result["live"]) == ["call", "error", "fetch"]
    assert result["dead"] == []
    assert errors == []


def test_number_fields_read_either_separator_and_show_the_languages(site, new_page):
    page, errors = new_page(locale="es-ES")
    page.goto(site)
    page.locator("#pages-heading").wait_for()
    result = page.evaluate(
        """async () => {
          const { numberField } = await import("./js/ui/controls.js");
          const typed = [];
          const field = numberField({ spec: { type: "float" }, label: "x", value: -3.5, onChange: (v) => typed.push(v), onInvalid: () => typed.push("invalid") });
          document.getElementById("main").append(field.element);
          const shown = [field.input.value];
          for (const text of ["-0,5", "0.25", "1e309", "--4", "2,5e3", "1.000,5"]) {
            field.input.value = text;
            field.input.dispatchEvent(new Event("input"));
            shown.push(field.input.getAttribute("aria-invalid"));
          }
          field.set(0.75);
          shown.push(field.input.value, field.input.getAttribute("aria-invalid"));
          return { typed, shown };
        }"""
    )
    # an invalid entry gives back the value the field had before the edit (-3.5), once
    assert result["typed"] == [-0.5, 0.25, "invalid", -3.5, "invalid", 2500, "invalid", -3.5]
    assert result["shown"] == ["-3,5", None, None, "true", "true", None, "true", "0,75", None]
    assert errors == []


def test_charts_follow_the_theme_and_keep_the_previous_run_as_a_ghost(site, new_page):
    page, errors = new_page(locale="en-US")
    page.goto(site)
    page.locator("#pages-heading").wait_for()
    page.evaluate("() => { document.documentElement.dataset.theme = 'light'; }")
    result = page.evaluate(
        """async () => {
          const { lineChart } = await import("./js/ui/line-chart.js");
          const root = document.getElementById("main");
          const chart = lineChart(root, { series: ["train"], xLabel: "step", yLabel: "loss" });
          chart.setData([1, 2, 3], [[1, 0.5, 0.25]]);
          const light = chart.colours();
          document.getElementById("theme").click();                     // the theme button: dark
          await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50)));
          const dark = chart.colours();
          const css = getComputedStyle(document.documentElement);
          const vars = { muted: css.getPropertyValue("--muted").trim(), grid: css.getPropertyValue("--grid").trim(), surface: css.getPropertyValue("--surface").trim() };
          // A log axis spanning decades: grid lines at 10^k only, not at every 2…9 × 10^k.
          const log = lineChart(root, { series: ["‖∂J/∂W‖"], xLabel: "step", yLabel: "norm", logY: true });
          log.setData([1, 2, 3, 4], [[1e-6, 1e-4, 1e-2, 1]]);
          await new Promise((resolve) => requestAnimationFrame(resolve));
          const grid = log.plot.axes[1].grid.filter(log.plot, log.plot.axes[1]._splits, 1).filter((v) => v !== null);
          // A new run: the previous one stays as faded ghosts.
          chart.ghost();
          chart.setData([1, 2], [[0.9, 0.8]]);
          const series = chart.plot.series.map((s) => s.label);
          return { light, dark, vars, grid, series, rows: chart.plot.data[0].length };
        }"""
    )
    assert result["light"] != result["dark"]  # restyled without a reload
    assert result["dark"] == {"axis": result["vars"]["muted"], "grid": result["vars"]["grid"]}
    assert contrast(result["vars"]["muted"], result["vars"]["surface"]) >= 4.5
    assert contrast(result["vars"]["grid"], result["vars"]["surface"]) < 2  # grid lines stay quiet
    assert all(
        abs(__import__("math").log10(v) - round(__import__("math").log10(v))) < 1e-9 for v in result["grid"]
    )
    assert len(result["grid"]) >= 3
    assert result["series"] == ["step", "train", "train (before)"] and result["rows"] == 3
    assert errors == []


def contrast(a, b):
    """WCAG contrast ratio of two #rrggbb colours."""

    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)
