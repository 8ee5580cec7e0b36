import { render } from 'preact';

render(<h1>console</h1>, document.getElementById('app') as HTMLElement);
