/**
 * Starts the browser's download of a URL under a file name, the page staying where it is: a click
 * on a temporary link with `download`, so a signed short-lived URL is followed at once.
 */
export function downloadUrl(url: string, fileName: string) {
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
}
