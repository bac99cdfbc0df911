import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { link, readFile, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Beside the blobs, never in the database: whoever reads a backup of the database alone reads no secret. */
export const KEY_FILE = "remote-secrets.key";

/**
 * AES-256-GCM for the secrets of remote models. A ciphertext is iv (12) | tag (16) | data, and is
 * bound to the row it belongs to (`context`, the version id, as additional data): one copied onto
 * another version does not decrypt.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /**
   * The key of TESSERA_SECRET_KEY (base64, 32 bytes), else the key file in the data dir, created
   * 0600 on first use. A key file other users can read is refused rather than trusted.
   */
  static async open(secretKey: string | null, dataDir: string): Promise<SecretBox> {
    if (secretKey !== null) {
      const key = Buffer.from(secretKey, "base64");
      if (key.length !== KEY_BYTES) {
        throw new Error(`TESSERA_SECRET_KEY must be base64 of ${KEY_BYTES} bytes, got ${key.length} bytes`);
      }
      return new SecretBox(key);
    }
    return new SecretBox(await keyFile(path.join(dataDir, KEY_FILE)));
  }

  seal(plaintext: string, context: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(context));
    const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), data]);
  }

  /** Throws when the ciphertext was altered, belongs to another context or another key. */
  open(sealed: Uint8Array, context: string): string {
    const bytes = Buffer.from(sealed);
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error("The sealed secret is truncated");
    const decipher = createDecipheriv("aes-256-gcm", this.key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      "utf8",
    );
  }
}

async function keyFile(file: string): Promise<Buffer> {
  // Written aside, then linked into place: link fails when the file exists, so of two processes
  // starting at once one creates the key and the other reads a complete one.
  const aside = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  const created = randomBytes(KEY_BYTES);
  await writeFile(aside, created.toString("base64"), { mode: 0o600, flag: "wx" });
  try {
    await link(aside, file);
    return created;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    await unlink(aside);
  }
  const { mode } = await stat(file);
  if (mode & 0o077) {
    throw new Error(`${file} is readable by other users (mode ${(mode & 0o777).toString(8)}); chmod 600 it`);
  }
  const key = Buffer.from((await readFile(file, "utf8")).trim(), "base64");
  if (key.length !== KEY_BYTES) throw new Error(`${file} does not hold a ${KEY_BYTES}-byte key`);
  return key;
}
