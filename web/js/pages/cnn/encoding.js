// Bytes as text, for the CNN page: base64 for engine calls, and a 28×28 digit as a short link
// code (its 784 grey levels, deflated, in base64url: about 200–400 characters).

export const DIGIT_PIXELS = 28 * 28;

/** Standard base64 of a Uint8Array (what Python's base64.b64decode reads). */
export function toBase64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function toBase64Url(bytes) {
  return toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Little-endian float32 values sent as base64 (see cnn_predict's layers). */
export function float32FromBase64(text) {
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  return new Float32Array(bytes.buffer);
}

/** The bytes of a base64url string; throws on any other character. */
export function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new Error("not base64url");
  const binary = atob(
    text
      .replace(/-/g, "+")
      .replace(/_/g, "/")
      .padEnd(Math.ceil(text.length / 4) * 4, "="),
  );
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function collect(stream, limit) {
  const chunks = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.length;
    if (total > limit) throw new Error("too long");
    chunks.push(chunk);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) out.set(chunk, (at += chunk.length) - chunk.length);
  return out;
}

/** The link code of a digit: 784 uint8 pixels → deflate-raw → base64url. */
export async function encodeDigit(pixels) {
  if (pixels.length !== DIGIT_PIXELS) throw new Error(`a digit has ${DIGIT_PIXELS} pixels`);
  const stream = new Blob([Uint8Array.from(pixels)])
    .stream()
    .pipeThrough(new CompressionStream("deflate-raw"));
  return toBase64Url(await collect(stream, 4 * DIGIT_PIXELS));
}

/** The 784 pixels of a link code; rejects a malformed code or one that does not inflate to exactly 784 bytes. */
export async function decodeDigit(code) {
  const stream = new Blob([fromBase64Url(code)]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  const pixels = await collect(stream, DIGIT_PIXELS);
  if (pixels.length !== DIGIT_PIXELS) throw new Error("wrong size");
  return pixels;
}
