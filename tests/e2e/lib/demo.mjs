// What the tests read from and do to the demo page (resources/web).

/** Opens the demo at `url` and waits until it is connected and shows a text element. */
export async function openDemo(browser, url) {
  const page = await browser.newPage();
  await page.goto(url);
  await waitConnected(page);
  await page.locator('.os-text').first().waitFor();
  return page;
}

export function waitConnected(page, timeout = 15000) {
  return page.waitForSelector('#status[data-state="open"]', { timeout });
}

/** The element showing the text object whose text is `text` (when the page has it). */
export function textElement(page, text) {
  return page.locator('.os-text', { hasText: text }).first();
}

export function elementById(page, id) {
  return page.locator(`[data-object-id="${id}"]`);
}

/** Waits until `fn` (run in the page with `arg`) returns a truthy value, and returns it. */
export async function pageWait(page, fn, arg, timeout = 15000) {
  const handle = await page.waitForFunction(fn, arg, { timeout, polling: 50 });
  return handle.jsonValue();
}

export function computedStyleOf(locator) {
  return locator.evaluate((el) => {
    const s = getComputedStyle(el);
    return {
      fontSize: s.fontSize,
      borderTopWidth: s.borderTopWidth,
      borderTopStyle: s.borderTopStyle,
      borderTopColor: s.borderTopColor,
      borderLeftWidth: s.borderLeftWidth,
      backgroundColor: s.backgroundColor,
      text: el.textContent,
    };
  });
}

/** The seed scene's look, as computed by the browser. */
export const seedLook = {
  fontSize: '30px',
  borderTopWidth: '5px',
  borderTopStyle: 'solid',
  borderTopColor: 'rgb(0, 0, 0)',
  borderLeftWidth: '5px',
  backgroundColor: 'rgb(255, 255, 0)',
  text: 'Hello ObjectSync!',
};

/** Waits until the element of object `id` shows `expected`; the error tells what it shows. */
export async function waitForText(page, id, expected, timeout = 15000) {
  try {
    await pageWait(page, ([sel, want]) => document.querySelector(sel)?.textContent === want,
      [`[data-object-id="${id}"]`, expected], timeout);
  } catch (error) {
    const shown = await elementById(page, id).evaluate((el) => el.textContent).catch(() => '(no element)');
    throw new Error(`expected the text ${JSON.stringify(expected)}, the page shows ${JSON.stringify(shown)}`,
      { cause: error });
  }
}
