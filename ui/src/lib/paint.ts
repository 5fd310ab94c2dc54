// Scheduling work around frames, for rendering long lists a piece at a time.

/** True from one of our frame callbacks until the frame it belongs to has been rendered. */
let inFrame = false;
let leaving = false;

function enterFrame() {
  inFrame = true;
  if (leaving) return;
  leaving = true;
  // A message posted during the frame's callbacks runs once that frame has been rendered.
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    inFrame = false;
    leaving = false;
  };
  channel.port2.postMessage(null);
}

/**
 * Calls `fn` at the start of the first frame after the one that paints what is in the DOM now:
 * that paint is not held back by `fn`'s work, and whatever `fn` adds is painted in the frame it runs
 * in. From a task this waits for two animation frames (the next one paints the current content);
 * from within a frame (a previous `afterPaint` callback and the updates it caused) for one. If no
 * frame comes (a hidden window does not render), `fn` runs after `fallbackMs` anyway.
 * Returns a function that cancels the call.
 */
export function afterPaint(fn: () => void, fallbackMs = 500): () => void {
  let done = false;
  let frame = 0;
  const stop = () => {
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
  const run = (fromFrame: boolean) => {
    if (done) return;
    stop();
    if (fromFrame) enterFrame();
    fn();
  };
  frame = requestAnimationFrame(
    inFrame ? () => run(true) : () => (frame = requestAnimationFrame(() => run(true))),
  );
  const timer = setTimeout(() => run(false), fallbackMs);
  return stop;
}
