// Prints the Node.js that npm scripts run on (`npm run dev`, `npm test`).
// Plain CommonJS on purpose: it has to run on whatever `node` is found,
// including an older system Node, to say so.
//
// On Linux x64/arm64 `npm ci` installs Node as an optional dependency
// (node-linux-<arch>), which npm puts first on the PATH of every npm script
// as node_modules/.bin/node. Elsewhere the system `node` is used.
'use strict';
const REQUIRED_MAJOR = 24;
const major = Number(process.versions.node.split('.')[0]);
console.error(`[node] ${process.version} (${process.execPath})`);
if (major < REQUIRED_MAJOR) {
  console.error(
    `[node] warning: this project runs on Node ${REQUIRED_MAJOR} LTS. npm ci brings it on ` +
      `Linux x64/arm64; on ${process.platform}-${process.arch} install Node ` +
      `${REQUIRED_MAJOR} (the version in .nvmrc) and put it first on the PATH.`,
  );
}
