// node --title=<while waiting> warm-connector-main.ts <script>: a connector process started ahead of its run (ADR 0027). It loads
// and evaluates the connector's script (its bundle or its entry point); the connector's command then waits
// (see @ferry/protocol's invocation gate) for its run, which comes as one JSON line on fd 3 (`HandOff`:
// the command line after the script and the directory to run in). It answers `TAKEN` on fd 3, and the run
// goes on once that answer is written: the runtime counts the run as this process's only then. The
// process serves that one run and ends as the connector does. Should fd 3 close without a line, or the
// answer not get through (the runtime let it go, or the process that started it died), it exits at once:
// no idle connector outlives its runner.
import { Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { holdInvocation } from '@ferry/protocol/invocation-gate';
import { type HandOff, TAKEN } from './warm-hand-off.ts';

const script = process.argv[2] as string;
const control = new Socket({ fd: 3, readable: true, writable: true });
const leave = () => process.exit(0);

const invocation = new Promise<HandOff>((resolve) => {
  let text = '';
  control.setEncoding('utf8');
  control.on('data', (chunk: string) => {
    text += chunk;
    const end = text.indexOf('\n');
    if (end === -1) return;
    const handOff = JSON.parse(text.slice(0, end)) as HandOff;
    control.off('end', leave); // the runtime closes fd 3 once it has the answer
    control.write(TAKEN, (error) => {
      control.destroy(); // nothing else comes: the process is the run's now, and must not wait on fd 3
      if (error) leave();
      else resolve(handOff);
    });
  });
  control.on('end', leave);
  control.on('error', leave);
});

holdInvocation(
  invocation.then(({ args, cwd }) => {
    // What a connector started as `node <script> <args>` in `cwd` sees.
    process.argv = [process.argv[0] as string, script, ...args];
    process.title = process.argv.join(' '); // as far as the room of its first command line goes

    if (cwd !== process.cwd()) process.chdir(cwd);
  }),
);
await import(pathToFileURL(script).href);
