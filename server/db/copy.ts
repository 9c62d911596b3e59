/**
 * `COPY … FROM STDIN` through node-postgres, which has the protocol messages but no API for them:
 * a query object that, once the server asks for the data, sends the given chunks (COPY text
 * format) and finishes. Bulk loads (imports) use it to move many rows in one statement.
 */
import { once } from 'node:events';
import type pg from 'pg';

/** What node-postgres hands a custom query: the connection's protocol writers. */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  stream: NodeJS.WritableStream & { writableNeedDrain?: boolean };
}

class CopyFromQuery implements pg.Submittable {
  private rowCount = 0;
  private finished = false;
  // node-postgres sets this for queries that carry their own callback; unused here.
  callback?: unknown;

  constructor(
    private readonly text: string,
    private readonly chunks: Iterable<Buffer | string>,
    private readonly done: (error: Error | null, rowCount: number) => void,
  ) {}

  submit(connection: pg.Connection): void {
    (connection as unknown as CopyConnection).query(this.text);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    void this.pump(connection);
  }

  private async pump(connection: CopyConnection): Promise<void> {
    try {
      for (const chunk of this.chunks) {
        if (this.finished) return;
        connection.sendCopyFromChunk(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
        if (connection.stream.writableNeedDrain) await once(connection.stream, 'drain');
      }
      connection.endCopyFrom();
    } catch (error) {
      // The socket failed (node-postgres reports that to every query) or the data source threw.
      if (!this.finished) connection.sendCopyFail(error instanceof Error ? error.message : String(error));
    }
  }

  handleCommandComplete(message: { text?: string }): void {
    const match = /^COPY (\d+)/.exec(message.text ?? '');
    if (match) this.rowCount = Number(match[1]);
  }

  handleReadyForQuery(): void {
    this.finish(null);
  }

  handleError(error: Error): void {
    this.finish(error);
  }

  handleEmptyQuery(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}

  private finish(error: Error | null): void {
    if (this.finished) return;
    this.finished = true;
    this.done(error, this.rowCount);
  }
}

/** Runs `COPY table (…) FROM STDIN` with the chunks as its data; resolves to the number of rows copied. */
export function copyFrom(client: pg.ClientBase, copySql: string, chunks: Iterable<Buffer | string>): Promise<number> {
  return new Promise((resolve, reject) => {
    client.query(new CopyFromQuery(copySql, chunks, (error, rowCount) => (error ? reject(error) : resolve(rowCount))));
  });
}

/** A text value as COPY's text format writes it (\N for null; backslash, tab and line breaks escaped). */
export function copyText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : value;
}
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Collects COPY text rows into chunks of about `size` characters, so that a million rows are a few
 * hundred writes to the socket rather than a million.
 */
export class CopyBuffer {
  readonly chunks: string[] = [];
  private parts: string[] = [];
  private length = 0;
  rows = 0;

  constructor(private readonly size = 1 << 20) {}

  /** One row: its fields already in COPY text form (see copyText). */
  add(fields: string[]): void {
    const line = fields.join('\t') + '\n';
    this.parts.push(line);
    this.length += line.length;
    this.rows++;
    if (this.length >= this.size) this.flush();
  }

  flush(): string[] {
    if (this.parts.length > 0) {
      this.chunks.push(this.parts.join(''));
      this.parts = [];
      this.length = 0;
    }
    return this.chunks;
  }
}
