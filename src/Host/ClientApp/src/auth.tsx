import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { App } from 'antd';
import { api, ApiError, onSignedOut, resetCsrf } from './api';
import type { Me } from './types';

/** What a sign-in answered: signed in, or the password was right and the second factor's code is needed. */
export type SignInStep = 'signed-in' | 'second-factor';

interface Auth {
  me: Me | null; loading: boolean; reload: () => Promise<void>;
  signIn: (userName: string, password: string, code?: string) => Promise<SignInStep>; signOut: () => Promise<void>;
}
const AuthContext = createContext<Auth>(null!);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const { message } = App.useApp();
  const load = useCallback(async () => {
    try { setMe(await api.get<Me>('/api/me')); } catch { setMe(null); } finally { setLoading(false); }
  }, []);
  useEffect(() => {
    void load();
    // The session ended under a page (idle timeout, signed out elsewhere): say so; what was typed is kept (work.ts).
    return onSignedOut(() => {
      setMe((current) => {
        if (current) message.warning({ content: '登录已过期，请重新登录。已填写的内容已暂存，登录后回到原页面即可恢复。', key: 'session-expired', duration: 8 });
        return null;
      });
    });
  }, [load, message]);
  const signIn = async (userName: string, password: string, code?: string): Promise<SignInStep> => {
    const answer = await api.post<{ secondFactorRequired?: boolean }>('/api/auth/login', { userName, password, code });
    if (answer?.secondFactorRequired) return 'second-factor';
    resetCsrf();
    await load();
    return 'signed-in';
  };
  const signOut = async () => {
    // A session the server already ended (signed out elsewhere, password reset) answers 401: signed out all the same.
    try { await api.post('/api/auth/logout'); } catch (e) { if (!(e instanceof ApiError && e.status === 401)) throw e; } finally { resetCsrf(); setMe(null); }
  };
  return <AuthContext.Provider value={{ me, loading, reload: load, signIn, signOut }}>{children}</AuthContext.Provider>;
}

export const useAuth = () => useContext(AuthContext);

export const bureauRoles = ['platform_admin', 'platform_support', 'data_resources_section', 'workflow_admin', 'auditor'];
export const hasRole = (me: Me | null, ...roles: string[]) => !!me && me.roles.some((r) => roles.includes(r.role));
