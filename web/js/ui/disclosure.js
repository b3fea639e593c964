// A header button that opens a small panel under it (the engine's details, the notebook's choices):
// the button says whether it is open (aria-expanded); Escape, or a click elsewhere, closes it.

/** Make `button` open and close `panel`; returns `setOpen(open)`. */
export function disclosure(button, panel) {
  const setOpen = (open) => {
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
  };
  button.addEventListener("click", () => setOpen(panel.hidden));
  document.addEventListener(
    "keydown",
    (event) => event.key === "Escape" && !panel.hidden && (setOpen(false), button.focus()),
  );
  document.addEventListener(
    "click",
    (event) => !button.contains(event.target) && !panel.contains(event.target) && setOpen(false),
  );
  return setOpen;
}
