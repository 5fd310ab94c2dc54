// The desktop the webview runs on, as <html data-platform="linux|macos|windows">, set before the
// first render so that app.css can pick font stacks per platform (see --font-sans there).
export type Platform = 'linux' | 'macos' | 'windows' | 'other';

export function platformOf(userAgent: string): Platform {
  if (/Windows/.test(userAgent)) return 'windows';
  if (/Macintosh|Mac OS X/.test(userAgent)) return 'macos';
  if (/Linux|X11/.test(userAgent) && !/Android/.test(userAgent)) return 'linux';
  return 'other';
}

if (typeof document !== 'undefined') document.documentElement.dataset.platform = platformOf(navigator.userAgent);
