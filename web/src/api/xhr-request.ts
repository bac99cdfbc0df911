/** Bytes of the request body sent so far; `total` is the whole body, multipart framing included. */
export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface XhrResponse {
  status: number;
  bodyText: string;
  contentType: string | null;
}

export interface XhrPostOptions {
  url: string;
  headers: Record<string, string>;
  body: FormData;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

/** The part of XMLHttpRequest this module uses, so tests can hand in their own. */
export type XhrLike = Pick<
  XMLHttpRequest,
  "open" | "setRequestHeader" | "send" | "abort" | "getResponseHeader" | "status" | "responseText"
> & {
  upload: Pick<XMLHttpRequestUpload, "onprogress">;
  onload: XMLHttpRequest["onload"];
  onerror: XMLHttpRequest["onerror"];
  onabort: XMLHttpRequest["onabort"];
};

/**
 * A POST through XMLHttpRequest: fetch cannot report upload progress, XHR's `upload.onprogress`
 * reports the bytes really handed to the network.
 */
export function postWithProgress(
  options: XhrPostOptions,
  createRequest: () => XhrLike = () => new XMLHttpRequest(),
): Promise<XhrResponse> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(abortError());
      return;
    }
    const request = createRequest();
    request.open("POST", options.url);
    for (const [name, value] of Object.entries(options.headers)) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.({ loaded: event.loaded, total: event.total });
    };
    request.onload = () => {
      options.signal?.removeEventListener("abort", onAbort);
      resolve({
        status: request.status,
        bodyText: request.responseText,
        contentType: request.getResponseHeader("content-type"),
      });
    };
    request.onerror = () => {
      options.signal?.removeEventListener("abort", onAbort);
      reject(new TypeError(`The upload to ${options.url} failed: the server could not be reached`));
    };
    request.onabort = () => reject(abortError());
    const onAbort = () => request.abort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    request.send(options.body);
  });
}

function abortError(): Error {
  return new DOMException("The upload was cancelled", "AbortError");
}
