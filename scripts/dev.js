#!/usr/bin/env node
// `npm run dev`: the service in watch mode on an embedded database.
// Uses MONGODB_URI when set; otherwise provisions and starts the offline
// engine (scripts/db-start.sh), which keeps running after the service stops
// (`npm run db:stop` stops it).
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const { join } = require('node:path');

function engineUri() {
  const out = execFileSync('bash', [join(__dirname, 'db-start.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const match = /^MONGODB_URI=(.+)$/m.exec(out.trim().split('\n').at(-1) ?? '');
  if (!match) throw new Error('db-start.sh did not print MONGODB_URI');
  return `${match[1].replace(/\/?$/, '/')}conversation`;
}

const uri = process.env.MONGODB_URI || engineUri();
console.error(`[dev] MONGODB_URI=${uri}`);
const child = spawn(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['nest', 'start', '--watch'], {
  stdio: 'inherit',
  env: { ...process.env, MONGODB_URI: uri },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
