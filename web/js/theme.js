// Runs before the first paint so the chosen theme never flashes: saved choice, else the system's.
document.documentElement.dataset.theme =
  localStorage.getItem("pizarra.theme") ||
  (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
