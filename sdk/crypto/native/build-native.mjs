// Builds the sdk's AES-GCM addon with node-gyp (npm puts it on the PATH of its scripts). A
// machine without a C compiler still installs Tether: the build then says so in one line and
// the node backend seals and opens through node:crypto instead, only slower.
import { spawnSync } from 'node:child_process';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new globalThis.URL('.', import.meta.url));
const result = spawnSync('node-gyp', ['rebuild', '--directory', here, '--loglevel', 'warn'], {
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
if (result.status !== 0) {
  const why = result.error ? result.error.message : `node-gyp exited with ${result.status}`;
  process.stderr.write(
    `tether: the sdk's AES-GCM addon did not build (${why}); node:crypto will seal and open ` +
      'frames instead, about ten times slower for small frames\n',
  );
}
