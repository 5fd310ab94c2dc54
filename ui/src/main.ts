import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import './lib/theme';
import './lib/platform';
import { dropEarlyRequest, prefetchDashboardData } from './lib/dashboardData';
import { parse } from './lib/route';

performance.mark?.('codebind:boot');
const target = document.getElementById('app');
if (!target) throw new globalThis.Error('#app element missing');

// The dashboard's data is asked for before mounting (by public/early-data.js, before the modules
// even load) and waited for briefly, so that the first frame already shows the bindings: the
// webview styles, lays out and paints the page once, not a loading state and then the rows. Other
// screens, and a slow answer, mount at once. The marks time the stages (tests/e2e/bench/paint.mjs).
const onDashboard = parse(location.hash).name === 'dashboard';
if (!onDashboard) dropEarlyRequest();
const ready = onDashboard ? prefetchDashboardData(250) : Promise.resolve();
ready.then(() => {
  performance.mark?.('codebind:data');
  mount(App, { target });
  performance.mark?.('codebind:mounted');
});
