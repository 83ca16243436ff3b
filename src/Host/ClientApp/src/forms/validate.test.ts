// What the browser does with the validator's answers beyond the shared vectors: one message per field, the task's
// field permissions, messages that go as soon as their field is fixed, and the server's errors shown the same way.
import { describe, expect, it } from 'vitest';
import { applicantPermissions, type FormSchema } from './schema';
import { revalidate, serverErrors, validateForm } from './validate';

const schema: FormSchema = {
  id: 'test', version: 1, title: '测试',
  sections: [{ key: 'main', title: '主要信息', fields: [
    { key: 'name', label: '姓名', type: 'text', required: true },
    { key: 'phone', label: '联系电话', type: 'phone', required: true },
    { key: 'ips', label: '政务外网IP', type: 'textarea', format: 'ipList' },
    { key: 'reviewer', label: '审核人', type: 'text', required: true },
  ] }],
  rules: [{ kind: 'compare', left: 'name', operator: 'ne', right: 'reviewer', message: '审核人不能是申请人本人' }],
};

describe('validateForm', () => {
  it('keys one message per field by the server paths', () => {
    expect(validateForm(schema, { phone: '123', ips: '10.0.0.0/8, 127.0.0.1' })).toEqual({
      name: '姓名为必填项',
      phone: '联系电话应为11位手机号码或带区号的固定电话（如 0375-2345678）',
      ips: '政务外网IP：“10.0.0.0/8”是网段，请填写服务器的具体 IP 地址；“127.0.0.1”不是可分配给服务器的地址',
      reviewer: '审核人为必填项',
    });
  });

  it('checks only the fields the step may edit, and reports a rule on the editable side', () => {
    const permissions = { default: 'readonly', fields: { reviewer: 'editable' } };

    expect(validateForm(schema, { name: '赵一鸣', reviewer: '赵一鸣' }, permissions)).toEqual({ reviewer: '审核人不能是申请人本人' });
    expect(validateForm(schema, { name: '赵一鸣', reviewer: '钱二' }, permissions)).toEqual({});
  });
});

describe('an applicant\'s form', () => {
  it('leaves the fields the platform fills to the server', () => {
    const form: FormSchema = { id: 'sub', version: 1, title: '订阅', sections: [{ key: 'main', title: '业务信息', fields: [
      { key: 'providerDepartment', label: '资源提供部门', type: 'text', required: true, source: 'platform' },
      { key: 'purpose', label: '用途', type: 'text', required: true },
    ] }] };

    expect(validateForm(form, {}, applicantPermissions(form))).toEqual({ purpose: '用途为必填项' });
    expect(validateForm(form, {})).toHaveProperty('providerDepartment');
  });
});

describe('revalidate', () => {
  const shown = { name: '姓名为必填项', phone: '联系电话应为11位手机号码或带区号的固定电话（如 0375-2345678）', ips: '服务器的说法' };

  it('drops the message of a field once it is fixed, and keeps the others', () => {
    const before = { phone: '123', ips: '10.0.0.0/8' };

    expect(revalidate(schema, before, { ...before, name: '赵一鸣' }, shown)).toEqual({ phone: shown.phone, ips: shown.ips });
  });

  it('words a field that is still wrong anew, and shows no message for a field that had none', () => {
    const before = { ips: '10.0.0.0/8' };

    expect(revalidate(schema, before, { ips: '59.207.1.10, 59.207.1.10' }, { ips: shown.ips }))
      .toEqual({ ips: '政务外网IP：“59.207.1.10”重复' });
    expect(revalidate(schema, {}, { phone: '1' }, { name: shown.name })).toEqual({ name: shown.name });
  });

  it('leaves nothing to do when nothing is shown', () => {
    const none = {};

    expect(revalidate(schema, {}, { phone: '1' }, none)).toBe(none);
  });
});

describe('serverErrors', () => {
  it('takes the first of the server messages of each field', () => {
    expect(serverErrors({ 'items[2].length': ['信息项第3行的数据长度为必填项', '另一条'], empty: [] })).toEqual({ 'items[2].length': '信息项第3行的数据长度为必填项' });
    expect(serverErrors(undefined)).toEqual({});
  });
});
