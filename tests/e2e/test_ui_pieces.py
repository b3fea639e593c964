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
          await code.show("pizarra.vision.LeNet5", { highlight: [0, 0] });
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
    assert result["best"] == 1 and "70%" in result["bars"]
    assert result["chart"] >= 1
    assert result["code"].startswith("class LeNet5(nn.Module):") and "def forward(self, x):" in result["code"]
    assert result["title"].startswith("pizarra/vision.py:")
    assert result["marked"] == "class LeNet5(nn.Module):"
    assert errors == []
