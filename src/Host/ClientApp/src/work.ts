// No lost work (issue #18): a page with unsaved input warns before it is left (another page of the app, a reload, the
// tab closed), and keeps the input in sessionStorage so that it survives an expired session's trip to the sign-in page.
import { useEffect, useRef } from 'react';
import { useBlocker } from 'react-router-dom';
import { App } from 'antd';

/**
 * Asks before leaving while `dirty`; the sign-in page is not asked about (the input is kept, see keptInput). Returns
 * `release`, to call before the page itself navigates away after the work was sent.
 */
export function useUnsavedChanges(dirty: boolean, message = '页面上有尚未保存的内容，离开后将丢失。确定离开吗？') {
  const { modal } = App.useApp();
  const state = useRef({ dirty, released: false });
  state.current.dirty = dirty;
  const blocker = useBlocker(({ currentLocation, nextLocation }) =>
    state.current.dirty && !state.current.released && currentLocation.pathname !== nextLocation.pathname && !nextLocation.pathname.startsWith('/login'));
  const asking = useRef(false);
  useEffect(() => {
    if (blocker.state !== 'blocked' || asking.current) return;
    asking.current = true;
    modal.confirm({
      title: '离开此页？', content: message, okText: '离开', cancelText: '留在此页', okButtonProps: { danger: true },
      onOk: () => { asking.current = false; blocker.proceed(); },
      onCancel: () => { asking.current = false; blocker.reset(); },
    });
  }, [blocker, modal, message]);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => { if (state.current.released) return; event.preventDefault(); event.returnValue = ''; };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  return () => { state.current.released = true; };
}

const prefix = 'pds:kept:';

/** What was typed on a page, kept in this tab's sessionStorage under `key` until `forget` (after it was sent). */
export const keptInput = {
  read<T>(key: string): T | null {
    try { const text = sessionStorage.getItem(prefix + key); return text ? (JSON.parse(text) as T) : null; } catch { return null; }
  },
  keep(key: string, value: unknown) {
    try { sessionStorage.setItem(prefix + key, JSON.stringify(value)); } catch { /* storage full or disabled: nothing to keep */ }
  },
  forget(key: string) { try { sessionStorage.removeItem(prefix + key); } catch { /* disabled */ } },
};
