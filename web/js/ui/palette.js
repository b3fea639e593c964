// Colours that colour-blind readers can tell apart, and perceptually uniform colour maps.

/** Okabe–Ito categorical palette (distinguishable with every common colour-vision deficiency). */
export const SERIES_COLOURS = [
  "#0072B2",
  "#D55E00",
  "#009E73",
  "#CC79A7",
  "#E69F00",
  "#56B4E9",
  "#F0E442",
  "#000000",
];

/** Viridis, sampled at 9 stops (perceptually uniform, readable in grey). */
const VIRIDIS = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];
/** ColorBrewer PuOr, a diverging map for signed values such as gradients: purple – white – orange. */
const PUOR = [
  [45, 0, 75],
  [128, 115, 172],
  [216, 218, 235],
  [247, 247, 247],
  [254, 224, 182],
  [224, 130, 20],
  [127, 59, 8],
];
const MAPS = { viridis: VIRIDIS, diverging: PUOR };

/** RGB for t in [0, 1] on a named colour map, by linear interpolation between its stops. */
export function colourAt(map, t) {
  const stops = MAPS[map];
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  return stops[i].map((c, k) => Math.round(c + f * (stops[i + 1][k] - c)));
}

export function cssGradient(map) {
  const stops = MAPS[map];
  return `linear-gradient(to right, ${stops.map((c, i) => `rgb(${c}) ${(100 * i) / (stops.length - 1)}%`).join(", ")})`;
}
