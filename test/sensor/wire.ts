/**
 * A tiny protobuf wire-format reader and writer, independent of protobufjs and of our .proto files,
 * so field-number tests check the bytes against hard-coded tags rather than against themselves.
 */

export const WT_VARINT = 0;
export const WT_I64 = 1;
export const WT_LEN = 2;
export const WT_I32 = 5;

export interface WireField {
  field: number;
  wireType: number;
  /** varint as bigint; LEN as bytes; I32/I64 as raw bytes. */
  value: bigint | Uint8Array;
}

function readVarint(buf: Uint8Array, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const b = buf[pos++] as number;
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7n;
  }
}

export function decodeWire(buf: Uint8Array): WireField[] {
  const out: WireField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, p1] = readVarint(buf, pos);
    pos = p1;
    const field = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (wireType === WT_VARINT) {
      const [v, p2] = readVarint(buf, pos);
      out.push({ field, wireType, value: v });
      pos = p2;
    } else if (wireType === WT_LEN) {
      const [len, p2] = readVarint(buf, pos);
      const end = p2 + Number(len);
      out.push({ field, wireType, value: buf.subarray(p2, end) });
      pos = end;
    } else if (wireType === WT_I64 || wireType === WT_I32) {
      const n = wireType === WT_I64 ? 8 : 4;
      out.push({ field, wireType, value: buf.subarray(pos, pos + n) });
      pos += n;
    } else {
      throw new Error(`unsupported wire type ${wireType}`);
    }
  }
  return out;
}

/** The only occurrence of `field`; fails loudly if absent or repeated. */
export function only(fields: WireField[], field: number): WireField {
  const hits = fields.filter((f) => f.field === field);
  if (hits.length !== 1)
    throw new Error(
      `expected exactly one field ${field}, found ${hits.length} (fields: ${fields.map((f) => f.field).join(',')})`,
    );
  return hits[0] as WireField;
}

function varint(n: bigint): number[] {
  const out: number[] = [];
  let v = n;
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}

/** Writer for hand-built messages: w.varint(7, 42).str(4, 'x').msg(3, inner).bytes() */
export class WireWriter {
  private parts: number[] = [];
  varint(field: number, v: number | bigint | boolean): this {
    this.parts.push(...varint(BigInt(field) << 3n), ...varint(BigInt(typeof v === 'boolean' ? Number(v) : v)));
    return this;
  }
  len(field: number, data: Uint8Array): this {
    this.parts.push(...varint((BigInt(field) << 3n) | 2n), ...varint(BigInt(data.length)), ...data);
    return this;
  }
  str(field: number, s: string): this {
    return this.len(field, new TextEncoder().encode(s));
  }
  msg(field: number, inner: WireWriter): this {
    return this.len(field, inner.bytes());
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}
