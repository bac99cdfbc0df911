/** The topic of the answer a process sends for an acknowledged message. */
export const ACK_TOPIC = "ack";

/** One message on the bus, as sent. */
export interface Envelope {
  /** The publishing process. */
  from: string;
  topic: string;
  data: unknown;
  /** Set when the publisher waits for acknowledgements: they name it. */
  id?: string;
}

/** What an acknowledgement carries: the publisher it answers and the message's id. */
export interface Ack {
  to: string;
  id: string;
}

/**
 * The envelope a notification carries, or null when it is not one. Any role that can connect to
 * the database can NOTIFY on the channel, so nothing about a payload is taken on trust.
 */
export function parseEnvelope(payload: string): Envelope | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  const { from, topic, data, id } = value;
  if (typeof from !== "string" || typeof topic !== "string") return null;
  if (id !== undefined && typeof id !== "string") return null;
  if (topic === ACK_TOPIC && !isAck(data)) return null;
  return id === undefined ? { from, topic, data } : { from, topic, data, id };
}

function isAck(data: unknown): data is Ack {
  return isRecord(data) && typeof data.to === "string" && typeof data.id === "string";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
