/** A video link on an allow-listed provider, turned into its privacy-enhanced embed address. */
export interface VideoEmbed {
  provider: 'youtube' | 'vimeo' | 'peertube';
  embedUrl: string;
  /** The origin to allow in the page's frame-src. */
  origin: string;
}

const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
const YOUTUBE_HOSTS = new Set([
  'youtube.com',
  'www.youtube.com',
  'm.youtube.com',
  'youtu.be',
  'www.youtube-nocookie.com',
  'youtube-nocookie.com',
]);
const VIMEO_HOSTS = new Set(['vimeo.com', 'www.vimeo.com', 'player.vimeo.com']);
const PEERTUBE_ID = /^[A-Za-z0-9-]{6,40}$/;

function youtubeId(u: URL): string | undefined {
  if (u.hostname === 'youtu.be') return u.pathname.slice(1).split('/')[0];
  if (u.pathname === '/watch') return u.searchParams.get('v') ?? undefined;
  const m = /^\/(embed|shorts|live)\/([^/]+)/.exec(u.pathname);
  return m?.[2];
}

/** Null when the address is not a video of an allowed provider (PeerTube: only the configured hosts). */
export function videoEmbed(raw: string, peertubeHosts: readonly string[]): VideoEmbed | null {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' || u.username || u.password || (u.port && u.port !== '443')) return null;
  const host = u.hostname.toLowerCase();
  if (YOUTUBE_HOSTS.has(host)) {
    const id = youtubeId(u);
    if (!id || !YOUTUBE_ID.test(id)) return null;
    return {
      provider: 'youtube',
      embedUrl: `https://www.youtube-nocookie.com/embed/${id}`,
      origin: 'https://www.youtube-nocookie.com',
    };
  }
  if (VIMEO_HOSTS.has(host)) {
    const m = /^\/(?:video\/)?(\d{1,12})(?:\/|$)/.exec(u.pathname);
    if (!m) return null;
    return {
      provider: 'vimeo',
      embedUrl: `https://player.vimeo.com/video/${m[1]}?dnt=1`,
      origin: 'https://player.vimeo.com',
    };
  }
  if (peertubeHosts.map((h) => h.toLowerCase()).includes(host)) {
    const m = /^\/(?:w|videos\/watch|videos\/embed)\/([^/]+)\/?$/.exec(u.pathname);
    if (!m || !PEERTUBE_ID.test(m[1]!)) return null;
    // p2p=0: the viewer's address is not shared with other viewers.
    return {
      provider: 'peertube',
      embedUrl: `https://${host}/videos/embed/${m[1]}?p2p=0`,
      origin: `https://${host}`,
    };
  }
  return null;
}
