import { render } from 'preact';

render(<h1>admin</h1>, document.getElementById('app') as HTMLElement);
