// The ObjectSync demo page: renders the host's `div` and `text` objects as DOM elements,
// live, and lets the user edit texts. Objects of any other frontend type are shown as generic
// cards listing their attributes. Uses the bundled client (global `ObjectSync`).
'use strict';

(() => {
  const { ObjectSyncClient, SObject, StringTopic, DictTopic, TOPIC_CLASSES, deepEqual } = ObjectSync;

  const scene = document.getElementById('scene');
  const statusLine = document.getElementById('status');
  const messageLine = document.getElementById('message');

  function showMessage(text) {
    messageLine.textContent = text;
  }

  /** The element a child of `parent` goes into. */
  function containerOf(parent) {
    return (parent && (parent.childrenEl || parent.el)) || scene;
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

  // ------------------------------------------------------------------ generic cards

  /** How a value of an attribute reads on a card: strings as they are, the rest as JSON. */
  function valueText(topicType, value) {
    return topicType === 'string' ? value : JSON.stringify(value);
  }

  /**
   * The value the text of an editor stands for, for a topic of type `topicType`; throws an
   * Error saying why when the text does not fit the type.
   */
  function parseValue(topicType, text) {
    if (topicType === 'int' || topicType === 'float') {
      const number = text.trim() === '' ? NaN : Number(text);
      if (topicType === 'float') {
        if (!Number.isFinite(number)) throw new Error('a finite number is needed (1.5, -2e-3)');
        return number;
      }
      if (!Number.isInteger(number)) throw new Error('a whole number is needed');
      if (!Number.isSafeInteger(number)) {
        throw new Error(`this page handles whole numbers up to ${Number.MAX_SAFE_INTEGER} either way`);
      }
      return number;
    }
    let value;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new Error(`not JSON: ${error.message}`);
    }
    if (topicType === 'dict' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new Error('a JSON object is needed, such as {"color": "red"}');
    }
    if ((topicType === 'list' || topicType === 'set') && !Array.isArray(value)) {
      throw new Error('a JSON array is needed, such as ["a", "b"]');
    }
    if (topicType === 'set' && value.some((item, i) => value.findIndex((other) => deepEqual(other, item)) !== i)) {
      throw new Error('a set holds each item once');
    }
    return value;
  }

  /**
   * One attribute on a card: its name, its topic type and its value, with an editor unless the
   * attribute is read-only. Strings are edited like the text view edits its text (insertions and
   * deletions, merged with other pages' typing); numbers and JSON values are set as a whole when
   * the editor is committed (Enter or leaving it), once they fit the topic type.
   */
  class AttributeRow {
    constructor(view, name, topicType) {
      this.view = view;
      this.name = name;
      this.topicType = topicType;
      const topicClass = topicType === 'event' ? undefined : TOPIC_CLASSES[topicType];
      // Events have no value to show; topics of a type this page does not know are only named.
      this.topic = topicClass ? view.getAttribute(name, topicClass) : null;
      this.kind = !this.topic ? 'none'
        : topicType === 'string' ? 'string'
          : topicType === 'int' || topicType === 'float' ? 'number' : 'json';
      this.readOnly = false;
      this.dirty = false; // the editor holds text not committed yet
      this.caret = null;
      this.editor = null;
      this.removers = [];

      this.el = document.createElement('div');
      this.el.className = 'os-attribute';
      this.el.dataset.attribute = name;
      this.el.dataset.topicType = topicType;
      const label = document.createElement('dt');
      label.className = 'os-attribute-name';
      label.textContent = name;
      const type = document.createElement('span');
      type.className = 'os-attribute-type';
      type.textContent = topicType;
      label.append(' ', type);
      this.valueEl = document.createElement('dd');
      this.valueEl.className = 'os-attribute-value';
      this.errorEl = document.createElement('div');
      this.errorEl.className = 'os-attribute-error';
      this.errorEl.setAttribute('role', 'alert');
      this.el.append(label, this.valueEl, this.errorEl);
    }

    start() {
      this.build();
      if (!this.topic) return;
      this.removers.push(this.topic.onSet.add(() => this.render()));
      if (this.kind === 'string') {
        this.removers.push(this.topic.onInsert.add((text, position) => this.shiftCaret(position, text.length)));
        this.removers.push(this.topic.onDelete.add((text, position) => this.shiftCaret(position, -text.length)));
      }
    }

    dispose() {
      for (const remove of this.removers.splice(0)) remove();
      this.el.remove();
    }

    /** The host refused a change to this attribute as read-only: show it without an editor. */
    setReadOnly() {
      if (this.readOnly) return;
      this.readOnly = true;
      this.dirty = false;
      this.clearError();
      this.build();
    }

    /** Makes the value's element: an editor, or plain text. */
    build() {
      this.valueEl.replaceChildren();
      this.editor = null;
      this.el.classList.toggle('os-read-only', this.readOnly);
      if (this.kind === 'none') {
        const note = document.createElement('span');
        note.className = 'os-value os-no-value';
        note.textContent = this.topicType === 'event' ? 'event (no value)' : 'not shown';
        this.valueEl.append(note);
        return;
      }
      if (this.readOnly) {
        const value = document.createElement('span');
        value.className = 'os-value';
        const badge = document.createElement('span');
        badge.className = 'os-read-only-badge';
        badge.textContent = 'read-only';
        this.valueEl.append(value, ' ', badge);
        this.shownEl = value;
        this.render();
        return;
      }
      const editor = document.createElement(this.kind === 'number' ? 'input' : 'textarea');
      editor.className = `os-editor os-editor-${this.kind}`;
      editor.spellcheck = false;
      editor.setAttribute('aria-label', `${this.name} (${this.topicType})`);
      if (this.kind === 'number') {
        editor.type = 'number';
        editor.step = this.topicType === 'int' ? '1' : 'any';
      } else {
        editor.rows = 1;
      }
      this.editor = editor;
      this.valueEl.append(editor);
      const listen = (event, handler) => {
        editor.addEventListener(event, handler);
        this.removers.push(() => editor.removeEventListener(event, handler));
      };
      if (this.kind === 'string') {
        listen('input', () => this.onStringInput());
        listen('keydown', (event) => {
          if (event.key === 'Enter' && !event.shiftKey) event.preventDefault(); // Shift+Enter: a new line
        });
      } else {
        listen('input', () => {
          this.dirty = true;
        });
        listen('keydown', (event) => {
          if (event.key === 'Enter' && !event.shiftKey) {
            event.preventDefault();
            this.commit();
          } else if (event.key === 'Escape') {
            this.dirty = false;
            this.clearError();
            this.render();
          }
        });
        listen('blur', () => this.commit());
      }
      this.render();
    }

    render() {
      if (this.kind === 'none') return;
      const ready = this.topic.isReady;
      const text = ready ? valueText(this.topicType, this.topic.getValue()) : '';
      if (this.readOnly) {
        this.shownEl.textContent = ready ? text : '…';
        return;
      }
      const editor = this.editor;
      if (this.kind === 'string') {
        if (editor.value !== text) {
          const focused = document.activeElement === editor;
          const caret = this.caret ?? (focused ? editor.selectionStart : null);
          editor.value = text;
          if (caret !== null && focused) editor.setSelectionRange(caret, caret);
        }
        this.caret = null;
      } else if (!this.dirty) {
        editor.value = text;
      }
      if (this.kind !== 'number') editor.rows = Math.max(1, editor.value.split('\n').length);
    }

    /** Like TextView.shiftCaret: a change from elsewhere moves the caret like the text around it. */
    shiftCaret(position, delta) {
      const editor = this.editor;
      if (!editor || editor.value === this.topic.getValue()) return;
      const caret = this.caret ?? (document.activeElement === editor ? editor.selectionStart : null);
      if (caret === null) return;
      if (delta > 0 && position <= caret) this.caret = caret + delta;
      else if (delta < 0 && position < caret) this.caret = Math.max(position, caret + delta);
      else this.caret = caret;
    }

    onStringInput() {
      const edit = diff(this.topic.getValue(), this.editor.value);
      if (edit.removed === '' && edit.inserted === '') return;
      this.send(() => {
        if (edit.removed !== '') this.topic.delete(edit.position, edit.removed);
        if (edit.inserted !== '') this.topic.insert(edit.position, edit.inserted);
      });
      if (this.kind === 'string') this.editor.rows = Math.max(1, this.editor.value.split('\n').length);
    }

    /** Sets the value the editor holds, if it fits the topic type and differs from the current one. */
    commit() {
      if (!this.dirty || !this.editor) return;
      let value;
      try {
        if (this.kind === 'number' && this.editor.validity.badInput) throw new Error('not a number');
        value = parseValue(this.topicType, this.editor.value);
      } catch (error) {
        this.showError(error.message);
        return; // nothing is sent; the text stays for the user to fix (Escape: back to the value)
      }
      this.dirty = false;
      this.clearError();
      if (!deepEqual(value, this.topic.getValue())) this.send(() => this.topic.set(value));
      this.render();
    }

    send(change) {
      try {
        this.view.client.record(change);
      } catch (error) {
        showMessage(`This edit was not sent: ${error.message}`);
        this.render(); // back to the synchronized value
      }
    }

    showError(text) {
      this.errorEl.textContent = text;
      this.editor?.setAttribute('aria-invalid', 'true');
    }

    clearError() {
      this.errorEl.textContent = '';
      this.editor?.removeAttribute('aria-invalid');
    }
  }

  /**
   * Any object whose frontend type has no view of its own: a card with the type, the id, every
   * attribute the host lists for the object (topics `a/<id>/<name>`) and the object's children.
   * The host does not tell clients which attributes are read-only; a card learns it from the
   * host's refusals (see learnFromRefusal) and then shows those values without an editor.
   */
  class GenericView extends SObject {
    constructor(client, id) {
      super(client, id);
      this.prefix = `a/${id}/`;
      this.rows = new Map();
      this.readOnlyNames = new Set();
      this.hostOwned = false;

      this.el = document.createElement('section');
      this.el.className = 'os-card';
      this.el.dataset.objectId = id;
      const type = client.objectsTopic.get(id) ?? '';
      this.el.dataset.frontendType = type;
      const head = document.createElement('header');
      head.className = 'os-card-head';
      const typeEl = document.createElement('span');
      typeEl.className = 'os-card-type';
      typeEl.textContent = type;
      const idEl = document.createElement('span');
      idEl.className = 'os-card-id';
      idEl.textContent = id;
      this.noteEl = document.createElement('span');
      this.noteEl.className = 'os-card-note';
      head.append(typeEl, idEl, this.noteEl);
      this.attributesEl = document.createElement('dl');
      this.attributesEl.className = 'os-card-attributes';
      this.childrenEl = document.createElement('div');
      this.childrenEl.className = 'os-card-children';
      this.el.append(head, this.attributesEl, this.childrenEl);

      // Asked for here, so that the card starts once they all have values.
      for (const [topicName, info] of client.topicList.entries()) this.addRow(topicName, info);
    }

    addRow(topicName, info) {
      if (!topicName.startsWith(this.prefix)) return null;
      const name = topicName.slice(this.prefix.length);
      if (this.rows.has(name)) return null;
      const row = new AttributeRow(this, name, info.type);
      if (this.hostOwned || this.readOnlyNames.has(name)) row.readOnly = true;
      this.rows.set(name, row);
      this.attributesEl.appendChild(row.el);
      return row;
    }

    onStart() {
      containerOf(this.parent).appendChild(this.el);
      for (const row of this.rows.values()) row.start();
      // Attributes the host adds or removes later.
      const topicList = this.client.topicList;
      this.link(topicList.onAdd.add((topicName, info) => this.addRow(topicName, info)?.start()));
      this.link(topicList.onPop.add((topicName) => {
        if (!topicName.startsWith(this.prefix)) return;
        const name = topicName.slice(this.prefix.length);
        this.rows.get(name)?.dispose();
        this.rows.delete(name);
      }));
    }

    /** The host refused a change to attribute `name`, or (null) to any attribute of this object. */
    markReadOnly(name) {
      if (name === null) {
        this.hostOwned = true;
        this.noteEl.textContent = 'belongs to the host';
        for (const row of this.rows.values()) row.setReadOnly();
      } else {
        this.readOnlyNames.add(name);
        this.rows.get(name)?.setReadOnly();
      }
    }

    onParentChangedTo(parent) {
      containerOf(parent).appendChild(this.el);
    }

    onDestroy() {
      for (const row of this.rows.values()) row.dispose();
      this.el.remove();
    }
  }

  /**
   * The host's reasons for refusing a change to a read-only attribute, or to any attribute of an
   * object that belongs to the host (docs/protocol.md): the card concerned stops offering an
   * editor there.
   */
  const refusals = [
    { pattern: /attribute '([^']+)' of object '([^']+)' is read-only/g, object: 2, attribute: 1 },
    { pattern: /object '([^']+)' belongs to the host: clients may not change its attributes/g, object: 1 },
  ];

  function learnFromRefusal(reason) {
    for (const { pattern, object, attribute } of refusals) {
      for (const match of reason.matchAll(pattern)) {
        const view = client.getObject(match[object]);
        if (view instanceof GenericView) view.markReadOnly(attribute ? match[attribute] : null);
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
  // The client looks each frontend type up in this record: the types without a view of their
  // own get the generic card.
  const views = { Root: RootView, div: DivView, text: TextView };
  const objectTypes = new Proxy(views, {
    get: (target, type) => (typeof type === 'string' && !Object.hasOwn(target, type) ? GenericView : target[type]),
  });
  const client = new ObjectSyncClient(url, objectTypes, { token });

  client.onConnectionStateChanged.add((state) => {
    statusLine.dataset.state = state;
    statusLine.textContent = { connecting: 'connecting…', open: 'connected', closed: 'disconnected' }[state] ?? state;
    if (state === 'open') showMessage('');
  });
  client.onReject.add((reason) => {
    showMessage(`The host refused a change: ${reason}`);
    learnFromRefusal(reason);
  });

  // For scripts and tests driving the page.
  window.objectSyncDemo = { client, url, room };
})();
