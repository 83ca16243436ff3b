// The formatting helpers every page uses: instants in Beijing time, the API's enum spellings, query strings.
import { describe, expect, it } from 'vitest';
import { query } from './api';
import { actionNames, fmt, pascal, statusNames, withoutDigests } from './ui';
import { ariaNames } from './ariaZh';
import taskActions from '../../../Workflows/Tasks/TaskActions.cs?raw';

describe('fmt', () => {
  it('writes an instant in Beijing time, to the minute or as a date', () => {
    expect(fmt('2026-02-13T02:00:00Z')).toBe('2026-02-13 10:00');
    expect(fmt('2026-02-13T23:30:00+08:00', false)).toBe('2026-02-13');
    expect(fmt('2026-02-13T16:30:00Z', false)).toBe('2026-02-14');
  });

  it('writes a dash for no instant', () => {
    expect(fmt(null)).toBe('—');
    expect(fmt(undefined)).toBe('—');
    expect(fmt('')).toBe('—');
  });
});

describe('pascal', () => {
  it('turns the API camelCase enums into the task states spelling', () => {
    expect(pascal('yellow')).toBe('Yellow');
    expect(pascal('Open')).toBe('Open');
    expect(pascal(null)).toBeNull();
  });

  it('names every status and task action in Chinese', () => {
    for (const name of [...Object.values(statusNames), ...Object.values(actionNames)]) expect(name).toMatch(/^[\u4e00-\u9fa5（）]+$/);
  });

  it('names every action the server records (TaskActions.cs), so no history entry falls back to 办理', () => {
    const recorded = [...taskActions.matchAll(/public const string \w+ = "([^"]+)";/g)].map((m) => m[1]);
    expect(recorded.length).toBeGreaterThan(20);
    expect(recorded.filter((action) => !(action in actionNames))).toEqual([]);
  });

  it('gives antd\'s English accessible names a Chinese one', () => {
    for (const name of Object.values(ariaNames)) expect(name).toMatch(/^[\u4e00-\u9fa5]+$/);
  });
});

describe('withoutDigests', () => {
  const digest = 'c196acbe6fa274d876cd2814bc90a96e17bf700c25174cd74587ae56fc70b6b1';
  it('drops a digest with its algorithm, or puts a word in its place', () => {
    expect(withoutDigests(`账号信息加密附件（SHA-256 ${digest}）发往邮箱`)).toBe('账号信息加密附件发往邮箱');
    expect(withoutDigests(`提供方 SHA-256 校验和 ${digest}，两端一致`, '（校验值见技术细节）')).toBe('提供方 （校验值见技术细节），两端一致');
    expect(withoutDigests('复制 4 行')).toBe('复制 4 行');
  });
});

describe('query', () => {
  it('leaves out empty values and encodes the rest', () => {
    expect(query({ q: '订阅-2026 0001', page: 2, overdue: true, unit: '', process: null, due: undefined })).toBe('?q=%E8%AE%A2%E9%98%85-2026+0001&page=2&overdue=true');
    expect(query({ q: '' })).toBe('');
  });
});
