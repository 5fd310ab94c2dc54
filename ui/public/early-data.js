// Asks Rust for the dashboard's data as soon as the page's HTML is parsed: a classic script runs
// here, while the app's modules are still being fetched and compiled (about 50 ms on a cold
// start), so the answer is (nearly) in when the app starts. main.ts adopts the request on the
// dashboard and drops it on any other screen (src/lib/dashboardData.ts). Plain JS on purpose: it
// must not wait for the module graph. It only starts the same two commands the app would call.
(function () {
  var ipc = window.__TAURI_INTERNALS__;
  if (!ipc || typeof ipc.invoke !== 'function') return;
  var request = Promise.all([ipc.invoke('app_info'), ipc.invoke('list_bindings')]);
  // Settled by whoever adopts it; never an unhandled rejection if nobody does. The mark times the
  // round trip (tests/e2e/bench/paint.mjs).
  request.then(
    function () {
      if (performance.mark) performance.mark('codebind:early-data');
    },
    function () {},
  );
  window.__codebindEarlyData = request;
})();
