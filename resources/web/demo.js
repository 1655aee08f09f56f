// The ObjectSync demo page: renders the host's `div` and `text` objects as DOM elements,
// live, and lets the user edit texts. Uses the bundled client (global `ObjectSync`).
'use strict';

(() => {
  const { ObjectSyncClient, SObject, StringTopic, DictTopic } = ObjectSync;

  const scene = document.getElementById('scene');
  const statusLine = document.getElementById('status');
  const messageLine = document.getElementById('message');

  function showMessage(text) {
    messageLine.textContent = text;
  }

  /** The element a child of `parent` goes into. */
  function containerOf(parent) {
    return (parent && parent.el) || scene;
  }

  /** The root object: its element is the scene container. */
  class RootView extends SObject {
    get el() {
      return scene;
    }
  }

  /** An object shown as a DOM element whose inline style follows the `style` attribute. */
  class ElementView extends SObject {
    constructor(client, id) {
      super(client, id);
      this.style = this.getAttribute('style', DictTopic);
      this.el = this.createElement();
      this.el.dataset.objectId = id;
      this.appliedStyle = [];
    }

    createElement() {
      const el = document.createElement('div');
      el.className = 'os-div';
      return el;
    }

    onStart() {
      containerOf(this.parent).appendChild(this.el);
      this.applyStyle(this.style.getValue());
      this.link(this.style.onSet.add((style) => this.applyStyle(style)));
    }

    applyStyle(style) {
      for (const property of this.appliedStyle) {
        if (!(property in style)) this.el.style.removeProperty(property);
      }
      for (const [property, value] of Object.entries(style)) {
        this.el.style.setProperty(property, String(value));
      }
      this.appliedStyle = Object.keys(style);
    }

    onParentChangedTo(parent) {
      containerOf(parent).appendChild(this.el);
    }

    onDestroy() {
      this.el.remove();
    }
  }

  class DivView extends ElementView {}

  /** Where the caret is in `el`, as a character offset (null when it is elsewhere). */
  function caretOffset(el) {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || !el.contains(selection.anchorNode)) return null;
    const range = document.createRange();
    range.setStart(el, 0);
    range.setEnd(selection.anchorNode, selection.anchorOffset);
    return range.toString().length;
  }

  function placeCaret(el, offset) {
    const node = el.firstChild;
    const selection = window.getSelection();
    if (!selection) return;
    const range = document.createRange();
    if (node && node.nodeType === Node.TEXT_NODE) {
      range.setStart(node, Math.max(0, Math.min(offset, node.length)));
    } else {
      range.setStart(el, 0);
    }
    range.collapse(true);
    selection.removeAllRanges();
    selection.addRange(range);
  }

  /** Which part of `before` was replaced by which text to give `after`. */
  function diff(before, after) {
    let start = 0;
    const shorter = Math.min(before.length, after.length);
    while (start < shorter && before[start] === after[start]) start++;
    let end = 0;
    while (end < shorter - start
           && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
    return {
      position: start,
      removed: before.slice(start, before.length - end),
      inserted: after.slice(start, after.length - end),
    };
  }

  /**
   * A text element: its text is the `text` attribute, and typing in it edits the attribute.
   * The text is in an editable block of its own, so that child objects can follow it.
   */
  class TextView extends ElementView {
    constructor(client, id) {
      super(client, id);
      this.text = this.getAttribute('text', StringTopic);
      this.caret = null; // where the caret goes at the next render, after a change from elsewhere
    }

    createElement() {
      const el = document.createElement('div');
      el.className = 'os-text';
      this.textEl = document.createElement('div');
      this.textEl.className = 'os-text-content';
      this.textEl.contentEditable = 'plaintext-only';
      if (this.textEl.contentEditable !== 'plaintext-only') this.textEl.contentEditable = 'true';
      this.textEl.spellcheck = false;
      el.appendChild(this.textEl);
      return el;
    }

    onStart() {
      super.onStart();
      this.render();
      this.link(this.text.onInsert.add((text, position) => this.shiftCaret(position, text.length)));
      this.link(this.text.onDelete.add((text, position) => this.shiftCaret(position, -text.length)));
      this.link(this.text.onSet.add(() => this.render()));
      const onInput = () => this.onInput();
      const onKeyDown = (event) => {
        if (event.key === 'Enter') event.preventDefault(); // one line of text
      };
      this.textEl.addEventListener('input', onInput);
      this.textEl.addEventListener('keydown', onKeyDown);
      this.link(() => {
        this.textEl.removeEventListener('input', onInput);
        this.textEl.removeEventListener('keydown', onKeyDown);
      });
    }

    /**
     * A change made elsewhere (or our own change undone and applied again while the host
     * orders it among others) moves the caret like the text around it. Text inserted right at
     * the caret goes before it, so our own text comes back in front of the caret.
     */
    shiftCaret(position, delta) {
      if (this.textEl.textContent === this.text.getValue()) return; // our own typing, shown already
      const caret = this.caret ?? caretOffset(this.textEl);
      if (caret === null) return;
      if (delta > 0 && position <= caret) this.caret = caret + delta;
      else if (delta < 0 && position < caret) this.caret = Math.max(position, caret + delta);
      else this.caret = caret;
    }

    render() {
      const value = this.text.getValue();
      if (this.textEl.textContent !== value) {
        const caret = this.caret ?? caretOffset(this.textEl);
        this.textEl.textContent = value;
        if (caret !== null && document.activeElement === this.textEl) placeCaret(this.textEl, caret);
      }
      this.caret = null;
    }

    onInput() {
      const edit = diff(this.text.getValue(), this.textEl.textContent);
      if (edit.removed === '' && edit.inserted === '') return;
      try {
        this.client.record(() => {
          if (edit.removed !== '') this.text.delete(edit.position, edit.removed);
          if (edit.inserted !== '') this.text.insert(edit.position, edit.inserted);
        });
      } catch (error) {
        showMessage(`This edit was not sent: ${error.message}`);
        this.render(); // back to the synchronized text
      }
    }
  }

  /**
   * The room a URL path names, as the host reads it: `<name>` for `/rooms/<name>` and the
   * paths below it, null for every other path (the default room).
   */
  function roomOfPath(path) {
    const match = /^\/rooms\/([A-Za-z0-9._-]{1,64})(?:\/|$)/.exec(path);
    return match && !/^\.+$/.test(match[1]) ? match[1] : null;
  }

  function roomOfUrl(url) {
    try {
      return roomOfPath(new URL(url).pathname);
    } catch {
      return null;
    }
  }

  // The page at /rooms/<name>/ shows room <name>; at any other path, the default room.
  const params = new URLSearchParams(location.search);
  const pageRoom = roomOfPath(location.pathname);
  const defaultUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/`
    + (pageRoom === null ? '' : `rooms/${pageRoom}`);
  const url = params.get('ws') || defaultUrl;

  // The room actually connected to (?ws= may name another), shown unless it is the default one.
  const room = roomOfUrl(url) ?? 'default';
  if (room !== 'default') {
    const roomLabel = document.getElementById('room');
    roomLabel.textContent = `room ${room}`;
    roomLabel.hidden = false;
    document.title = `${document.title} (room ${room})`;
  }

  // A host whose access policy wants a token: open the page with ?token=...
  const token = params.get('token') ?? undefined;
  const client = new ObjectSyncClient(url, { Root: RootView, div: DivView, text: TextView }, { token });

  client.onConnectionStateChanged.add((state) => {
    statusLine.dataset.state = state;
    statusLine.textContent = { connecting: 'connecting…', open: 'connected', closed: 'disconnected' }[state] ?? state;
    if (state === 'open') showMessage('');
  });
  client.onReject.add((reason) => showMessage(`The host refused a change: ${reason}`));

  // For scripts and tests driving the page.
  window.objectSyncDemo = { client, url, room };
})();
