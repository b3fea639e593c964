// A call that waits for a pause: each request restarts the wait, and only the last one runs — what a
// text box or a slider asks of Python while it is still being typed or dragged.

/** debounced(fn, ms) → request(): fn() once `ms` pass with no other request; request.pending, .cancel() */
export function debounced(fn, ms) {
  let timer = null;
  const request = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn();
    }, ms);
  };
  Object.defineProperty(request, "pending", { get: () => timer !== null });
  request.cancel = () => {
    clearTimeout(timer);
    timer = null;
  };
  return request;
}
