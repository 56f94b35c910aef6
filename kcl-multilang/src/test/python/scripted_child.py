#!/usr/bin/env python3
"""A child for the conversation test: sends the checkpoint requests given on the command line (JSON values for
sequenceNumber, with an optional subSequenceNumber after a '/') while handling the message named by --during, and
appends every line the host sends to the file given by --replies. Standard library only."""
import argparse
import json
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--replies', required=True)
    parser.add_argument('--during', required=True)
    parser.add_argument('requests', nargs='*')
    options = parser.parse_args()
    with open(options.replies, 'a') as replies:
        for line in sys.stdin:
            replies.write(line)
            replies.flush()
            message = json.loads(line)
            if message['action'] == options.during:
                for request in options.requests:
                    sequence, _, sub = request.partition('/')
                    checkpoint = {'action': 'checkpoint', 'sequenceNumber': json.loads(sequence)}
                    if sub:
                        checkpoint['subSequenceNumber'] = json.loads(sub)
                    sys.stdout.write('\n' + json.dumps(checkpoint) + '\n')
                    sys.stdout.flush()
                    replies.write(sys.stdin.readline())
                    replies.flush()
            sys.stdout.write('\n' + json.dumps({'action': 'status', 'responseFor': message['action']}) + '\n')
            sys.stdout.flush()


if __name__ == '__main__':
    main()
