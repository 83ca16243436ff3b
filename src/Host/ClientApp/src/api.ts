// The one way the UI talks to the Host: JSON over fetch with the session cookie, the CSRF header on every
// state-changing request, and RFC 7807 problem details turned into ApiError.

export interface Problem {
  status: number;
  code?: string;
  title?: string;
  detail?: string;
  errors?: Record<string, string[]>;
}

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail || problem.title || `请求失败（${problem.status}）`);
    this.problem = problem;
  }
  get status() { return this.problem.status; }
  get code() { return this.problem.code; }
  get fieldErrors(): Record<string, string[]> { return this.problem.errors ?? {}; }
}

export interface Page<T> { items: T[]; total: number; page: number; pageSize: number; }

let csrfToken: string | null = null;
const listeners = new Set<() => void>();

/** Called with no argument when the server says the session is gone (401), so the app can show the sign-in page. */
export function onSignedOut(listener: () => void) { listeners.add(listener); return () => { listeners.delete(listener); }; }

export function resetCsrf() { csrfToken = null; }

async function csrf(): Promise<string> {
  if (csrfToken) return csrfToken;
  let response: Response;
  try { response = await fetch('/api/auth/csrf', { credentials: 'same-origin' }); } catch {
    throw new ApiError({ status: 0, code: 'network_error', title: '无法连接服务器', detail: '无法连接服务器，请检查网络后重试。' });
  }
  const body = await response.json();
  csrfToken = body.token as string;
  return csrfToken;
}

async function toError(response: Response): Promise<ApiError> {
  let problem: Problem = { status: response.status };
  try {
    const body = await response.json();
    problem = { ...body, status: response.status };
  } catch {
    problem.title = response.status === 404 ? '资源不存在' : response.status >= 500 ? '服务器暂时无法处理请求' : `请求失败（${response.status}）`;
    if (response.status >= 500) problem.detail = '请稍后重试；如果一直如此，请联系平台管理员。';
  }
  return new ApiError(problem);
}

export async function request<T>(method: string, url: string, body?: unknown, retry = true): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const safe = method === 'GET' || method === 'HEAD';
  if (!safe && !url.startsWith('/api/auth/login')) headers['X-CSRF-TOKEN'] = await csrf();
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
  let response: Response;
  try {
    response = await fetch(url, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    // The browser's own wording ("Failed to fetch") never reaches the user.
    throw new ApiError({ status: 0, code: 'network_error', title: '无法连接服务器', detail: '无法连接服务器，请检查网络后重试。' });
  }
  if (response.ok) {
    if (response.status === 204) return undefined as T;
    const type = response.headers.get('Content-Type') ?? '';
    return (type.includes('json') ? await response.json() : await response.text()) as T;
  }
  const error = await toError(response);
  // A token minted before sign-in is bound to the anonymous user: fetch a fresh one once.
  if (error.code === 'csrf_token_invalid' && retry) { csrfToken = null; return request<T>(method, url, body, false); }
  if (error.status === 401 && !url.startsWith('/api/auth/')) listeners.forEach((l) => l());
  throw error;
}

export const api = {
  get: <T>(url: string) => request<T>('GET', url),
  post: <T>(url: string, body?: unknown) => request<T>('POST', url, body ?? {}),
  put: <T>(url: string, body?: unknown) => request<T>('PUT', url, body ?? {}),
  del: <T>(url: string) => request<T>('DELETE', url),
  upload: <T>(url: string, file: File) => { const form = new FormData(); form.append('file', file); return request<T>('POST', url, form); },
};

/** A file the API serves, fetched with the session (for an in-page preview of a PDF or an image). */
export async function fetchBlob(url: string): Promise<Blob> {
  let response: Response;
  try { response = await fetch(url, { credentials: 'same-origin' }); } catch {
    throw new ApiError({ status: 0, code: 'network_error', title: '无法连接服务器', detail: '无法连接服务器，请检查网络后重试。' });
  }
  if (!response.ok) throw await toError(response);
  return response.blob();
}

export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
