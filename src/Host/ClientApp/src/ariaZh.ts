// The names antd 5 (5.29) and its rc-* parts give assistive technology in English, with no locale entry and no prop to
// change them: ConfigProvider's zh_CN does not reach them. A screen reader (and Playwright's accessible names) read them
// to our users, e.g. "Select all" on a table's select-all box (issue #18). Each is mapped once here, where it is written.
//   antd table/hooks/useSelection.js       'Select all', 'Custom selection' (the select-all box of rowSelection)
//   antd date-picker/generateRangePicker   'to' (the separator between a range's two dates)
//   rc-input-number StepHandler            'Increase Value', 'Decrease Value' (the step buttons of InputNumber)
//   rc-segmented                           'segmented control' (Segmented's radio group)
//   rc-tree NodeList                       'for screen reader' (the hidden input that takes the tree's keyboard focus)
//   rc-dialog Panel, rc-notification, tour 'Close' (close buttons antd does not label from its locale)
//   @ant-design/icons                      every icon's file name ('bell', 'user'…), see isIconsEnglishName
export const ariaNames: Record<string, string> = {
  'Select all': '全选当页',
  'Custom selection': '自定义选择',
  to: '至',
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
 * reads beside the text of the button or menu entry the icon decorates. Such an icon is decoration: hidden from
 * assistive technology, and a control that is only an icon carries its own Chinese `aria-label`. An icon given a
 * Chinese name on purpose (`aria-label="统计口径"`) keeps it.
 */
export const isIconsEnglishName = (element: Element, label: string | null) =>
  label !== null && element.classList.contains('anticon') && /^[\x20-\x7e]+$/.test(label);

function localize(element: Element) {
  const label = element.getAttribute('aria-label');
  if (isIconsEnglishName(element, label)) {
    element.removeAttribute('aria-label');
    element.setAttribute('aria-hidden', 'true');
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
  const selector = [...Object.keys(ariaNames).map((label) => `[aria-label="${label}"]`), '.anticon[aria-label]'].join(', ');
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
