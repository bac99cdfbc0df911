import type { XhrLike } from "../../src/api/xhr-request";

/**
 * Stands in for XMLHttpRequest in tests: records what was sent, and lets the test play the
 * network's part (progress, the answer, a failure).
 */
export class FakeXhr implements XhrLike {
  method = "";
  url = "";
  headers: Record<string, string> = {};
  body: FormData | null = null;
  aborted = false;
  status = 0;
  responseText = "";
  private contentType: string | null = null;
  upload: XhrLike["upload"] = { onprogress: null };
  onload: XhrLike["onload"] = null;
  onerror: XhrLike["onerror"] = null;
  onabort: XhrLike["onabort"] = null;

  open(method: string, url: string | URL) {
    this.method = method;
    this.url = String(url);
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name.toLowerCase()] = value;
  }
  send(body?: Document | XMLHttpRequestBodyInit | null) {
    this.body = body as FormData;
  }
  abort() {
    this.aborted = true;
    this.onabort?.call(this as unknown as XMLHttpRequest, new ProgressEvent("abort"));
  }
  getResponseHeader(name: string) {
    return name.toLowerCase() === "content-type" ? this.contentType : null;
  }

  progress(loaded: number, total: number) {
    const event = new ProgressEvent("progress", { lengthComputable: true, loaded, total });
    this.upload.onprogress?.call(this as unknown as XMLHttpRequest, event);
  }
  respond(status: number, body: unknown, contentType = "application/graphql-response+json; charset=utf-8") {
    this.status = status;
    this.responseText = typeof body === "string" ? body : JSON.stringify(body);
    this.contentType = contentType;
    this.onload?.call(this as unknown as XMLHttpRequest, new ProgressEvent("load"));
  }
  fail() {
    this.onerror?.call(this as unknown as XMLHttpRequest, new ProgressEvent("error"));
  }
}
