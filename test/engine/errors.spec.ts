import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ERROR_CATALOGUE, TetherError } from '../../engine/errors.js';
import { PACKAGE_ROOT } from '../../engine/version.js';

describe('error catalogue', () => {
  const page = readFileSync(path.join(PACKAGE_ROOT, 'docs', 'errors.md'), 'utf8');
  const documented = [...page.matchAll(/^\| `(TETHER_E_[A-Z_]+)` \| (\d{3}) \|/gm)];

  it('lists in docs/errors.md exactly the codes of the catalogue, with their statuses', () => {
    const inDocs = Object.fromEntries(documented.map(([, code, status]) => [code, Number(status)]));
    const inCode = Object.fromEntries(
      Object.entries(ERROR_CATALOGUE).map(([code, spec]) => [code, spec.status]),
    );
    expect(inDocs).to.deep.equal(inCode);
  });

  it('keeps a message meant for operators away from clients', () => {
    const error = new TetherError(
      'TETHER_E_STORAGE',
      'table members: connection refused at 10.0.0.5',
    );
    expect(error.publicMessage).to.equal('Storage failure');
    expect(new TetherError('TETHER_E_VALIDATION', 'body.name: required').publicMessage).to.equal(
      'body.name: required',
    );
  });
});
