import { mongo } from 'mongoose';

/**
 * Just enough of the MongoDB wire protocol for the test proxy to tell
 * commands apart and answer one itself: messages are framed by their length
 * prefix; an OP_MSG carries its command as the first key of its body section.
 */
const OP_MSG = 2013;
const HEADER_BYTES = 16;
const CHECKSUM_PRESENT = 1;

/** Splits a byte stream into whole wire messages. */
export class MessageFramer {
  private buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const messages: Buffer[] = [];
    while (this.buffer.length >= 4) {
      const length = this.buffer.readInt32LE(0);
      if (this.buffer.length < length) break;
      messages.push(this.buffer.subarray(0, length));
      this.buffer = this.buffer.subarray(length);
    }
    return messages;
  }
}

/** The command an OP_MSG carries (`insert`, `hello`, ...); undefined for other messages. */
export function commandName(message: Buffer): string | undefined {
  if (message.readInt32LE(12) !== OP_MSG) return undefined;
  const flags = message.readUInt32LE(HEADER_BYTES);
  const end = message.length - (flags & CHECKSUM_PRESENT ? 4 : 0);
  for (let offset = HEADER_BYTES + 4; offset < end;) {
    const kind = message[offset];
    const size = message.readInt32LE(offset + 1);
    if (kind === 0) {
      const body = mongo.BSON.deserialize(
        message.subarray(offset + 1, offset + 1 + size),
      );
      return Object.keys(body)[0];
    }
    offset += 1 + size;
  }
  return undefined;
}

/** An OP_MSG reply to `request` whose body is `document`. */
export function reply(request: Buffer, document: mongo.Document): Buffer {
  const body = mongo.BSON.serialize(document);
  const header = Buffer.alloc(HEADER_BYTES + 5);
  header.writeInt32LE(HEADER_BYTES + 5 + body.length, 0);
  header.writeInt32LE(Math.floor(Math.random() * 2 ** 31), 4);
  header.writeInt32LE(request.readInt32LE(4), 8); // responseTo: the request's id
  header.writeInt32LE(OP_MSG, 12);
  header.writeUInt32LE(0, HEADER_BYTES); // flags
  header.writeUInt8(0, HEADER_BYTES + 4); // section kind 0: the body
  return Buffer.concat([header, body]);
}
