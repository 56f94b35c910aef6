// Runs one emulator's entry point as a child of the JVM and exits when the JVM goes away.
// The JVM holds this process's stdin open; when the JVM dies (even by SIGKILL) the pipe closes,
// 'end' fires and the emulator exits, so no emulator outlives a killed test run.
const [entry, ...args] = process.argv.slice(2);
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
process.argv = [process.argv[0], entry, ...args];
require(entry);
