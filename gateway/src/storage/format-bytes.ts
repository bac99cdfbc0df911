const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];

/** A size the way a person reads it in an error message: "2 GiB", "1.5 MiB", "300 bytes". */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const rounded = Number.isInteger(value) ? String(value) : value.toFixed(1).replace(/\.0$/, "");
  return `${rounded} ${units[unit]}`;
}
