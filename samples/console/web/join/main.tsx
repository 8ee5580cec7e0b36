import { render } from 'preact';
import { JoinApp } from './join-app.js';

render(<JoinApp />, document.getElementById('app') as HTMLElement);
