// node bundle-connector-main.ts <entry point> <directory> <name>: prints the path of the connector's bundle
// (see connectorScripts); exits non-zero, the reason on stderr, when it cannot be built.
import { bundleConnector } from './connector-bundle.ts';

const [entryPoint, dir, name] = process.argv.slice(2);
if (!entryPoint || !dir || !name) {
  process.stderr.write('usage: bundle-connector-main.ts <entry point> <directory> <name>\n');
  process.exit(2);
}
process.stdout.write(`${await bundleConnector(entryPoint, dir, name)}\n`);
