/**
 * The demo catalog's product photos, drawn by hand: one studio shot per leaf category, each in the
 * finishes of services/api/src/seed/product-images.ts (the finish colours the product's body, or its
 * screen's picture and trim where a coloured body would look wrong, as on a TV). 400 × 400 viewBox,
 * light backdrop and a soft floor shadow like a shop's white-background photos; no text, so the
 * rendering needs no fonts. build.ts rasterises them to WebP.
 */
import type { DemoImageFinish } from '../../services/api/src/seed/product-images.ts';

interface Palette {
  base: string;
  dark: string;
  light: string;
  sheen: string;
  backdrop: string;
  /** A screen's picture: two colours of a wallpaper gradient. */
  screen: [string, string];
}

export const PALETTES: Record<DemoImageFinish, Palette> = {
  graphite: { base: '#3c4048', dark: '#1c1e22', light: '#6d737d', sheen: '#a3aab4', backdrop: '#e2e5e9', screen: ['#24305e', '#f37c8b'] },
  silver: { base: '#d3d8de', dark: '#98a1ab', light: '#f6f7f9', sheen: '#ffffff', backdrop: '#e6eaee', screen: ['#1fa2a0', '#1d4e89'] },
  blue: { base: '#2f62a3', dark: '#193a68', light: '#6395d6', sheen: '#b2cdf1', backdrop: '#dde7f2', screen: ['#1cb5e0', '#0b2d8f'] },
  red: { base: '#b9322b', dark: '#761b17', light: '#e2685f', sheen: '#f6bcb7', backdrop: '#f1e3e1', screen: ['#f7971e', '#b3153c'] },
};

/** Gradients every drawing may use: `url(#body)` is the finish, `url(#screen)` its picture. */
function defs(p: Palette): string {
  const linear = (id: string, stops: [number, string, number?][], x2 = 1, y2 = 1) =>
    `<linearGradient id="${id}" x1="0" y1="0" x2="${x2}" y2="${y2}">${stops
      .map(([o, c, a]) => `<stop offset="${o}" stop-color="${c}"${a === undefined ? '' : ` stop-opacity="${a}"`}/>`)
      .join('')}</linearGradient>`;
  return [
    `<radialGradient id="backdrop" cx="0.5" cy="0.35" r="0.8"><stop offset="0" stop-color="#ffffff"/><stop offset="1" stop-color="${p.backdrop}"/></radialGradient>`,
    linear('body', [
      [0, p.light],
      [0.5, p.base],
      [1, p.dark],
    ]),
    linear(
      'bodyV',
      [
        [0, p.light],
        [0.45, p.base],
        [1, p.dark],
      ],
      0,
    ),
    linear(
      'bodyH',
      [
        [0, p.dark],
        [0.3, p.base],
        [0.55, p.light],
        [0.8, p.base],
        [1, p.dark],
      ],
      1,
      0,
    ),
    linear('screen', [
      [0, p.screen[0]],
      [1, p.screen[1]],
    ]),
    linear('glass', [
      [0, '#30343b'],
      [1, '#07080a'],
    ]),
    linear(
      'dark',
      [
        [0, '#4a4e56'],
        [1, '#15161a'],
      ],
      0,
    ),
    linear(
      'white',
      [
        [0, '#ffffff'],
        [0.6, '#eceff2'],
        [1, '#cfd5dc'],
      ],
      0,
    ),
    linear(
      'metal',
      [
        [0, '#f3f5f7'],
        [0.5, '#c5cbd2'],
        [1, '#8f98a2'],
      ],
      0,
    ),
    linear(
      'metalH',
      [
        [0, '#9aa2ab'],
        [0.35, '#e9ecef'],
        [0.6, '#c3c9d0'],
        [1, '#8c949e'],
      ],
      1,
      0,
    ),
    linear('shine', [
      [0, '#ffffff', 0.45],
      [0.5, '#ffffff', 0],
    ]),
    `<radialGradient id="lens" cx="0.4" cy="0.35" r="0.7"><stop offset="0" stop-color="#6f83a8"/><stop offset="0.35" stop-color="#1f2a44"/><stop offset="1" stop-color="#05070b"/></radialGradient>`,
    `<radialGradient id="knob" cx="0.4" cy="0.35" r="0.7"><stop offset="0" stop-color="#ffffff"/><stop offset="1" stop-color="#9aa2ab"/></radialGradient>`,
  ].join('');
}

/** A soft shadow on the floor under an object (blurred by build.ts, which draws it on its own layer). */
const floor = (cx: number, cy: number, rx: number, ry = 12) =>
  `<ellipse class="floor" cx="${cx}" cy="${cy}" rx="${rx}" ry="${ry}" fill="#000" opacity="0.2"/>`;
const rect = (x: number, y: number, w: number, h: number, r: number, fill: string, extra = '') =>
  `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${r}" fill="${fill}"${extra ? ` ${extra}` : ''}/>`;
const circle = (cx: number, cy: number, r: number, fill: string, extra = '') =>
  `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${fill}"${extra ? ` ${extra}` : ''}/>`;
/** A gentle landscape for screens: hills over the finish's wallpaper gradient, clipped to the screen. */
const picture = (id: string, x: number, y: number, w: number, h: number, r = 0) =>
  `<clipPath id="${id}"><rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${r}"/></clipPath>` +
  `<g clip-path="url(#${id})">${rect(x, y, w, h, 0, 'url(#screen)')}` +
  `<path d="M${x} ${y + h * 0.72} Q${x + w * 0.3} ${y + h * 0.5} ${x + w * 0.55} ${y + h * 0.68} T${x + w} ${y + h * 0.6} V${y + h} H${x} Z" fill="#000" opacity="0.25"/>` +
  `<path d="M${x} ${y + h * 0.85} Q${x + w * 0.45} ${y + h * 0.66} ${x + w} ${y + h * 0.82} V${y + h} H${x} Z" fill="#000" opacity="0.3"/>` +
  `${circle(x + w * 0.72, y + h * 0.3, Math.min(w, h) * 0.09, '#fff', 'opacity="0.55"')}` +
  `<path d="M${x} ${y} L${x + w * 0.45} ${y} L${x} ${y + h * 0.55} Z" fill="#fff" opacity="0.08"/></g>`;
const grid = (x: number, y: number, cols: number, rows: number, w: number, h: number, gap: number, fill: string, r = 2) => {
  let out = '';
  for (let row = 0; row < rows; row++)
    for (let col = 0; col < cols; col++) out += rect(x + col * (w + gap), y + row * (h + gap), w, h, r, fill);
  return out;
};
const lines = (x1: number, x2: number, y: number, count: number, step: number, stroke: string, width = 2) =>
  Array.from(
    { length: count },
    (_, i) =>
      `<line x1="${x1}" y1="${y + i * step}" x2="${x2}" y2="${y + i * step}" stroke="${stroke}" stroke-width="${width}" stroke-linecap="round"/>`,
  ).join('');

type Drawing = (p: Palette) => string;

export const DRAWINGS: Record<string, Drawing> = {
  smartphones: () =>
    // The back (camera island) behind, the front (screen) in front, as shops photograph a phone.
    floor(200, 352, 120) +
    `<g transform="rotate(-8 150 200)">${rect(92, 62, 128, 262, 22, 'url(#body)')}${rect(96, 66, 120, 254, 19, 'url(#shine)')}` +
    `${rect(106, 78, 58, 96, 16, '#000', 'opacity="0.18"')}${circle(122, 98, 13, 'url(#lens)', 'stroke="#888" stroke-width="2"')}${circle(148, 98, 13, 'url(#lens)', 'stroke="#888" stroke-width="2"')}${circle(122, 128, 13, 'url(#lens)', 'stroke="#888" stroke-width="2"')}${circle(148, 128, 4, '#fff6d8')}</g>` +
    `<g transform="rotate(6 250 210)">${rect(184, 74, 134, 270, 24, 'url(#bodyH)')}${rect(189, 79, 124, 260, 20, '#0b0c0e')}` +
    `${picture('ph', 194, 84, 114, 250, 16)}${rect(238, 92, 26, 8, 4, '#0b0c0e')}${rect(194, 84, 114, 250, 16, 'url(#shine)')}</g>`,

  'feature-phones': () =>
    floor(200, 352, 70) +
    `${rect(138, 60, 124, 286, 30, 'url(#body)')}${rect(142, 64, 116, 278, 27, 'url(#shine)')}` +
    `${rect(170, 76, 60, 8, 4, '#000', 'opacity="0.35"')}${rect(154, 94, 92, 76, 8, '#0b0c0e')}${picture('fp', 159, 99, 82, 66, 4)}` +
    `${rect(154, 182, 92, 34, 14, '#000', 'opacity="0.22"')}${circle(200, 199, 13, 'url(#metal)')}${rect(158, 190, 22, 18, 6, 'url(#metal)')}${rect(220, 190, 22, 18, 6, 'url(#metal)')}` +
    grid(156, 226, 3, 4, 26, 20, 7, 'url(#metal)', 8),

  tablets: () =>
    floor(200, 354, 150) +
    `${rect(64, 72, 272, 276, 24, 'url(#bodyH)')}${rect(70, 78, 260, 264, 19, '#0b0c0e')}${picture('tb', 80, 88, 240, 244, 10)}` +
    `${rect(80, 88, 240, 244, 10, 'url(#shine)')}${circle(200, 83, 2.5, '#2c2f36')}` +
    `<g transform="rotate(-62 320 250)">${rect(250, 243, 150, 10, 5, 'url(#metal)')}${rect(250, 243, 14, 10, 3, '#8f98a2')}</g>`,

  laptops: () =>
    floor(200, 336, 175, 14) +
    `<path d="M86 58 H314 Q324 58 324 68 V250 H76 V68 Q76 58 86 58 Z" fill="url(#bodyV)"/>${rect(84, 66, 232, 176, 6, '#0b0c0e')}` +
    `${picture('lp', 92, 74, 216, 160, 2)}${rect(92, 74, 216, 160, 2, 'url(#shine)')}` +
    `<path d="M62 250 H338 L366 320 Q368 330 356 330 H44 Q32 330 34 320 Z" fill="url(#body)"/><path d="M34 322 H366 L364 330 H36 Z" fill="#000" opacity="0.2"/>` +
    `<path d="M92 258 H308 L326 298 H74 Z" fill="#000" opacity="0.28"/>${rect(168, 302, 64, 18, 3, '#000', 'opacity="0.12"')}`,

  monitors: () =>
    floor(200, 350, 110) +
    `<path d="M176 250 H224 L232 336 H168 Z" fill="url(#bodyH)"/>${rect(120, 330, 160, 14, 7, 'url(#body)')}` +
    `${rect(30, 62, 340, 206, 10, 'url(#dark)')}${rect(36, 68, 328, 186, 4, '#0b0c0e')}${picture('mn', 38, 70, 324, 182, 2)}` +
    `${rect(38, 70, 324, 182, 2, 'url(#shine)')}${rect(30, 254, 340, 14, 6, 'url(#bodyV)')}${circle(340, 261, 2.5, '#7dff9b')}`,

  'keyboards-mice': () =>
    floor(170, 300, 160, 12) +
    floor(318, 318, 40, 10) +
    `<g transform="rotate(-6 170 230)">${rect(20, 170, 276, 116, 14, 'url(#body)')}${rect(30, 180, 256, 96, 8, '#000', 'opacity="0.25"')}` +
    `${grid(36, 186, 12, 4, 16, 15, 4.5, 'url(#dark)', 3)}${rect(82, 262, 128, 12, 3, 'url(#dark)')}</g>` +
    `<g transform="rotate(12 320 270)"><path d="M320 212 C352 212 356 250 356 276 C356 312 340 326 320 326 C300 326 284 312 284 276 C284 250 288 212 320 212 Z" fill="url(#body)"/>` +
    `<path d="M320 212 V262" stroke="#000" stroke-opacity="0.3" stroke-width="2"/><path d="M286 262 H354" stroke="#000" stroke-opacity="0.18" stroke-width="2"/>${rect(316, 226, 8, 20, 4, 'url(#dark)')}` +
    `<path d="M296 222 C304 214 314 213 318 214 L318 250 L290 250 C290 238 292 228 296 222 Z" fill="#fff" opacity="0.2"/></g>`,

  'routers-networking': () =>
    floor(200, 330, 150) +
    [92, 150, 250, 308]
      .map((x, i) => `<g transform="rotate(${[-14, -5, 5, 14][i]} ${x} 250)">${rect(x - 9, 70, 18, 190, 9, 'url(#bodyH)')}</g>`)
      .join('') +
    `<path d="M60 236 Q60 226 70 226 H330 Q340 226 340 236 L352 300 Q354 316 338 316 H62 Q46 316 48 300 Z" fill="url(#body)"/>` +
    `<path d="M70 232 H330 L336 262 H64 Z" fill="#fff" opacity="0.16"/>` +
    [0, 1, 2, 3, 4, 5].map((i) => circle(140 + i * 24, 290, 4, i < 4 ? '#59e38a' : '#7fb8ff', 'opacity="0.95"')).join('') +
    lines(80, 120, 274, 3, 10, '#000', 2).replace(/stroke="#000"/g, 'stroke="#000" stroke-opacity="0.25"'),

  televisions: () =>
    floor(200, 344, 170, 10) +
    `<path d="M92 300 L74 336 H86 L108 300 Z" fill="url(#dark)"/><path d="M308 300 L326 336 H314 L292 300 Z" fill="url(#dark)"/>` +
    `${rect(14, 74, 372, 226, 6, '#111316')}${picture('tv', 20, 80, 360, 210, 2)}${rect(20, 80, 360, 210, 2, 'url(#shine)')}` +
    `${rect(14, 290, 372, 10, 3, 'url(#metalH)')}${circle(200, 295, 2.5, '#e84a4a')}`,

  'earbuds-headphones': () =>
    floor(200, 346, 150) +
    `<path d="M96 210 C96 100 148 56 200 56 C252 56 304 100 304 210" fill="none" stroke="url(#bodyV)" stroke-width="22" stroke-linecap="round"/>` +
    `<path d="M112 196 C116 112 156 78 200 78 C244 78 284 112 288 196" fill="none" stroke="#000" stroke-opacity="0.25" stroke-width="6"/>` +
    `${rect(70, 176, 56, 112, 26, 'url(#dark)')}${rect(84, 164, 62, 136, 30, 'url(#body)')}${rect(90, 172, 24, 118, 12, '#fff', 'opacity="0.18"')}` +
    `${rect(274, 176, 56, 112, 26, 'url(#dark)')}${rect(254, 164, 62, 136, 30, 'url(#body)')}${rect(260, 172, 24, 118, 12, '#fff', 'opacity="0.18"')}` +
    // The earbuds' case in front.
    `${rect(156, 262, 88, 74, 30, 'url(#white)')}<path d="M157 290 H243" stroke="#b7bec6" stroke-width="2"/>${circle(200, 312, 3, '#59e38a')}`,

  speakers: () =>
    floor(200, 320, 165, 14) +
    `<g>${rect(60, 142, 280, 160, 80, 'url(#bodyV)')}</g>` +
    `<g opacity="0.35">${Array.from({ length: 12 }, (_, r) => Array.from({ length: 22 }, (_, c) => circle(98 + c * 9.4, 170 + r * 9.4, 1.6, '#000')).join('')).join('')}</g>` +
    `<ellipse cx="64" cy="222" rx="26" ry="78" fill="url(#dark)"/><ellipse cx="336" cy="222" rx="26" ry="78" fill="url(#dark)"/>` +
    `<ellipse cx="64" cy="222" rx="16" ry="52" fill="#000" opacity="0.35"/><ellipse cx="336" cy="222" rx="16" ry="52" fill="#000" opacity="0.35"/>` +
    `${rect(170, 150, 60, 14, 7, '#fff', 'opacity="0.25"')}${rect(80, 150, 240, 30, 15, '#fff', 'opacity="0.12"')}`,

  refrigerators: () =>
    floor(200, 360, 110, 10) +
    `${rect(108, 30, 184, 322, 12, 'url(#bodyH)')}<path d="M108 128 H292" stroke="#000" stroke-opacity="0.35" stroke-width="3"/>` +
    `${rect(270, 56, 8, 56, 4, 'url(#metal)')}${rect(270, 148, 8, 110, 4, 'url(#metal)')}${rect(114, 36, 60, 310, 8, '#fff', 'opacity="0.14"')}` +
    `${rect(124, 146, 40, 22, 4, '#0b0c0e', 'opacity="0.85"')}${circle(134, 157, 3, '#7fd6ff')}${rect(140, 154, 18, 6, 2, '#7fd6ff', 'opacity="0.8"')}${rect(118, 346, 164, 8, 3, '#000', 'opacity="0.35"')}`,

  'air-conditioners': (p) =>
    floor(200, 252, 175, 10) +
    `<path d="M22 108 Q22 92 38 92 H362 Q378 92 378 108 V214 Q378 232 360 234 H40 Q22 232 22 214 Z" fill="url(#white)"/>` +
    `${rect(40, 100, 320, 8, 4, '#fff', 'opacity="0.9"')}${lines(46, 354, 118, 4, 8, '#c9d0d8', 1.5)}` +
    `<path d="M34 206 H366 L358 230 H42 Z" fill="#dfe4e9"/><path d="M50 214 H350" stroke="#aab3bd" stroke-width="2"/>` +
    `${rect(264, 172, 72, 20, 6, p.base, 'opacity="0.9"')}${circle(278, 182, 3, '#fff')}${rect(288, 179, 36, 6, 3, '#fff', 'opacity="0.8"')}` +
    // The remote control.
    floor(112, 338, 30, 6) +
    `<g transform="rotate(-18 120 300)">${rect(104, 262, 34, 76, 10, 'url(#white)')}${rect(110, 270, 22, 14, 3, p.base, 'opacity="0.8"')}${grid(110, 292, 3, 3, 5, 5, 3.5, '#aab3bd', 2.5)}</g>`,

  'washing-machines': () =>
    floor(200, 360, 125, 10) +
    `${rect(86, 40, 228, 312, 14, 'url(#white)')}${rect(86, 40, 228, 62, 14, 'url(#bodyV)')}${rect(86, 88, 228, 14, 0, 'url(#bodyV)')}` +
    `${rect(100, 56, 56, 24, 4, '#000', 'opacity="0.3"')}${rect(210, 54, 70, 28, 6, '#0b0c0e')}${rect(216, 60, 30, 16, 2, '#7fd6ff', 'opacity="0.8"')}${circle(292, 70, 14, 'url(#knob)', 'stroke="#8f98a2" stroke-width="2"')}` +
    `${circle(200, 226, 88, 'url(#metal)')}${circle(200, 226, 72, 'url(#glass)')}${circle(200, 226, 56, '#1d2a3a')}` +
    `<path d="M160 190 A56 56 0 0 1 240 186" fill="none" stroke="#fff" stroke-opacity="0.35" stroke-width="10" stroke-linecap="round"/>${rect(278, 214, 12, 26, 6, 'url(#metal)')}`,

  'ceiling-fans': () =>
    floor(200, 330, 160, 12) +
    `${rect(194, 18, 12, 110, 4, 'url(#metalH)')}${rect(176, 14, 48, 14, 7, 'url(#bodyV)')}` +
    // Three blades in the plane of the fan, seen from a little below: rotate in the plane, then squash.
    // The one going away from the camera is drawn before the motor, the two coming towards it after.
    [240, 0, 120]
      .map(
        (angle, i) =>
          (i === 1
            ? `<path d="M160 162 Q160 138 200 134 Q240 138 240 162 Q240 192 200 196 Q160 192 160 162 Z" fill="url(#bodyV)"/>` +
              `<ellipse cx="200" cy="188" rx="28" ry="8" fill="url(#metal)"/><ellipse cx="188" cy="150" rx="18" ry="7" fill="#fff" opacity="0.3"/>`
            : '') +
          `<g transform="translate(200 176) scale(1 0.4) rotate(${angle})"><path d="M34 -24 C90 -44 160 -48 184 -30 Q200 0 184 30 C160 48 90 44 34 24 Z" fill="url(#body)"/>` +
          `<path d="M44 -12 C96 -24 150 -26 172 -14" fill="none" stroke="#fff" stroke-opacity="0.35" stroke-width="6" stroke-linecap="round"/></g>`,
      )
      .join(''),

  'room-coolers-heaters': (p) =>
    floor(200, 362, 95, 10) +
    `${rect(122, 40, 156, 314, 28, 'url(#white)')}${rect(122, 40, 156, 40, 20, p.base)}${rect(122, 64, 156, 18, 0, p.base)}` +
    `${circle(160, 60, 7, '#fff', 'opacity="0.85"')}${circle(184, 60, 7, '#fff', 'opacity="0.6"')}${rect(206, 54, 54, 12, 6, '#fff', 'opacity="0.5"')}` +
    `${rect(140, 96, 120, 128, 10, '#dfe4e9')}${lines(148, 252, 108, 11, 10.5, '#9aa4ae', 3)}` +
    `${rect(140, 240, 120, 96, 10, '#e8ecf0')}${Array.from({ length: 7 }, (_, r) => Array.from({ length: 11 }, (_, c) => circle(150 + c * 10, 252 + r * 12, 2, '#aab3bd')).join('')).join('')}` +
    `${rect(130, 348, 20, 10, 4, '#2c2f36')}${rect(250, 348, 20, 10, 4, '#2c2f36')}`,

  'rice-cookers': () =>
    floor(200, 336, 140, 12) +
    `<path d="M78 178 H322 V286 Q322 326 282 326 H118 Q78 326 78 286 Z" fill="url(#bodyH)"/>` +
    `<ellipse cx="200" cy="178" rx="130" ry="40" fill="url(#white)"/><ellipse cx="200" cy="172" rx="110" ry="30" fill="#fff"/>` +
    `${rect(170, 128, 60, 22, 10, 'url(#dark)')}${rect(176, 131, 48, 8, 4, '#fff', 'opacity="0.2"')}` +
    `<path d="M78 190 H322" stroke="#000" stroke-opacity="0.25" stroke-width="3"/>${rect(164, 236, 72, 40, 8, '#0b0c0e', 'opacity="0.85"')}${circle(184, 256, 6, '#ff6b4a')}${circle(216, 256, 6, '#ffd34a')}` +
    `${rect(92, 200, 40, 110, 20, '#fff', 'opacity="0.16"')}`,

  blenders: () =>
    floor(200, 350, 90, 10) +
    // The jar (clear, so the backdrop shows through) on the motor base.
    `<path d="M138 70 H262 L246 246 H154 Z" fill="#dbe8f2" opacity="0.55" stroke="#9fb3c4" stroke-width="3"/>` +
    `<path d="M262 92 C300 96 300 200 252 206" fill="none" stroke="#9fb3c4" stroke-width="10" stroke-linecap="round" opacity="0.8"/>` +
    `${rect(132, 56, 136, 22, 8, 'url(#dark)')}${lines(164, 234, 120, 5, 22, '#6f8aa3', 2)}<path d="M150 84 L164 236" stroke="#fff" stroke-width="8" stroke-opacity="0.5" stroke-linecap="round"/>` +
    `<path d="M180 228 L220 220 M184 220 L216 230" stroke="#6b7480" stroke-width="5" stroke-linecap="round"/>` +
    `<path d="M140 246 H260 L274 338 Q276 346 266 346 H134 Q124 346 126 338 Z" fill="url(#body)"/>${circle(200, 296, 20, 'url(#knob)', 'stroke="#8f98a2" stroke-width="2"')}${rect(196, 280, 8, 14, 4, '#5c6570')}`,

  'microwave-ovens': () =>
    floor(200, 322, 170, 10) +
    `${rect(30, 90, 340, 222, 14, 'url(#bodyV)')}${rect(44, 104, 240, 194, 8, 'url(#glass)')}${rect(60, 118, 208, 166, 4, '#0f151c')}` +
    `${Array.from({ length: 10 }, (_, r) => Array.from({ length: 24 }, (_, c) => circle(68 + c * 8.4, 126 + r * 15.5, 1.4, '#3a4450')).join('')).join('')}` +
    `<path d="M60 118 L170 118 L60 230 Z" fill="#fff" opacity="0.07"/>${rect(270, 150, 8, 100, 4, 'url(#metal)')}` +
    `${rect(296, 108, 62, 26, 4, '#0b0c0e')}${rect(304, 116, 30, 10, 2, '#59e38a', 'opacity="0.85"')}${grid(300, 146, 3, 4, 14, 12, 5, '#000', 3).replace(/fill="#000"/g, 'fill="#000" fill-opacity="0.25"')}` +
    `${circle(327, 262, 20, 'url(#knob)', 'stroke="#8f98a2" stroke-width="2"')}`,

  'irons-kettles': () =>
    floor(150, 346, 100, 10) +
    floor(300, 346, 80, 8) +
    // The kettle on its base.
    `${rect(70, 322, 160, 22, 10, 'url(#dark)')}<path d="M92 140 H208 L222 318 H78 Z" fill="url(#bodyH)"/>` +
    `<path d="M208 170 C258 174 258 290 216 296" fill="none" stroke="url(#dark)" stroke-width="16" stroke-linecap="round"/>` +
    `<path d="M94 178 L52 126 Q50 116 60 118 L102 146 Z" fill="url(#bodyV)"/><ellipse cx="150" cy="140" rx="58" ry="12" fill="url(#dark)"/>${rect(132, 122, 36, 14, 7, 'url(#dark)')}` +
    `${rect(104, 160, 26, 140, 13, '#fff', 'opacity="0.18"')}${rect(174, 220, 12, 60, 6, '#7fd6ff', 'opacity="0.6"')}` +
    // The iron beside it, side on, its point to the left.
    `<path d="M246 334 Q262 292 322 286 H360 V334 Z" fill="url(#body)"/><path d="M244 334 H362 V344 H248 Q242 344 244 334 Z" fill="url(#metal)"/>` +
    `<path d="M278 292 Q290 246 328 246 H350 Q360 246 358 258 L356 288" fill="none" stroke="url(#dark)" stroke-width="12" stroke-linecap="round"/>` +
    `<path d="M262 318 Q276 300 320 296" fill="none" stroke="#fff" stroke-opacity="0.3" stroke-width="5" stroke-linecap="round"/>`,

  'power-banks': () =>
    floor(190, 334, 150, 12) +
    `<g transform="rotate(-10 200 220)">${rect(90, 110, 220, 210, 26, 'url(#body)')}${rect(98, 118, 204, 80, 20, '#fff', 'opacity="0.14"')}` +
    `${[0, 1, 2, 3].map((i) => circle(176 + i * 16, 290, 4, i < 3 ? '#59e38a' : '#000', i < 3 ? '' : 'opacity="0.3"')).join('')}` +
    `${rect(118, 104, 34, 10, 3, '#1b1d21')}${rect(164, 104, 22, 10, 5, '#1b1d21')}</g>` +
    `<path d="M128 100 C120 60 70 70 64 110 C58 160 112 160 90 220 C78 258 40 262 36 300" fill="none" stroke="url(#white)" stroke-width="8" stroke-linecap="round"/>${rect(26, 296, 20, 36, 5, 'url(#white)', 'transform="rotate(10 36 314)"')}`,

  'ips-ups': (p) =>
    floor(200, 362, 110, 10) +
    `${rect(112, 50, 176, 304, 12, 'url(#dark)')}${rect(112, 50, 18, 304, 8, '#fff', 'opacity="0.08"')}` +
    `${rect(134, 76, 132, 76, 8, '#0b0c0e')}${rect(142, 84, 116, 60, 4, '#69c1ff', 'opacity="0.85"')}${rect(150, 94, 60, 10, 2, '#0b3d66', 'opacity="0.7"')}${rect(150, 114, 90, 8, 2, '#0b3d66', 'opacity="0.5"')}` +
    `${rect(112, 168, 176, 10, 0, p.base)}${circle(200, 212, 16, 'url(#knob)', `stroke="${p.base}" stroke-width="4"`)}${circle(166, 212, 5, '#59e38a')}${circle(234, 212, 5, '#ffb347')}` +
    `${lines(140, 260, 250, 8, 11, '#000', 4).replace(/stroke="#000"/g, 'stroke="#000" stroke-opacity="0.45"')}`,

  'chargers-cables': () =>
    floor(150, 320, 90, 10) +
    floor(280, 330, 80, 8) +
    // A two-pin wall charger and a coiled USB-C cable.
    `${rect(152, 90, 14, 56, 6, 'url(#metalH)')}${rect(196, 90, 14, 56, 6, 'url(#metalH)')}` +
    `${rect(100, 130, 160, 180, 30, 'url(#body)')}${rect(108, 138, 60, 164, 24, '#fff', 'opacity="0.15"')}${rect(164, 270, 34, 12, 4, '#1b1d21')}` +
    `<g fill="none" stroke="url(#white)" stroke-width="8" stroke-linecap="round">` +
    `<ellipse cx="290" cy="276" rx="58" ry="34"/><ellipse cx="290" cy="276" rx="44" ry="24"/><path d="M232 280 C220 240 260 200 300 200"/></g>` +
    `${rect(292, 188, 36, 20, 6, 'url(#white)')}${rect(326, 192, 14, 12, 3, 'url(#metal)')}`,

  smartwatches: (p) =>
    floor(200, 352, 70, 10) +
    `${rect(150, 20, 100, 120, 20, 'url(#bodyV)')}${rect(150, 262, 100, 86, 20, 'url(#bodyV)')}${lines(166, 234, 290, 4, 14, p.dark, 3)}` +
    `${rect(124, 106, 152, 178, 40, 'url(#metalH)')}${rect(132, 114, 136, 162, 34, '#050608')}` +
    `${rect(270, 160, 12, 30, 5, 'url(#metal)')}` +
    // Activity rings and a heartbeat: a watch face without digits (no fonts needed).
    `<g fill="none" stroke-width="10" stroke-linecap="round"><circle cx="200" cy="188" r="44" stroke="#ff2d55" stroke-dasharray="200 400" transform="rotate(-90 200 188)"/>` +
    `<circle cx="200" cy="188" r="31" stroke="#a6ff00" stroke-dasharray="150 400" transform="rotate(-90 200 188)"/><circle cx="200" cy="188" r="18" stroke="#00d4ff" stroke-dasharray="90 400" transform="rotate(-90 200 188)"/></g>` +
    `<path d="M150 254 H176 L184 242 L192 262 L198 250 H250" fill="none" stroke="#ff2d55" stroke-width="3" stroke-linejoin="round"/>${rect(132, 114, 136, 162, 34, 'url(#shine)')}`,

  cameras: (p) =>
    floor(200, 334, 160, 12) +
    `<path d="M70 130 H140 L156 100 H244 L258 130 H330 Q348 130 348 148 V300 Q348 318 330 318 H70 Q52 318 52 300 V148 Q52 130 70 130 Z" fill="url(#dark)"/>` +
    `<path d="M52 150 H348 V176 H52 Z" fill="${p.base}" opacity="0.9"/><path d="M156 100 H244 L250 114 H150 Z" fill="#fff" opacity="0.12"/>` +
    `${rect(60, 178, 54, 132, 20, '#000', 'opacity="0.3"')}${rect(282, 112, 34, 14, 4, 'url(#metal)')}${circle(92, 140, 10, 'url(#metal)')}` +
    `${circle(214, 226, 82, 'url(#metal)')}${circle(214, 226, 70, '#1b1d21')}${circle(214, 226, 56, 'url(#lens)')}` +
    `${circle(214, 226, 24, '#0b1020')}<ellipse cx="194" cy="204" rx="18" ry="10" fill="#fff" opacity="0.35" transform="rotate(-30 194 204)"/>${circle(236, 246, 5, '#fff', 'opacity="0.2"')}`,

  gaming: () =>
    floor(200, 318, 160, 12) +
    `<path d="M112 128 H288 C334 128 360 176 368 240 C376 300 340 320 314 296 L276 254 H124 L86 296 C60 320 24 300 32 240 C40 176 66 128 112 128 Z" fill="url(#body)"/>` +
    `<path d="M112 136 H288 C320 136 340 160 350 196 C300 168 120 166 50 196 C60 160 80 136 112 136 Z" fill="#fff" opacity="0.16"/>` +
    `${circle(136, 230, 24, '#000', 'opacity="0.3"')}${circle(136, 228, 18, 'url(#dark)')}${circle(246, 230, 24, '#000', 'opacity="0.3"')}${circle(246, 228, 18, 'url(#dark)')}` +
    `<path d="M98 170 h12 v-12 h12 v12 h12 v12 h-12 v12 h-12 v-12 h-12 Z" fill="url(#dark)"/>` +
    `${circle(300, 158, 9, '#4caf50')}${circle(318, 176, 9, '#e53935')}${circle(282, 176, 9, '#1e88e5')}${circle(300, 194, 9, '#fdd835')}` +
    `${rect(174, 160, 18, 8, 4, '#000', 'opacity="0.35"')}${rect(208, 160, 18, 8, 4, '#000', 'opacity="0.35"')}${circle(200, 196, 9, '#000', 'opacity="0.35"')}`,
};

export interface ProductLayers {
  /** The studio backdrop. */
  backdrop: string;
  /** The shadows on the floor, sharp-edged: build.ts blurs them. */
  floor: string;
  /** The product on a transparent ground: build.ts gives it a soft drop shadow. */
  object: string;
}

const FLOOR_SHADOW = /<ellipse class="floor"[^>]*\/>/g;

/**
 * One category in one finish as three SVG documents, `size` pixels square. Soft shadows are blurred by
 * libvips rather than by SVG filters, which made librsvg ten times slower.
 */
export function productLayers(category: string, finish: DemoImageFinish, size: number): ProductLayers {
  const draw = DRAWINGS[category];
  if (!draw) throw new Error(`no drawing for category "${category}" (web/images/art.ts)`);
  const palette = PALETTES[finish];
  const drawing = draw(palette);
  const svg = (body: string) =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 400 400"><defs>${defs(palette)}</defs>${body}</svg>`;
  return {
    backdrop: svg('<rect width="400" height="400" fill="url(#backdrop)"/>'),
    floor: svg((drawing.match(FLOOR_SHADOW) ?? []).join('')),
    object: svg(drawing.replace(FLOOR_SHADOW, '')),
  };
}
