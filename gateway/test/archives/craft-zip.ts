import { crc32, deflateRawSync } from "node:zlib";

/**
 * Writes ZIP records byte by byte, so tests can build the malformed and malicious archives that no
 * library will produce.
 */
export interface CraftedEntry {
  name: string | Buffer;
  content?: Buffer;
  method?: "store" | "deflate" | number;
  /** Overrides the uncompressed size the headers declare (a lying header). */
  declaredSize?: number;
  crc?: number;
  flags?: number;
  externalAttributes?: number;
  /** Point the central record at this offset instead of the entry's own local header. */
  localHeaderOffset?: number;
  /** Write only the central record (used with localHeaderOffset to share another entry's bytes). */
  centralOnly?: boolean;
}

export interface RecordFields {
  name: Buffer;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
}

export function craftZip(entries: CraftedEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const content = entry.content ?? Buffer.alloc(0);
    const method =
      entry.method === "store"
        ? 0
        : entry.method === "deflate" || entry.method === undefined
          ? 8
          : entry.method;
    const data = method === 8 ? deflateRawSync(content) : content;
    const fields: RecordFields = {
      name: Buffer.isBuffer(entry.name) ? entry.name : Buffer.from(entry.name, "utf8"),
      method,
      flags: entry.flags ?? 0x0800,
      crc: entry.crc ?? crc32(content),
      compressedSize: data.length,
      uncompressedSize: entry.declaredSize ?? content.length,
    };
    const localOffset = entry.localHeaderOffset ?? offset;
    if (!entry.centralOnly) {
      const local = Buffer.concat([localHeader(fields), data]);
      locals.push(local);
      offset += local.length;
    }
    centrals.push(centralHeader(fields, localOffset, entry.externalAttributes ?? 0o100644 << 16));
  }
  return assemble(Buffer.concat(locals), centrals);
}

/** Local records as given, then a central directory made of `centrals`, then the end record. */
export function assemble(localBytes: Buffer, centrals: Buffer[]): Buffer {
  const central = Buffer.concat(centrals);
  return Buffer.concat([
    localBytes,
    central,
    endOfCentralDirectory(centrals.length, central.length, localBytes.length),
  ]);
}

export function localHeader(fields: RecordFields): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(fields.flags, 6);
  header.writeUInt16LE(fields.method, 8);
  header.writeUInt16LE(0, 10);
  header.writeUInt16LE(0x21, 12); // 1980-01-01
  header.writeUInt32LE(fields.crc >>> 0, 14);
  header.writeUInt32LE(fields.compressedSize, 18);
  header.writeUInt32LE(fields.uncompressedSize, 22);
  header.writeUInt16LE(fields.name.length, 26);
  header.writeUInt16LE(0, 28);
  return Buffer.concat([header, fields.name]);
}

export function centralHeader(
  fields: RecordFields,
  localHeaderOffset: number,
  externalAttributes: number,
): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE((3 << 8) | 20, 4);
  header.writeUInt16LE(20, 6);
  header.writeUInt16LE(fields.flags, 8);
  header.writeUInt16LE(fields.method, 10);
  header.writeUInt16LE(0, 12);
  header.writeUInt16LE(0x21, 14);
  header.writeUInt32LE(fields.crc >>> 0, 16);
  header.writeUInt32LE(fields.compressedSize, 20);
  header.writeUInt32LE(fields.uncompressedSize, 24);
  header.writeUInt16LE(fields.name.length, 28);
  header.writeUInt32LE(externalAttributes >>> 0, 38);
  header.writeUInt32LE(localHeaderOffset, 42);
  return Buffer.concat([header, fields.name]);
}

function endOfCentralDirectory(count: number, size: number, offset: number): Buffer {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return end;
}
