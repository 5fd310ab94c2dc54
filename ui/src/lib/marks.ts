// Performance marks for the moments a user waits for, readable by benchmarks and by anyone in the
// webview's inspector (performance.getEntriesByType('mark')). Each is recorded once per page load,
// when the frame showing it has been rendered.

const seen = new Set<string>();

/**
 * Marks `codebind:<name>` once the frame that holds what is in the DOM now has been painted: when
 * a message posted from that frame's animation callback arrives, or the next frame starts (which
 * it only does once this one is rendered), whichever comes first. WebKit may deliver the message
 * only after the next frame.
 */
export function markPainted(name: string): void {
  if (seen.has(name) || typeof performance?.mark !== 'function') return;
  seen.add(name);
  let marked = false;
  const mark = () => {
    if (marked) return;
    marked = true;
    performance.mark(`codebind:${name}`);
  };
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = mark;
    channel.port2.postMessage(null);
    requestAnimationFrame(mark);
  });
}
