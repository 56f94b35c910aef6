#!/usr/bin/env python3
"""A KCL MultiLang record processor for the host's tests, written from the wire protocol (shared/MULTILANG.md),
standard library only.

It parses what the host sends as strictly as amazon_kclpy does (every JSON object must carry an "action", the keys
each message needs must be present, a blank line is an error), so any deviation of the host from the protocol makes
it fail the way kclpy would. It appends one line per event to the file given by --events, from every child at once
(O_APPEND, one write per line, so lines never interleave):

    <pid> <shardId> INIT <sequenceNumber> <subSequenceNumber>
    <pid> <shardId> REC <sequenceNumber> <subSequenceNumber> <partitionKey> <data>
    <pid> <shardId> CKPT ok|<error> <sequenceNumber> <subSequenceNumber>
    <pid> <shardId> LEASE_LOST                      (v3)   /  SHUTDOWN ZOMBIE     (v2)
    <pid> <shardId> SHARD_END ok|<error>             (after shardEnded, or shutdown TERMINATE in v2)
    <pid> <shardId> SHUTDOWN_REQUESTED ok|<error>
    <pid> <shardId> FAULT crash|garbage|hang
    <pid> <shardId> EXIT

--style v3 uses lease_lost / shard_ended / shutdown_requested callbacks; --style v2 maps leaseLost to
shutdown(ZOMBIE) with a checkpointer that refuses locally and shardEnded to shutdown(TERMINATE), as the KCL's
language libraries map their version-2 processors.

Faults (each happens once per --events file, in the first child that gets there): --crash-at N exits before the
N-th record this child sees, --garbage-at N writes stray lines and then a status for the wrong action, --hang-at N
stops answering.
"""

import argparse
import base64
import json
import os
import sys
import time
import traceback

REQUIRED_KEYS = {
    'initialize': ('shardId', 'sequenceNumber', 'subSequenceNumber'),
    'processRecords': ('records', 'millisBehindLatest'),
    'checkpoint': ('sequenceNumber', 'subSequenceNumber'),
    'leaseLost': (),
    'shardEnded': (),
    'shutdownRequested': (),
}

RECORD_KEYS = ('data', 'partitionKey', 'sequenceNumber', 'subSequenceNumber', 'approximateArrivalTimestamp')


class ProtocolError(Exception):
    pass


class CheckpointError(Exception):
    def __init__(self, name):
        super().__init__(name)
        self.name = name


def require_action(obj):
    """object_hook for every object of a message, nested ones included, as kclpy's parser does."""
    if 'action' not in obj:
        raise ProtocolError('a JSON object without "action": %r' % (obj,))
    return obj


def decode(line):
    if line.strip() == '':
        raise ProtocolError('blank line from the host')
    message = json.loads(line, object_hook=require_action)
    action = message['action']
    if action not in REQUIRED_KEYS:
        raise ProtocolError('unknown action %r' % (action,))
    for key in REQUIRED_KEYS[action]:
        if key not in message:
            raise ProtocolError('%s without %r' % (action, key))
    if action == 'processRecords':
        for record in message['records']:
            if record['action'] != 'record':
                raise ProtocolError('a record whose action is %r' % (record['action'],))
            for key in RECORD_KEYS:
                if key not in record:
                    raise ProtocolError('a record without %r' % (key,))
            int(record['approximateArrivalTimestamp'])
            base64.b64decode(record['data'], validate=True)
    return message


class Channel(object):
    def read(self):
        line = sys.stdin.readline()
        if line == '':
            return None
        return decode(line)

    def write(self, message):
        # As the KCL's libraries write: a newline first, then the message and a newline, flushed.
        sys.stdout.write('\n' + json.dumps(message) + '\n')
        sys.stdout.flush()


class Checkpointer(object):
    def __init__(self, channel):
        self.channel = channel

    def checkpoint(self, sequence_number=None, sub_sequence_number=None):
        self.channel.write({'action': 'checkpoint', 'sequenceNumber': sequence_number,
                            'subSequenceNumber': sub_sequence_number})
        reply = self.channel.read()
        if reply is None or reply['action'] != 'checkpoint':
            raise CheckpointError('InvalidStateException')
        if reply.get('error'):
            raise CheckpointError(reply['error'])


class LeaseLostCheckpointer(object):
    def checkpoint(self, sequence_number=None, sub_sequence_number=None):
        raise CheckpointError('ShutdownException')


class EventLog(object):
    def __init__(self, path):
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self.path = path
        self.shard = '-'

    def write(self, event, *fields):
        line = ' '.join([str(os.getpid()), self.shard, event] + [str(field) for field in fields]) + '\n'
        os.write(self.fd, line.encode('utf-8'))

    def claim(self, fault):
        """True for the first child of this events file that gets to the fault."""
        try:
            os.close(os.open(self.path + '.' + fault, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            return True
        except OSError:
            return False


class Faults(object):
    def __init__(self, options, log, channel):
        self.options = options
        self.log = log
        self.channel = channel
        self.seen = 0

    def before_record(self):
        self.seen += 1
        if self.options.crash_at == self.seen and self.log.claim('crash'):
            self.log.write('FAULT', 'crash')
            os._exit(3)
        if self.options.garbage_at == self.seen and self.log.claim('garbage'):
            self.log.write('FAULT', 'garbage')
            sys.stdout.write('this is not JSON\n[1, 2, 3]\n{"action": "noSuchAction"}\n')
            self.channel.write({'action': 'status', 'responseFor': 'initialize'})
            sys.stdin.read()
            os._exit(4)
        if self.options.hang_at == self.seen and self.log.claim('hang'):
            self.log.write('FAULT', 'hang')
            time.sleep(3600)


class V3Processor(object):
    """Callbacks in the shape of the KCL's version-3 processors."""

    def __init__(self, options, log, faults):
        self.options = options
        self.log = log
        self.faults = faults

    def initialize(self, shard_id, sequence_number, sub_sequence_number):
        self.log.shard = shard_id
        self.log.write('INIT', sequence_number, sub_sequence_number)
        if self.options.chatty:
            # Output a host must tolerate: stderr lines, stray stdout lines, an unknown action.
            sys.stderr.write('processor for %s starting\n' % shard_id)
            sys.stderr.write('WARNING: a warning line of %s\n' % shard_id)
            sys.stderr.flush()
            sys.stdout.write('a print() that went to stdout\n{"action": "someFutureAction", "x": {"y": 1}}\n')
            sys.stdout.flush()

    def process_records(self, records, checkpointer):
        for record in records:
            self.faults.before_record()
            data = base64.b64decode(record['data']).decode('utf-8')
            self.log.write('REC', record['sequenceNumber'], record['subSequenceNumber'], record['partitionKey'], data)
        if self.options.slow_ms:
            time.sleep(self.options.slow_ms / 1000.0)
        last = records[-1]
        if self.options.checkpoint == 'last':
            self.checkpoint(checkpointer, None, None, last)
        elif self.options.checkpoint == 'sequence':
            self.checkpoint(checkpointer, last['sequenceNumber'], None, last)
        else:
            self.checkpoint(checkpointer, last['sequenceNumber'], last['subSequenceNumber'], last)

    def checkpoint(self, checkpointer, sequence_number, sub_sequence_number, last):
        try:
            checkpointer.checkpoint(sequence_number, sub_sequence_number)
            self.log.write('CKPT', 'ok', last['sequenceNumber'], last['subSequenceNumber'])
        except CheckpointError as error:
            self.log.write('CKPT', error.name, last['sequenceNumber'], last['subSequenceNumber'])

    def lease_lost(self):
        self.log.write('LEASE_LOST')

    def shard_ended(self, checkpointer):
        self.log.write('SHARD_END', self.final_checkpoint(checkpointer))

    def shutdown_requested(self, checkpointer):
        self.log.write('SHUTDOWN_REQUESTED', self.final_checkpoint(checkpointer))

    @staticmethod
    def final_checkpoint(checkpointer):
        try:
            checkpointer.checkpoint()
            return 'ok'
        except CheckpointError as error:
            return error.name


class V2Processor(V3Processor):
    """Callbacks in the shape of the version-2 processors: shutdown(checkpointer, reason)."""

    def shutdown(self, checkpointer, reason):
        self.log.write('SHUTDOWN', reason)
        if reason == 'TERMINATE':
            self.log.write('SHARD_END', self.final_checkpoint(checkpointer))


def dispatch(processor, style, message, channel):
    action = message['action']
    if action == 'initialize':
        processor.initialize(message['shardId'], message['sequenceNumber'], message['subSequenceNumber'])
    elif action == 'processRecords':
        processor.process_records(message['records'], Checkpointer(channel))
    elif action == 'shutdownRequested':
        processor.shutdown_requested(Checkpointer(channel))
    elif style == 'v2' and action == 'leaseLost':
        processor.shutdown(LeaseLostCheckpointer(), 'ZOMBIE')
    elif style == 'v2' and action == 'shardEnded':
        processor.shutdown(Checkpointer(channel), 'TERMINATE')
    elif action == 'leaseLost':
        processor.lease_lost()
    elif action == 'shardEnded':
        processor.shard_ended(Checkpointer(channel))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--events', required=True)
    parser.add_argument('--style', choices=('v2', 'v3'), default='v3')
    parser.add_argument('--checkpoint', choices=('explicit', 'sequence', 'last'), default='explicit')
    parser.add_argument('--crash-at', type=int, default=0)
    parser.add_argument('--garbage-at', type=int, default=0)
    parser.add_argument('--hang-at', type=int, default=0)
    parser.add_argument('--slow-ms', type=int, default=0)
    parser.add_argument('--chatty', action='store_true')
    options = parser.parse_args()
    log = EventLog(options.events)
    channel = Channel()
    faults = Faults(options, log, channel)
    processor = V2Processor(options, log, faults) if options.style == 'v2' else V3Processor(options, log, faults)
    while True:
        message = channel.read()
        if message is None:
            break
        try:
            dispatch(processor, options.style, message, channel)
        except Exception:
            # As the KCL's libraries do: a failing callback is reported, and the status is still sent.
            traceback.print_exc()
        channel.write({'action': 'status', 'responseFor': message['action']})
    log.write('EXIT')


if __name__ == '__main__':
    main()
