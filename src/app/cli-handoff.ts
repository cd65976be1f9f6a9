import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { z } from 'zod';
import type { Logger } from '../platform/logger.ts';
import type { CliEnv } from './cli-commands.ts';
import { runCliCommand } from './cli-commands.ts';

/**
 * PGlite is one process's database: while the app holds it, a CLI process cannot open it. The app therefore
 * listens on a Unix socket in the data directory and runs CLI commands for local callers, on its own
 * connection (so transactions stay serialized with the app's own work). The socket is created with
 * owner-only permissions: only the OS user who can read the data directory anyway can use it.
 *
 * Protocol: the client sends one JSON line {argv, cwd}; the app answers JSON lines {out} / {err} and a
 * final {exit}.
 */
function cliSocketPath(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'cli.sock');
}

const Request = z.object({ argv: z.array(z.string().max(10_000)).max(100), cwd: z.string().max(4096) });
const Reply = z.union([
  z.object({ out: z.string() }),
  z.object({ err: z.string() }),
  z.object({ exit: z.number().int() }),
]);
const MAX_REQUEST_BYTES = 256 * 1024;

/** Serve CLI commands on the data directory's socket; resolves once listening, returns a closer. */
export async function serveCliHandoff(
  dataDir: string,
  env: Omit<CliEnv, 'stdout' | 'stderr' | 'cwd'>,
  logger: Logger,
): Promise<() => Promise<void>> {
  const socketPath = cliSocketPath(dataDir);
  // Only the process holding the embedded database gets here, so a socket file left is a dead one's.
  fs.rmSync(socketPath, { force: true });
  const server = net.createServer((socket) => {
    const send = (reply: z.infer<typeof Reply>) => socket.write(`${JSON.stringify(reply)}\n`);
    let received = 0;
    socket.on('data', (chunk) => {
      received += chunk.length;
      if (received > MAX_REQUEST_BYTES) socket.destroy();
    });
    socket.on('error', () => socket.destroy());
    const lines = readline.createInterface({ input: socket });
    lines.on('error', () => socket.destroy());
    lines.once('line', (line) => {
      lines.close();
      const parsed = Request.safeParse(safeJson(line));
      if (!parsed.success) {
        send({ err: 'Error: malformed CLI request.' });
        send({ exit: 2 });
        socket.end();
        return;
      }
      const { argv, cwd } = parsed.data;
      logger.info({ command: argv[0] }, 'running a CLI command handed off by a local process');
      runCliCommand(argv, {
        ...env,
        cwd,
        stdout: (text) => send({ out: text }),
        stderr: (text) => send({ err: text }),
      })
        .catch((err: unknown) => {
          logger.error({ err }, 'handed-off CLI command failed');
          send({ err: `Error: ${err instanceof Error ? err.message : String(err)}` });
          return 1;
        })
        .then((exit) => {
          send({ exit });
          socket.end();
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  fs.chmodSync(socketPath, 0o600);
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
    });
}

/** Send a command line to the app holding the embedded database; resolves with its exit code. */
export function handOffCommand(
  dataDir: string,
  argv: string[],
  io: { stdout: (text: string) => void; stderr: (line: string) => void; cwd: string },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(cliSocketPath(dataDir));
    let exit: number | undefined;
    socket.once('connect', () => socket.write(`${JSON.stringify({ argv, cwd: io.cwd })}\n`));
    const lines = readline.createInterface({ input: socket });
    // readline re-emits the socket's errors (no app listening: ENOENT, ECONNREFUSED) on itself.
    lines.on('error', reject);
    socket.on('error', reject);
    lines.on('line', (line) => {
      const reply = Reply.safeParse(safeJson(line));
      if (!reply.success) return;
      if ('out' in reply.data) io.stdout(reply.data.out);
      else if ('err' in reply.data) io.stderr(reply.data.err);
      else exit = reply.data.exit;
    });
    socket.once('close', () =>
      exit === undefined
        ? reject(new Error('The app closed the connection before the command finished.'))
        : resolve(exit),
    );
  });
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
