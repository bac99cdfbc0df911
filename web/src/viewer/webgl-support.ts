/**
 * Whether this browser can draw with WebGL at all (it may be switched off, or missing as in the
 * component tests' DOM). Asked once per page; the viewers fall back to downloads without it.
 */
let supported: boolean | null = null;

export function canUseWebGL(): boolean {
  if (supported !== null) return supported;
  try {
    const canvas = document.createElement("canvas");
    supported = Boolean(canvas.getContext("webgl2") ?? canvas.getContext("webgl"));
  } catch {
    supported = false;
  }
  return supported;
}
