import { render } from 'preact';

render(<h1>join</h1>, document.getElementById('app') as HTMLElement);
