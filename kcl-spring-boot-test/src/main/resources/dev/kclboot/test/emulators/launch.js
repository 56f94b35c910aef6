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

const [entry, ...args] = process.argv.slice(2);
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
process.argv = [process.argv[0], entry, ...args];
require(entry);
