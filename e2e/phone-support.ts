// What a page must be on a 390 × 844 phone, shared by the journeys that walk pages there
// (mobile-portals for the people's and employers' portals, pages-menu for the staff's): nothing runs
// off sideways (the page, a table's columns, a cell's figure, a card's title), no text points to a
// "left" or "right" that the stacked layout does not have, and every control is big enough to tap.
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { tablesCut } from './support.ts';

export const PHONE = { width: 390, height: 844 } as const;

/** Cells whose content is wider than the cell (a figure cut or run over its neighbour). */
function cellsSpilling(page: Page, scope: string): Promise<string[]> {
  return page
    .locator(`${scope} td`)
    .evaluateAll((tds) =>
      tds.filter((td) => td.scrollWidth > td.clientWidth + 1).map((td) => td.textContent ?? ''),
    );
}

/** Card titles cut short with an ellipsis. */
function titlesCut(page: Page, scope: string): Promise<string[]> {
  return page
    .locator(`${scope} .ant-card-head-title`)
    .evaluateAll((els) =>
      els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent ?? ''),
    );
}

/**
 * The controls a finger cannot hit (WCAG 2.2 SC 2.5.8, target size minimum): smaller than 24 × 24 CSS px
 * and not spaced — a 24 px circle on the control's centre meets another control or another small
 * control's circle. A control's target is what a tap on it reaches: a checkbox with its label, a
 * select's whole box (a button inside that box counts as part of it; a clear button is measured on its
 * own by clearButtonsSmall). Links inside a sentence are exempt (the SC's inline exception). `scope`: the
 * controls of an open dialog only, not those of the page under its mask.
 */
export async function smallTargets(page: Page, scope = 'body'): Promise<string[]> {
  // tsx keeps function names with a helper, __name, that the page does not have
  await page.evaluate('globalThis.__name ??= (f) => f');
  return page.evaluate((scope) => {
    const CONTROLS = [
      'button',
      'a[href]',
      'input:not([type=hidden])',
      'select',
      'textarea',
      '[role=button]',
      '[role=link]',
      '[role=checkbox]',
      '[role=radio]',
      '[role=switch]',
      '[role=tab]',
      '[role=menuitem]',
      '.ant-pagination-item',
    ].join(',');
    // the box a tap on the control reaches
    const WRAPPERS =
      'label, .ant-select, .ant-picker, .ant-input-number, .ant-input-affix-wrapper, .ant-input-search';
    interface Target {
      el: Element;
      r: DOMRect;
    }
    const seen = new Set<Element>();
    const targets: Target[] = [];
    // the open dialog, not the page under its mask (several can be in the document, closed ones hidden)
    const root = Array.from(document.querySelectorAll(scope))
      .filter((e) => (e as HTMLElement).checkVisibility())
      .at(-1);
    for (const control of Array.from(root?.querySelectorAll(CONTROLS) ?? [])) {
      const el = control.closest(WRAPPERS) ?? control;
      if (seen.has(el)) continue;
      seen.add(el);
      if (!(el as HTMLElement).checkVisibility?.({ opacityProperty: false, visibilityProperty: true }))
        continue;
      if (el.closest('[aria-hidden=true]')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      targets.push({ el, r });
    }
    const small = (t: Target) => t.r.width < 23.5 || t.r.height < 23.5;
    /** a link within a line of text: the text around it is more than the link */
    const inline = (t: Target) => {
      if (t.el.tagName !== 'A' || getComputedStyle(t.el).display !== 'inline') return false;
      const block = t.el.parentElement;
      const own = (t.el.textContent ?? '').trim().length;
      return !!block && (block.textContent ?? '').trim().length > own + 2;
    };
    const centre = (r: DOMRect) => ({ x: r.left + r.width / 2, y: r.top + r.height / 2 });
    /** distance from a point to the nearest point of a box */
    const gap = (p: { x: number; y: number }, r: DOMRect) =>
      Math.hypot(Math.max(r.left - p.x, 0, p.x - r.right), Math.max(r.top - p.y, 0, p.y - r.bottom));
    const name = (t: Target) => {
      const e = t.el as HTMLElement;
      const label =
        e.getAttribute('aria-label') ??
        e.getAttribute('title') ??
        (e.innerText || e.getAttribute('placeholder') || e.className.toString()).trim().slice(0, 30);
      return `${e.tagName.toLowerCase()} "${label}" ${Math.round(t.r.width)}×${Math.round(t.r.height)}`;
    };
    const failing: string[] = [];
    for (const t of targets) {
      if (!small(t) || inline(t)) continue;
      const c = centre(t.r);
      const crowded = targets.some(
        (o) =>
          o !== t &&
          !o.el.contains(t.el) &&
          !t.el.contains(o.el) &&
          (gap(c, o.r) < 12 ||
            (small(o) && !inline(o) && Math.hypot(c.x - centre(o.r).x, c.y - centre(o.r).y) < 24)),
      );
      if (crowded) failing.push(name(t));
    }
    return failing;
  }, scope);
}

/**
 * Clear buttons inside inputs, selects and date pickers smaller than 24 × 24: they sit at the edge of
 * the input, so a finger that misses one lands in the input and opens the keyboard instead of clearing
 * (the spacing exception of SC 2.5.8 does not save them; the input around them is a target too).
 */
function clearButtonsSmall(page: Page, scope: string): Promise<string[]> {
  return page
    .locator(`${scope} :is(.ant-input-clear-icon, .ant-select-clear, .ant-picker-clear)`)
    .evaluateAll((els) =>
      els
        .filter((e) => e.checkVisibility({ visibilityProperty: true }))
        .map((e) => e.getBoundingClientRect())
        .filter((r) => r.width > 0 && (r.width < 23.5 || r.height < 23.5))
        .map((r) => `${Math.round(r.width)}×${Math.round(r.height)}`),
    );
}

/** Whatever in an open dialog reaches past the phone's edges (the dialog's own box or its content). */
function dialogOverflow(page: Page, scope: string): Promise<string[]> {
  return page.evaluate((scope) => {
    const width = document.documentElement.clientWidth;
    const root = Array.from(document.querySelectorAll(scope))
      .filter((e) => (e as HTMLElement).checkVisibility())
      .at(-1);
    if (!root) return [`no open dialog (${scope})`];
    return [root, ...Array.from(root.querySelectorAll('*'))]
      .filter((e) => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && (r.left < -1 || r.right > width + 1);
      })
      .map(
        (e) =>
          `${e.tagName.toLowerCase()}.${e.className.toString().split(' ')[0] ?? ''} "${(e.textContent ?? '').slice(0, 30)}"`,
      )
      .slice(0, 5);
  }, scope);
}

/**
 * Records the words the charts draw (ECharts paints text on a canvas, out of the DOM's reach): each
 * fillText with its box on the page, the records of a canvas dropped when it is cleared to be painted
 * again. Installed before the page loads; phoneProblems then also finds the words run over each other.
 */
export async function recordChartWords(context: BrowserContext): Promise<void> {
  // a string: tsx wraps functions in a helper the page does not have
  await context.addInitScript(`(() => {
    const words = (globalThis.__chartWords = new Map());
    const P = CanvasRenderingContext2D.prototype;
    const fill = P.fillText;
    const clear = P.clearRect;
    P.clearRect = function (x, y, w, h) {
      const t = this.getTransform();
      if (x <= 0 && y <= 0 && w * t.a >= this.canvas.width - 1 && h * t.d >= this.canvas.height - 1)
        words.set(this.canvas, []);
      return clear.call(this, x, y, w, h);
    };
    P.fillText = function (text, x, y, maxWidth) {
      const m = this.measureText(text);
      const t = this.getTransform();
      const a = t.transformPoint({ x: x - m.actualBoundingBoxLeft, y: y - m.actualBoundingBoxAscent });
      const b = t.transformPoint({ x: x + m.actualBoundingBoxRight, y: y + m.actualBoundingBoxDescent });
      const list = words.get(this.canvas) ?? [];
      list.push({ text: String(text), box: [Math.min(a.x, b.x), Math.min(a.y, b.y), Math.max(a.x, b.x), Math.max(a.y, b.y)] });
      words.set(this.canvas, list);
      return maxWidth === undefined ? fill.call(this, text, x, y) : fill.call(this, text, x, y, maxWidth);
    };
  })();`);
}

/** The words a chart drew over each other (a legend over the axis's name, a label over a label). */
function chartWordsOverlapping(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const words = globalThis.__chartWords;
    if (!words) return [];
    const out = [];
    for (const [canvas, list] of words) {
      if (!canvas.isConnected) continue;
      const seen = list.filter((w, i) => list.findIndex((o) => o.text === w.text && o.box.join() === w.box.join()) === i);
      for (let i = 0; i < seen.length; i++)
        for (let j = i + 1; j < seen.length; j++) {
          const [a, b] = [seen[i].box, seen[j].box];
          const x = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
          const y = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
          if (x > 1 && y > 1) out.push('"' + seen[i].text + '" over "' + seen[j].text + '"');
        }
    }
    return out;
  })()`);
}

/**
 * Everything wrong with the page on a phone, each as a line naming where; with `dialog`, a selector of
 * the dialog open on it (e.g. '.ant-modal'), everything wrong with that dialog instead.
 */
export async function phoneProblems(page: Page, dialog?: string): Promise<string[]> {
  const problems: string[] = [];
  const scope = dialog ?? '#main';
  // a dialog zooms in: measured before that ends (its motion classes gone, no animation left), every
  // control reads a fraction of its size
  if (dialog)
    await page.waitForFunction((sel) => {
      const root = Array.from(document.querySelectorAll(sel))
        .filter((e) => (e as HTMLElement).checkVisibility())
        .at(-1);
      return (
        !!root &&
        !/-(appear|enter)/.test(root.className) &&
        root.getAnimations({ subtree: true }).length === 0
      );
    }, dialog);
  if (dialog)
    for (const e of await dialogOverflow(page, dialog)) problems.push(`past the phone's edge: ${e}`);
  else {
    // the layout width, not innerWidth: on a phone the browser widens innerWidth to take in what overflows
    const { scroll, width } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      width: document.documentElement.clientWidth,
    }));
    if (scroll > width + 1) problems.push(`the page is ${scroll}px wide in a ${width}px window`);
  }
  for (const t of await tablesCut(page, dialog)) problems.push(`a table scrolls sideways: ${t}`);
  for (const c of await cellsSpilling(page, scope)) problems.push(`a cell's content spills: ${c}`);
  for (const c of await titlesCut(page, scope)) problems.push(`a card title is cut: ${c}`);
  const sides = await page
    .locator(scope)
    .getByText(/左侧|右侧/)
    .allInnerTexts();
  for (const s of sides) problems.push(`points to a side the stacked layout does not have: ${s}`);
  for (const s of await smallTargets(page, dialog ?? 'body')) problems.push(`too small to tap: ${s}`);
  for (const s of await clearButtonsSmall(page, scope))
    problems.push(`a clear button too small to tap: ${s}`);
  if (!dialog)
    for (const w of await chartWordsOverlapping(page)) problems.push(`a chart's words overlap: ${w}`);
  return problems;
}

/** The page, or the dialog open on it (`dialog`, a selector), fits the phone (phoneProblems finds nothing). */
export async function assertFitsPhone(page: Page, where: string, dialog?: string): Promise<void> {
  // Right after a resize the page may not have re-rendered its phone layout yet (a busy CI machine
  // measured the desk's table once); what counts is the layout it settles on within a few seconds.
  let problems = await phoneProblems(page, dialog);
  for (let tries = 0; problems.length > 0 && tries < 12; tries++) {
    await page.waitForTimeout(250);
    problems = await phoneProblems(page, dialog);
  }
  assert.deepEqual(problems, [], where);
}
