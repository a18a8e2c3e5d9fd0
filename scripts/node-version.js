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
  const bundled =
    process.platform === 'linux' && ['x64', 'arm64'].includes(process.arch);
  console.error(
    `[node] warning: this project runs on Node ${REQUIRED_MAJOR} LTS (the version in .nvmrc). ` +
      (bundled
        ? 'npm ci installs it as node_modules/.bin/node: run npm ci (without --omit=optional).'
        : `The registry has no Node ${REQUIRED_MAJOR} binary for ${process.platform}-${process.arch}: ` +
          `install Node ${REQUIRED_MAJOR} and put it first on the PATH.`),
  );
}
