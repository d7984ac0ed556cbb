() => {
  // WCAG 2.x contrast of every visible text node against the background it is painted on
  // (ancestor backgrounds composited, opacity applied); one entry per element.
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const over = (top, under) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3]))
    .concat([1]);
  const backdrop = (el) => {
    const layers = [];
    let opacity = 1;
    for (let n = el; n; n = n.parentElement) {
      const s = getComputedStyle(n);
      opacity *= parseFloat(s.opacity);
      const c = parse(s.backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    const root = parse(getComputedStyle(document.body).backgroundColor) || [255, 255, 255, 1];
    let bg = root[3] >= 1 ? root : [255, 255, 255, 1];
    for (const l of layers.reverse()) bg = over(l, bg);
    return [bg, opacity];
  };
  const out = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || s.visibility === 'hidden') continue;
    if (el.closest('[aria-hidden=true], [hidden], script, style, noscript')) continue;
    const [bg, opacity] = backdrop(el);
    const c = parse(s.color);
    const fg = over([c[0], c[1], c[2], c[3] * opacity], bg);
    const a = lum(fg), b = lum(bg);
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight, 10) >= 700;
    out.push({
      text: walker.currentNode.textContent.trim().slice(0, 50), tag: el.tagName,
      cls: typeof el.className === 'string' ? el.className : '',
      ratio: Math.round(ratio * 100) / 100, need: size >= 24 || (bold && size >= 18.66) ? 3 : 4.5,
      fg: s.color, bg: bg.map(Math.round).join(','),
    });
  }
  return out;
}
