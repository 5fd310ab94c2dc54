import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import './lib/theme';

const target = document.getElementById('app');
if (!target) throw new globalThis.Error('#app element missing');

export default mount(App, { target });
