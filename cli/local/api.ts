/**
 * The few gateway calls the local launcher makes while setting things up, with the admin
 * token. Errors carry the gateway's problem detail so the launcher can say what went wrong.
 */
export class LocalApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface LocalApi {
  get<T>(path: string): Promise<T | undefined>;
  post<T>(path: string, body: unknown, contentType?: string): Promise<T>;
}

export function localApi(base: string, token: string): LocalApi {
  const call = async (method: string, path: string, body?: RequestInit["body"], contentType?: string) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (contentType) headers["content-type"] = contentType;
    const res = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined && { body }) });
    const text = await res.text();
    return { res, text };
  };
  return {
    async get(path) {
      const { res, text } = await call("GET", path);
      if (res.status === 404) return undefined;
      if (!res.ok) throw new LocalApiError(`GET ${path}: ${detail(text, res.status)}`, res.status);
      return JSON.parse(text);
    },
    async post(path, body, contentType = "application/json") {
      const payload =
        contentType === "application/json" ? JSON.stringify(body) : (body as RequestInit["body"]);
      const { res, text } = await call("POST", path, payload, contentType);
      if (!res.ok) throw new LocalApiError(`POST ${path}: ${detail(text, res.status)}`, res.status);
      return (text ? JSON.parse(text) : undefined) as never;
    },
  };
}

function detail(text: string, status: number): string {
  try {
    const problem = JSON.parse(text) as { detail?: string };
    return `${status} ${problem.detail ?? text}`;
  } catch {
    return `${status} ${text.slice(0, 200)}`;
  }
}
