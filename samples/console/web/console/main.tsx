import { render } from 'preact';
import { ConsoleApp } from './console-app.js';

render(<ConsoleApp />, document.getElementById('app') as HTMLElement);
