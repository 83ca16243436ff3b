// The named formats of definitions/forms/README.md, with the same codes and zh-CN messages as the server's
// validators (src/Workflows/Forms/Validators); tests/vectors/form-validation.json holds both to the same answers.
// Each returns the problem, or null when the (trimmed) value is fine.

const usccCharset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const usccWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const organizationWeights = [3, 7, 9, 10, 5, 8, 4, 2];
const usccCategories: Record<string, string> = { '1': '1239', '2': '19', '3': '123459', '4': '19', '5': '1239', '6': '129', '7': '129', '8': '19', '9': '123', A: '19', N: '1239', Y: '1' };
const provinces = new Set(['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82']);

export interface FormatProblem { code: string; message: string; }

function uscc(value: string, label: string): FormatProblem | null {
  if (value.length !== 18) return { code: 'uscc.length', message: `${label}应为18位，当前为${value.length}位` };
  if (/[a-z]/.test(value)) return { code: 'uscc.lowercase', message: `${label}中的字母应为大写` };
  for (let i = 0; i < 18; i++) {
    if (!usccCharset.includes(value[i])) return { code: 'uscc.charset', message: `${label}第${i + 1}位“${value[i]}”不是有效字符（只用数字和大写字母，不用 I、O、Z、S、V）` };
  }
  const categories = usccCategories[value[0]];
  if (!categories) return { code: 'uscc.registrationAuthority', message: `${label}第1位登记管理部门代码“${value[0]}”无效` };
  if (!categories.includes(value[1])) return { code: 'uscc.category', message: `${label}第2位机构类别代码“${value[1]}”不适用于登记管理部门代码“${value[0]}”` };
  const division = value.substring(2, 8);
  if (!/^[0-9]{6}$/.test(division) || !(provinces.has(division.substring(0, 2)) || division === '100000'))
    return { code: 'uscc.division', message: `${label}第3至8位登记管理机关行政区划码“${division}”无效` };
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = value[8 + i];
    sum += (c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55) * organizationWeights[i];
  }
  const orgCheck = 11 - (sum % 11);
  const orgChar = orgCheck === 10 ? 'X' : orgCheck === 11 ? '0' : String(orgCheck);
  if (value[16] !== orgChar) return { code: 'uscc.organizationCode', message: `${label}第9至17位组织机构代码的校验码错误，应为 ${orgChar}` };
  sum = 0;
  for (let i = 0; i < 17; i++) sum += usccCharset.indexOf(value[i]) * usccWeights[i];
  const check = 31 - (sum % 31);
  const checkChar = usccCharset[check === 31 ? 0 : check];
  return value[17] === checkChar ? null : { code: 'uscc.checkDigit', message: `${label}校验位错误，应为 ${checkChar}` };
}

const mobile = /^(?:\+?86)?1[3-9][0-9]{9}$/;
const landline = /^(?:\((?:010|02[0-9]|0[3-9][0-9]{2})\)|(?:010|02[0-9]|0[3-9][0-9]{2})[- ]?)[2-9][0-9]{6,7}(?:(?:-|转|#|\s*ext\.?\s*)[0-9]{1,6})?$/i;
const isMobile = (v: string) => mobile.test(v.replace(/[ -]/g, ''));
const isLandline = (v: string) => landline.test(v.trim());

const email = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

function ipv4(text: string): number[] | null {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255) ? parts.map(Number) : null;
}

/** The eight 16-bit groups of an RFC 4291 text address (`::` once, an IPv4 tail allowed); null when it is none. */
function ipv6(text: string): number[] | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split('::').length > 2) return null;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const groups = (part: string, last: boolean): number[] | null => {
    if (part === '') return [];
    const result: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const v4 = last && i === pieces.length - 1 && pieces[i].includes('.') ? ipv4(pieces[i]) : null;
      if (v4) result.push(v4[0] * 256 + v4[1], v4[2] * 256 + v4[3]);
      else if (/^[0-9a-fA-F]{1,4}$/.test(pieces[i])) result.push(parseInt(pieces[i], 16));
      else return null;
    }
    return result;
  };
  const first = groups(head, tail === null);
  const second = tail === null ? [] : groups(tail, true);
  if (!first || !second) return null;
  if (tail === null) return first.length === 8 ? first : null;
  const missing = 8 - first.length - second.length;
  return missing >= 1 ? [...first, ...new Array<number>(missing).fill(0), ...second] : null;
}

/** The address as the server's IpAddresses.Check reads it (its canonical key), or the problem after the label. */
function ipProblem(text: string, kind: 'ipv4' | 'ipv6' | 'ip'): { key?: string; code?: string; problem?: string } {
  if (text.includes('/')) return { code: 'ip.cidr', problem: `“${text}”是网段，请填写服务器的具体 IP 地址` };
  const v4 = kind !== 'ipv6' ? ipv4(text) : null;
  const v6 = !v4 && kind !== 'ipv4' && text.includes(':') ? ipv6(text) : null;
  if (!v4 && !v6) {
    const expected = kind === 'ipv4' ? 'IPv4 地址（如 59.207.1.10）' : kind === 'ipv6' ? 'IPv6 地址（如 240e:1::10）' : 'IPv4 或 IPv6 地址';
    return { code: 'ip.invalid', problem: `“${text}”不是有效的${expected}` };
  }
  const notHost = v4
    ? v4[0] === 127 || (v4[0] >= 224 && v4[0] <= 239) || v4.every((p) => p === 0) || v4.every((p) => p === 255)
    : (v6!.slice(0, 7).every((g) => g === 0) && v6![7] <= 1) || v6![0] >> 8 === 0xff // ::, ::1, ff00::/8
      || (v6!.slice(0, 5).every((g) => g === 0) && v6![5] === 0xffff && v6![6] >> 8 === 127); // ::ffff:127.x.x.x
  if (notHost) return { code: 'ip.notHost', problem: `“${text}”不是可分配给服务器的地址` };
  return { key: (v4 ?? v6!).join(v4 ? '.' : ':') };
}

function ip(value: string, label: string, kind: 'ipv4' | 'ipv6' | 'ip'): FormatProblem | null {
  const found = ipProblem(value.trim(), kind);
  return found.code ? { code: found.code, message: `${label}：${found.problem}` } : null;
}

/** Every bad entry of a list in one message, as the server's IpListValidator says it; the same address twice is a duplicate however written. */
function ipList(value: string, label: string): FormatProblem | null {
  const entries = value.split(/[,，、;；\r\n]/).map((s) => s.trim()).filter((s) => s.length > 0);
  const seen = new Set<string>();
  const problems: { code: string; problem: string }[] = [];
  for (const entry of entries) {
    const found = ipProblem(entry, 'ip');
    if (found.code) problems.push({ code: found.code, problem: found.problem! });
    else if (seen.has(found.key!)) problems.push({ code: 'ip.duplicate', problem: `“${entry}”重复` });
    else seen.add(found.key!);
  }
  if (problems.length > 0) return { code: problems[0].code, message: `${label}：${problems.map((p) => p.problem).join('；')}` };
  return entries.length === 0 ? { code: 'ip.invalid', message: `${label}应至少填写一个 IP 地址` } : null;
}

/** The server's ResourceCode.Parse: spaces are ignored and a full-width ／ is read as /. */
function resourceCode(value: string, label: string): FormatProblem | null {
  const parts = value.replaceAll(' ', '').replaceAll('／', '/').split('/');
  if (parts.length !== 2) return { code: 'resourceCode.separator', message: `${label}应由分类码和顺序码组成，中间用“/”分隔，如 10100101/0001` };
  if (!/^[1-3]/.test(parts[0])) return { code: 'resourceCode.category', message: `${label}第1位为资源分类“类”，应为1（基础信息资源）、2（主题信息资源）或3（部门信息资源）` };
  if (!/^[1-3][0-9]{5}[0-9]*$/.test(parts[0])) return { code: 'resourceCode.classification', message: `${label}的分类码应为数字：类1位、项2位、目3位，其后为细目` };
  if (!/^(?=[0-9]*[1-9])[0-9]+$/.test(parts[1])) return { code: 'resourceCode.sequence', message: `${label}的顺序码应为从1起编的数字` };
  return null;
}

/** The server's UsageHours: 工作日 08:00-20:00, 每天8:00~20:00, 工作日，每天 8:00 到 24:00… */
function usageHours(value: string, label: string): FormatProblem | null {
  const match = /^(每日|每天|工作日)[\s,，、;；]*(?:每天|每日)?\s*([0-9]{1,2}[:：][0-9]{2})\s*(?:-|－|—|–|~|～|至|到)\s*([0-9]{1,2}[:：][0-9]{2})$/.exec(value.trim());
  if (!match) return { code: 'usageHours.format', message: `${label}应写作“工作日 08:00-20:00”或“每日 00:00-24:00”` };
  const minutes = (text: string, endOfDay: boolean) => {
    const [hour, minute] = text.split(/[:：]/).map(Number);
    return minute > 59 || hour > 24 || (hour === 24 && (minute !== 0 || !endOfDay)) ? null : hour * 60 + minute;
  };
  const start = minutes(match[2], false);
  const end = minutes(match[3], true);
  if (start === null || end === null) return { code: 'usageHours.time', message: `${label}中的时间无效，小时应为 0–24、分钟应为 00–59` };
  return start >= end ? { code: 'usageHours.order', message: `${label}的开始时间应早于结束时间` } : null;
}

const sharedFileFormats = ['wps', 'doc', 'xml', 'txt', 'docx', 'html', 'ppt', 'et', 'xls', 'csv'];

export function checkFormat(format: string, value: string, label: string): FormatProblem | null {
  switch (format) {
    case 'uscc': return uscc(value, label);
    case 'mobile': return isMobile(value) ? null : { code: 'phone.mobile', message: `${label}应为11位手机号码，如 13912345678` };
    case 'landline': return isLandline(value) ? null : { code: 'phone.landline', message: `${label}应为带区号的固定电话，如 0375-2345678，分机可写作 0375-2345678-801` };
    case 'mobileOrLandline': return isMobile(value) || isLandline(value) ? null : { code: 'phone.invalid', message: `${label}应为11位手机号码或带区号的固定电话（如 0375-2345678）` };
    case 'email': {
      const at = value.lastIndexOf('@');
      return value.length <= 254 && at >= 1 && at <= 64 && email.test(value) ? null : { code: 'email.invalid', message: `${label}不是有效的电子邮箱地址，如 zhangsan@example.gov.cn` };
    }
    case 'ipv4': case 'ipv6': case 'ip': return ip(value, label, format);
    case 'ipList': return ipList(value, label);
    case 'resourceCode': return resourceCode(value, label);
    case 'sharedFileFormat': {
      const dot = value.lastIndexOf('.');
      const ext = (dot <= 0 ? value.replace(/^\.+/, '') : value.slice(dot + 1)).toLowerCase();
      return sharedFileFormats.includes(ext) ? null
        : { code: 'fileFormat.unsupported', message: `${label}的文件格式“${ext}”不是平台支持的共享文件格式（${sharedFileFormats.join('、')}）` };
    }
    case 'usageHours': return usageHours(value, label);
    default: return null;
  }
}
