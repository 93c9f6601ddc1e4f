// Small DOM helpers. Text always goes in as text (never as HTML): job names, file names and dataset
// values come from users.

/** Creates an element: h('a', {href: '#/jobs', class: 'x'}, 'text', child, ...). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** A date-time in the reader's locale, or an empty string. */
export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

/** A count with thousands separators. */
export function count(n) {
  return Number(n ?? 0).toLocaleString();
}

/** A progress bar: returns the element and a function that sets it to a percentage. */
export function progressBar(label, big = false) {
  const fillElement = h('div', {class: 'fill'});
  const track = h('div', {
    class: 'track', role: 'progressbar', 'aria-label': label, 'aria-valuemin': 0, 'aria-valuemax': 100,
    'aria-valuenow': 0,
  }, fillElement);
  const pct = h('span', {class: 'pct'}, '0%');
  const element = h('div', {class: big ? 'bar big' : 'bar'}, track, pct);
  const set = (percent) => {
    const value = Math.max(0, Math.min(100, Number(percent) || 0));
    fillElement.style.width = value + '%';
    track.setAttribute('aria-valuenow', String(value));
    pct.textContent = (Number.isInteger(value) ? value : value.toFixed(1)) + '%';
  };
  return {element, set};
}

/** A status word as a coloured badge. */
export function badge(status) {
  return h('span', {class: 'badge ' + status}, status.replaceAll('_', ' '));
}
