import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import './lib/theme';
import { prefetchDashboardData } from './lib/dashboardData';
import { parse } from './lib/route';

const target = document.getElementById('app');
if (!target) throw new globalThis.Error('#app element missing');

// The dashboard's data is asked for before mounting and waited for briefly (it takes ~30 ms), so
// that the first frame already shows the bindings: the webview styles, lays out and paints the
// page once, not a loading state and then the rows. Other screens, and a slow answer, mount at once.
const ready = parse(location.hash).name === 'dashboard' ? prefetchDashboardData(250) : Promise.resolve();
ready.then(() => mount(App, { target }));
