/**
 * Byte layouts of the ZIP records the writer emits (APPNOTE 6.3.x), and the plan that places them.
 * Every entry is stored (no compression) with its CRC-32 in a data descriptor after the data, so
 * the whole archive streams in one pass and its length is known before the first byte.
 */

export interface PlannedFile {
  name: Buffer;
  sizeBytes: number;
  localHeaderOffset: number;
  /** Sizes or offset do not fit in 32 bits: this entry carries ZIP64 extra fields. */
  zip64: boolean;
  dosTime: number;
  dosDate: number;
}

export interface ZipPlan {
  files: PlannedFile[];
  centralDirectoryOffset: number;
  centralDirectorySize: number;
  totalSize: number;
}

const max32 = 0xffffffff;
const max16 = 0xffff;
const flagDataDescriptor = 0x0008;
const flagUtf8Names = 0x0800;
const flags = flagDataDescriptor | flagUtf8Names;
const versionDefault = 20;
const versionZip64 = 45;
const madeByUnix = 3 << 8;
const regularFileMode = 0o100644;

export function planZip(files: { name: string; sizeBytes: number; modifiedAt: Date }[]): ZipPlan {
  let offset = 0;
  const planned = files.map(({ name, sizeBytes, modifiedAt }): PlannedFile => {
    const file = {
      name: Buffer.from(name, "utf8"),
      sizeBytes,
      localHeaderOffset: offset,
      zip64: sizeBytes >= max32 || offset >= max32,
      ...toDos(modifiedAt),
    };
    offset += localHeaderSize(file) + sizeBytes + dataDescriptorSize(file);
    return file;
  });
  const centralDirectorySize = planned.reduce((sum, file) => sum + centralHeaderSize(file), 0);
  const plan = { files: planned, centralDirectoryOffset: offset, centralDirectorySize, totalSize: 0 };
  plan.totalSize = offset + centralDirectorySize + endRecordsSize(plan);
  return plan;
}

export function localFileHeader(file: PlannedFile): Buffer {
  const record = Buffer.alloc(localHeaderSize(file));
  record.writeUInt32LE(0x04034b50, 0);
  record.writeUInt16LE(file.zip64 ? versionZip64 : versionDefault, 4);
  record.writeUInt16LE(flags, 6);
  record.writeUInt16LE(0, 8); // stored
  record.writeUInt16LE(file.dosTime, 10);
  record.writeUInt16LE(file.dosDate, 12);
  // The CRC-32 follows in the data descriptor; the sizes are known and help streaming readers.
  record.writeUInt32LE(0, 14);
  record.writeUInt32LE(file.zip64 ? max32 : file.sizeBytes, 18);
  record.writeUInt32LE(file.zip64 ? max32 : file.sizeBytes, 22);
  record.writeUInt16LE(file.name.length, 26);
  record.writeUInt16LE(file.zip64 ? 20 : 0, 28);
  file.name.copy(record, 30);
  if (file.zip64) writeZip64Extra(record, 30 + file.name.length, [file.sizeBytes, file.sizeBytes]);
  return record;
}

export function dataDescriptor(file: PlannedFile, crc: number): Buffer {
  const record = Buffer.alloc(dataDescriptorSize(file));
  record.writeUInt32LE(0x08074b50, 0);
  record.writeUInt32LE(crc, 4);
  if (file.zip64) {
    record.writeBigUInt64LE(BigInt(file.sizeBytes), 8);
    record.writeBigUInt64LE(BigInt(file.sizeBytes), 16);
  } else {
    record.writeUInt32LE(file.sizeBytes, 8);
    record.writeUInt32LE(file.sizeBytes, 12);
  }
  return record;
}

export function centralDirectoryHeader(file: PlannedFile, crc: number): Buffer {
  const record = Buffer.alloc(centralHeaderSize(file));
  record.writeUInt32LE(0x02014b50, 0);
  record.writeUInt16LE(madeByUnix | versionZip64, 4);
  record.writeUInt16LE(file.zip64 ? versionZip64 : versionDefault, 6);
  record.writeUInt16LE(flags, 8);
  record.writeUInt16LE(0, 10);
  record.writeUInt16LE(file.dosTime, 12);
  record.writeUInt16LE(file.dosDate, 14);
  record.writeUInt32LE(crc, 16);
  record.writeUInt32LE(file.zip64 ? max32 : file.sizeBytes, 20);
  record.writeUInt32LE(file.zip64 ? max32 : file.sizeBytes, 24);
  record.writeUInt16LE(file.name.length, 28);
  record.writeUInt16LE(file.zip64 ? 28 : 0, 30);
  // comment length, disk number, internal attributes: zero
  record.writeUInt32LE((regularFileMode << 16) >>> 0, 38);
  record.writeUInt32LE(file.zip64 ? max32 : file.localHeaderOffset, 42);
  file.name.copy(record, 46);
  if (file.zip64) {
    writeZip64Extra(record, 46 + file.name.length, [file.sizeBytes, file.sizeBytes, file.localHeaderOffset]);
  }
  return record;
}

/** End of central directory, preceded by its ZIP64 record and locator when a count or offset overflows. */
export function endRecords(plan: ZipPlan): Buffer {
  const count = plan.files.length;
  const { centralDirectoryOffset: offset, centralDirectorySize: size } = plan;
  const record = Buffer.alloc(endRecordsSize(plan));
  let at = 0;
  if (needsZip64End(plan)) {
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4); // size of the rest of this record
    record.writeUInt16LE(madeByUnix | versionZip64, 12);
    record.writeUInt16LE(versionZip64, 14);
    // this disk, disk with the central directory: zero
    record.writeBigUInt64LE(BigInt(count), 24);
    record.writeBigUInt64LE(BigInt(count), 32);
    record.writeBigUInt64LE(BigInt(size), 40);
    record.writeBigUInt64LE(BigInt(offset), 48);
    record.writeUInt32LE(0x07064b50, 56);
    record.writeBigUInt64LE(BigInt(offset + size), 64); // where the ZIP64 record starts
    record.writeUInt32LE(1, 72); // total number of disks
    at = 76;
  }
  record.writeUInt32LE(0x06054b50, at);
  record.writeUInt16LE(Math.min(count, max16), at + 8);
  record.writeUInt16LE(Math.min(count, max16), at + 10);
  record.writeUInt32LE(Math.min(size, max32), at + 12);
  record.writeUInt32LE(Math.min(offset, max32), at + 16);
  return record;
}

function writeZip64Extra(record: Buffer, at: number, values: number[]): void {
  record.writeUInt16LE(0x0001, at);
  record.writeUInt16LE(values.length * 8, at + 2);
  values.forEach((value, index) => record.writeBigUInt64LE(BigInt(value), at + 4 + index * 8));
}

const localHeaderSize = (file: PlannedFile) => 30 + file.name.length + (file.zip64 ? 20 : 0);
const dataDescriptorSize = (file: PlannedFile) => (file.zip64 ? 24 : 16);
const centralHeaderSize = (file: PlannedFile) => 46 + file.name.length + (file.zip64 ? 28 : 0);
const needsZip64End = (plan: Omit<ZipPlan, "totalSize">) =>
  plan.files.length >= max16 || plan.centralDirectoryOffset >= max32 || plan.centralDirectorySize >= max32;
const endRecordsSize = (plan: Omit<ZipPlan, "totalSize">) => 22 + (needsZip64End(plan) ? 76 : 0);

/** MS-DOS date and time in the server's local time, as unzip tools expect; DOS covers 1980–2107. */
function toDos(date: Date): { dosTime: number; dosDate: number } {
  if (date.getFullYear() < 1980) return { dosTime: 0, dosDate: (1 << 5) | 1 };
  if (date.getFullYear() > 2107)
    return { dosTime: (23 << 11) | (59 << 5) | 29, dosDate: (127 << 9) | (12 << 5) | 31 };
  return {
    dosTime: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    dosDate: ((date.getFullYear() - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}
