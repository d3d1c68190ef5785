import { zipBuffer, type ZipEntry } from '../packages/helpers.js';

// Generated H5P packages: a tiny runnable library of our own and the broken variants the tests need.

export interface TestLibrary {
  machineName: string;
  major?: number;
  minor?: number;
  patch?: number;
  runnable?: boolean;
  js?: Record<string, string>;
  css?: Record<string, string>;
  deps?: { machineName: string; majorVersion: number; minorVersion: number }[];
  /** Paths listed in preloadedJs without adding the file. */
  extraJsPaths?: string[];
  /** Replaces library.json with this text. */
  rawLibraryJson?: string;
}

export const folderOf = (l: TestLibrary) => `${l.machineName}-${l.major ?? 1}.${l.minor ?? 0}`;

/** A content type that shows its text and an optional image, and reports an `answered` statement on click. */
export const helloLibrary = (o: Partial<TestLibrary> = {}): TestLibrary => ({
  machineName: 'WCH.Hello',
  runnable: true,
  js: {
    'hello.js': `
var WCH = (window.WCH = window.WCH || {});
WCH.Hello = (function ($) {
  function Hello(params, contentId) {
    H5P.EventDispatcher.call(this);
    this.params = params;
    this.contentId = contentId;
  }
  Hello.prototype = Object.create(H5P.EventDispatcher.prototype);
  Hello.prototype.constructor = Hello;
  Hello.prototype.attach = function ($container) {
    var self = this;
    $container.addClass('wch-hello').append($('<p class="wch-hello-text"></p>').text(this.params.text || ''));
    if (this.params.image) {
      $container.append($('<img class="wch-hello-image" alt="">').attr('src', H5P.getPath(this.params.image.path, this.contentId)));
    }
    var button = $('<button type="button" class="wch-hello-answer">Answer</button>').on('click', function () {
      var event = self.createXAPIEventTemplate('answered');
      event.setScoredResult(1, 1, self, true, true);
      self.trigger(event);
    });
    $container.append(button);
  };
  return Hello;
})(H5P.jQuery);
`,
  },
  css: { 'hello.css': '.wch-hello-text { font-size: 1.2em; }' },
  ...o,
});

function libraryJson(l: TestLibrary): string {
  if (l.rawLibraryJson !== undefined) return l.rawLibraryJson;
  return JSON.stringify({
    title: `${l.machineName} for tests`,
    machineName: l.machineName,
    majorVersion: l.major ?? 1,
    minorVersion: l.minor ?? 0,
    patchVersion: l.patch ?? 0,
    runnable: l.runnable ? 1 : 0,
    license: 'MIT',
    preloadedJs: [...Object.keys(l.js ?? {}), ...(l.extraJsPaths ?? [])].map((p) => ({ path: p })),
    preloadedCss: Object.keys(l.css ?? {}).map((p) => ({ path: p })),
    preloadedDependencies: l.deps ?? [],
  });
}

export interface TestPackage {
  title?: string;
  main?: TestLibrary;
  libraries?: TestLibrary[];
  /** content.json text; default: `{ "text": "Hello from a generated package" }`. */
  content?: string;
  /** Replaces h5p.json with this text. */
  rawH5pJson?: string;
  files?: ZipEntry[];
  omitContentJson?: boolean;
}

/** An .h5p file as zip bytes. */
export function h5pPackage(p: TestPackage = {}): Promise<Buffer> {
  const main = p.main ?? helloLibrary();
  const libs = [main, ...(p.libraries ?? [])];
  const h5pJson =
    p.rawH5pJson ??
    JSON.stringify({
      title: p.title ?? 'Generated H5P',
      language: 'en',
      mainLibrary: main.machineName,
      embedTypes: ['iframe'],
      license: 'U',
      preloadedDependencies: libs.map((l) => ({
        machineName: l.machineName,
        majorVersion: String(l.major ?? 1),
        minorVersion: String(l.minor ?? 0),
      })),
    });
  const entries: ZipEntry[] = [{ name: 'h5p.json', data: h5pJson }];
  if (!p.omitContentJson)
    entries.push({
      name: 'content/content.json',
      data: p.content ?? '{"text":"Hello from a generated package"}',
    });
  for (const l of libs) {
    entries.push({ name: `${folderOf(l)}/library.json`, data: libraryJson(l) });
    for (const [name, data] of Object.entries({ ...l.js, ...l.css }))
      entries.push({ name: `${folderOf(l)}/${name}`, data });
  }
  entries.push(...(p.files ?? []));
  return zipBuffer(entries);
}

/** An SVG whose script would mark the window it runs in. */
export const SCRIPTED_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">
<rect width="40" height="40" fill="teal"/>
<script type="text/javascript">
  try { window.top.__svgRanOn = location.origin; } catch (e) {}
  window.__svgRanOn = location.origin;
  document.documentElement.setAttribute('data-ran-on', location.origin);
</script>
</svg>`;
