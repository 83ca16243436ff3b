// The names antd 5 (5.29) and its rc-* parts give assistive technology in English, with no locale entry and no prop to
// change them: ConfigProvider's zh_CN does not reach them. A screen reader (and Playwright's accessible names) read them
// to our users, e.g. "Select all" on a table's select-all box (issue #18). Each is mapped once here, where it is written.
//   antd table/hooks/useSelection.js       'Select all', 'Custom selection' (the select-all box of rowSelection)
//   antd date-picker/generateRangePicker   'to' (the separator between a range's two dates: dropped, see localize)
//   rc-input-number StepHandler            'Increase Value', 'Decrease Value' (the step buttons of InputNumber)
//   rc-segmented                           'segmented control' (Segmented's radio group)
//   rc-tree NodeList                       'for screen reader' (the hidden input that takes the tree's keyboard focus)
//   rc-dialog Panel, rc-notification, tour 'Close' (close buttons antd does not label from its locale)
//   @ant-design/icons                      every icon's file name ('bell', 'user'…), see iconNames
export const ariaNames: Record<string, string> = {
  'Select all': '全选当页',
  'Custom selection': '自定义选择',
  'Increase Value': '增加',
  'Decrease Value': '减少',
  'segmented control': '选项',
  'for screen reader': '单位树',
  Close: '关闭',
};

/** The Chinese name of an English `aria-label` antd wrote, or null when the label is not one of them. */
export function chineseAriaLabel(label: string | null): string | null {
  return label !== null && Object.hasOwn(ariaNames, label) ? ariaNames[label] : null;
}

/**
 * @ant-design/icons names every icon after its file (`<span role="img" aria-label="bell">`): English words a screen reader
 * reads. An icon beside a text (a menu entry, a button with words) is decoration and is hidden from assistive
 * technology; an icon that is a control's only content names the control, by its Chinese name here. An icon without a
 * Chinese name keeps its English one, which the browser tests' check of every page reports (add it here). An icon given
 * a Chinese name on purpose (`aria-label="统计口径"`) keeps it.
 */
export const iconNames: Record<string, string> = {
  search: '搜索', left: '上一页', right: '下一页', 'double-left': '向前五页', 'double-right': '向后五页', close: '关闭', 'close-circle': '清除',
  bell: '通知', menu: '菜单', delete: '删除', plus: '添加', minus: '减少', 'question-circle': '说明', 'info-circle': '说明', eye: '显示密码',
  'eye-invisible': '隐藏密码', copy: '复制', check: '确认', edit: '编辑', down: '展开', up: '收起', 'zoom-in': '放大', 'zoom-out': '缩小',
  'rotate-left': '向左旋转', 'rotate-right': '向右旋转', swap: '切换', 'vertical-align-top': '回到顶部', reload: '刷新', download: '下载',
  upload: '上传', ellipsis: '更多', user: '当前用户', 'paper-clip': '附件', 'file-pdf': 'PDF 文件', file: '文件',
};

const isAsciiName = (label: string | null): label is string => label !== null && /^[\x20-\x7e]+$/.test(label);
const controls = 'button, a, [role="button"], [role="link"], [role="menuitem"], [role="tab"], [role="switch"]';

function localizeIcon(icon: Element, label: string) {
  const control = icon.parentElement?.closest(controls);
  // Text of the control besides the icon (antd puts a button's words in a span next to the icon).
  const otherText = control ? (control.textContent ?? '').trim() : 'not a control';
  if (otherText.length > 0 || control?.hasAttribute('aria-label') || control?.hasAttribute('title')) {
    icon.removeAttribute('aria-label');
    icon.setAttribute('aria-hidden', 'true');
  } else if (Object.hasOwn(iconNames, label)) {
    icon.setAttribute('aria-label', iconNames[label]);
  }
}

function localize(element: Element) {
  const label = element.getAttribute('aria-label');
  // A range picker's arrow between its two dates: a plain span may not carry a name (axe: aria-prohibited-attr), and
  // the two inputs say 开始日期 and 结束日期.
  if (element.classList.contains('ant-picker-separator')) {
    element.removeAttribute('aria-label');
    return;
  }
  if (element.classList.contains('anticon') && isAsciiName(label)) {
    localizeIcon(element, label);
    return;
  }
  const name = chineseAriaLabel(label);
  if (name !== null) element.setAttribute('aria-label', name);
}

/**
 * Rewrites those labels wherever antd renders them, now and later: one observer of the document for added elements and
 * changed `aria-label`s. Setting a label to its Chinese name does not trigger it again (the name is not in the map).
 */
export function installChineseAriaLabels(root: HTMLElement = document.body) {
  const selector = [...Object.keys(ariaNames).map((label) => `[aria-label="${label}"]`), '.anticon[aria-label]', '.ant-picker-separator[aria-label]'].join(', ');
  root.querySelectorAll(selector).forEach(localize);
  const observer = new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      if (mutation.type === 'attributes') localize(mutation.target as Element);
      else mutation.addedNodes.forEach((node) => {
        if (!(node instanceof Element)) return;
        localize(node);
        node.querySelectorAll(selector).forEach(localize);
      });
    }
  });
  observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] });
  return () => observer.disconnect();
}
