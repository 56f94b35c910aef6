#!/usr/bin/env node
// A KCL MultiLang record processor in Node for the host's tests, written from the wire protocol
// (shared/MULTILANG.md) with Node's standard library only. Like Node's aws-kcl it writes "\n" + JSON + "\n" and
// leaves subSequenceNumber out of its checkpoint requests. Event lines as the Python test processor writes them:
//   <pid> <shardId> INIT|REC|CKPT|LEASE_LOST|SHARD_END|SHUTDOWN_REQUESTED|EXIT ...
'use strict';
const fs = require('fs');
const readline = require('readline');

const eventsIndex = process.argv.indexOf('--events');
if (eventsIndex < 0) {
  process.stderr.write('usage: record_processor.js --events FILE\n');
  process.exit(2);
}
const events = fs.openSync(process.argv[eventsIndex + 1], 'a');
let shardId = '-';

function log(...fields) {
  fs.writeSync(events, [process.pid, shardId, ...fields].join(' ') + '\n');
}

function send(message) {
  process.stdout.write('\n' + JSON.stringify(message) + '\n');
}

const lines = readline.createInterface({ input: process.stdin, terminal: false });
const pending = [];
let waiting = null;
lines.on('line', (line) => {
  if (waiting) {
    const resolve = waiting;
    waiting = null;
    resolve(line);
  } else {
    pending.push(line);
  }
});
lines.on('close', () => {
  if (waiting) {
    waiting(null);
  }
  closed = true;
});
let closed = false;

function nextLine() {
  if (pending.length > 0) {
    return Promise.resolve(pending.shift());
  }
  if (closed) {
    return Promise.resolve(null);
  }
  return new Promise((resolve) => { waiting = resolve; });
}

function parse(line) {
  if (line.trim() === '') {
    throw new Error('blank line from the host');
  }
  return JSON.parse(line, (key, value) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && !('action' in value)) {
      throw new Error('an object without action: ' + JSON.stringify(value));
    }
    return value;
  });
}

async function checkpoint(sequenceNumber) {
  const request = { action: 'checkpoint' };
  if (sequenceNumber !== undefined) {
    request.sequenceNumber = sequenceNumber;
  }
  send(request);
  const reply = parse(await nextLine());
  if (reply.action !== 'checkpoint') {
    return 'InvalidStateException';
  }
  return reply.error ? reply.error : 'ok';
}

async function handle(message) {
  switch (message.action) {
    case 'initialize':
      shardId = message.shardId;
      log('INIT', message.sequenceNumber, message.subSequenceNumber);
      break;
    case 'processRecords': {
      for (const record of message.records) {
        const data = Buffer.from(record.data, 'base64').toString('utf8');
        log('REC', record.sequenceNumber, record.subSequenceNumber, record.partitionKey, data);
      }
      const last = message.records[message.records.length - 1];
      log('CKPT', await checkpoint(last.sequenceNumber), last.sequenceNumber, last.subSequenceNumber);
      break;
    }
    case 'leaseLost':
      log('LEASE_LOST');
      break;
    case 'shardEnded':
      log('SHARD_END', await checkpoint());
      break;
    case 'shutdownRequested':
      log('SHUTDOWN_REQUESTED', await checkpoint());
      break;
    default:
      throw new Error('unknown action ' + message.action);
  }
}

(async () => {
  for (;;) {
    const line = await nextLine();
    if (line === null) {
      break;
    }
    const message = parse(line);
    await handle(message);
    send({ action: 'status', responseFor: message.action });
  }
  log('EXIT');
})().catch((error) => {
  process.stderr.write(String(error.stack) + '\n');
  process.exit(1);
});
