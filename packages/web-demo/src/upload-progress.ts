/**
 * A `fetch` for the SDK's session (`createSession({ fetch })`) that sends multipart bodies (uploads) with
 * XMLHttpRequest, whose upload events tell how far the file got (fetch has no upload progress); every other
 * request goes through `fetch`. `subscribe`/`getSnapshot`: the running upload's fraction sent, or undefined.
 */
export function createUploadProgress() {
  const listeners = new Set<() => void>();
  let fraction: number | undefined;
  const set = (next: number | undefined) => {
    fraction = next;
    for (const listener of [...listeners]) listener();
  };

  const fetchWithProgress = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const body = init?.body;
    if (!(body instanceof FormData)) return fetch(input, init);
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(init?.method ?? 'POST', input instanceof Request ? input.url : String(input));
      new Headers(init?.headers).forEach((value, name) => xhr.setRequestHeader(name, value));
      set(0);
      xhr.upload.onprogress = (event) => set(event.lengthComputable ? event.loaded / event.total : 0);
      xhr.onload = () => {
        set(undefined);
        resolve(new Response(xhr.responseText, { status: xhr.status }));
      };
      xhr.onerror = xhr.onabort = () => {
        set(undefined);
        reject(new TypeError('The upload failed on the network.'));
      };
      init?.signal?.addEventListener('abort', () => xhr.abort());
      xhr.send(body);
    });
  };

  return {
    fetch: fetchWithProgress,
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: (): number | undefined => fraction,
  };
}

export type UploadProgress = ReturnType<typeof createUploadProgress>;
