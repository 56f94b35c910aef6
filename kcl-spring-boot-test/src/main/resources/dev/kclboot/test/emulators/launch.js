// Runs one emulator's entry point as a child of the JVM and exits when the JVM goes away.
// The JVM holds this process's stdin open; when the JVM dies (even by SIGKILL) the pipe closes,
// 'end' fires and the emulator exits, so no emulator outlives a killed test run.
//
// Ctrl-C in a terminal sends SIGINT to the whole process group, emulators included. They must not die before the
// JVM's consumers have checkpointed and released their leases, so SIGINT is ignored here, and the handlers the
// emulators would install for it (dynalite exits on SIGINT) are dropped. The JVM stops them itself afterwards.
const originalOn = process.on.bind(process);
const originalOnce = process.once.bind(process);
const dropSigint = (register) => function (event, listener) {
  return event === 'SIGINT' ? process : register(event, listener);
};
process.on = process.addListener = dropSigint(originalOn);
process.once = dropSigint(originalOnce);
originalOn('SIGINT', () => {});

// A client that gives up on a request (an SDK attempt timeout, a client closed mid-call, a killed worker) resets the
// connection while the emulator still reads the body. dynalite rethrows that request error ('aborted', ECONNRESET)
// from an event handler, which would end the whole emulator and every other test sharing it. A request its client
// abandoned has nobody waiting for it: it is dropped here; any other uncaught error still ends the process.
originalOn('uncaughtException', (err) => {
  if (err && (err.code === 'ECONNRESET' || err.code === 'EPIPE' || err.message === 'aborted')) {
    console.error('dropped a request its client abandoned: ' + (err.code || err.message));
    return;
  }
  console.error(err);
  process.exit(1);
});

const [entry, ...args] = process.argv.slice(2);
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
process.argv = [process.argv[0], entry, ...args];
require(entry);
