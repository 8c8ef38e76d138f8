// The parent side of the semantics oracle: one long-lived child per engine (a batch that lasts
// as long as the caller wants, recycled now and then to bound memory), programs written to a
// scratch folder under .cache/oracle/, outcomes collected over the IPC channel.

import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';

import { ENGINES, REPO_ROOT, locateShim, nodeBinaryFor, prepareForEngine } from './engines.js';
import type { ChildMessage, EngineHello, EngineName, ProgramReport, RunProgramRequest } from './protocol.js';

/** The child's modules, transpiled for the engines at start-up (Node 20 cannot run TypeScript). */
const CHILD_MODULES = ['child.ts', 'runtime.ts', 'scenarios.ts', 'outcome.ts', 'protocol.ts'];

export const ORACLE_CACHE = join(REPO_ROOT, '.cache', 'oracle');

export interface OracleOptions {
  /** Per-run limit for `main()` to settle. */
  runTimeoutMs?: number;
  /** Per-program limit for a child to answer (a sync infinite loop); the child is then restarted. */
  programTimeoutMs?: number;
  /** Restart a child after this many programs (module instances are never freed). */
  recycleAfterPrograms?: number;
  /** Keep the scratch folder after close() (set CTX_ORACLE_KEEP=1 to inspect programs). */
  keepScratch?: boolean;
}

/** One program in several versions (usually `input` and `output`), as source text. */
export interface ProgramSet {
  id: string;
  /** The file name the sources came from: its extension decides how they are compiled. */
  fileName: string;
  versions: Record<string, string>;
  /** Default true: fixtures may keep module state. */
  freshModulePerRun?: boolean;
  /** Default false; see RunProgramRequest.onlyRuntimePromises. */
  onlyRuntimePromises?: boolean;
  maxScenarios?: number;
}

export type EngineReports = Record<EngineName, ProgramReport>;

interface Pending {
  resolve(report: ProgramReport): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

class EngineChild {
  private child: ChildProcess | undefined;
  private ready: Promise<EngineHello> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextRequestId = 1;
  private programsSinceStart = 0;
  private stderr = '';
  hello: EngineHello | undefined;

  constructor(
    readonly engine: EngineName,
    private readonly runnerDirectory: string,
    private readonly options: Required<Omit<OracleOptions, 'keepScratch'>>,
  ) {}

  private start(): Promise<EngineHello> {
    const shim = this.engine === 'downlevel' ? locateShim() : '-';
    this.stderr = '';
    const child = fork(join(this.runnerDirectory, 'child.js'), [this.engine, shim], {
      execPath: nodeBinaryFor(this.engine),
      // Not the flags or loaders vitest runs with: the child is a plain Node of its engine.
      execArgv: [],
      env: { ...process.env, NODE_OPTIONS: '' },
      serialization: 'json',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child = child;
    this.programsSinceStart = 0;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    const hello = new Promise<EngineHello>((resolve, reject) => {
      child.on('message', (message: ChildMessage) => {
        if (message.type === 'hello') resolve(message);
        else this.settle(message);
      });
      child.on('exit', (code, signal) => {
        const reason = new Error(`the ${this.engine} oracle child (${nodeBinaryFor(this.engine)}) exited (code ${code}, signal ${signal}). stderr:\n${this.stderr}`);
        reject(reason);
        if (this.child === child) {
          this.child = undefined;
          this.ready = undefined;
        }
        for (const [id, request] of this.pending) {
          clearTimeout(request.timer);
          this.pending.delete(id);
          request.reject(reason);
        }
      });
    });
    return hello.then((message) => {
      this.hello = message;
      return message;
    });
  }

  private settle(message: ChildMessage): void {
    if (message.type === 'hello') return;
    const request = this.pending.get(message.requestId);
    if (!request) return;
    this.pending.delete(message.requestId);
    clearTimeout(request.timer);
    if (message.type === 'result') request.resolve(message.report);
    else request.reject(new Error(`the ${this.engine} oracle child failed: ${message.message}`));
  }

  async ensureStarted(): Promise<EngineHello> {
    this.ready ??= this.start();
    return this.ready;
  }

  async run(request: Omit<RunProgramRequest, 'type' | 'requestId'>): Promise<ProgramReport> {
    if (this.programsSinceStart >= this.options.recycleAfterPrograms && this.pending.size === 0) this.stop();
    await this.ensureStarted();
    const child = this.child;
    if (!child) throw new Error(`the ${this.engine} oracle child is not running`);
    this.programsSinceStart += 1;
    const requestId = this.nextRequestId++;
    return new Promise<ProgramReport>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`the ${this.engine} engine did not finish program ${request.programId} within ${this.options.programTimeoutMs} ms (an endless loop?); its child was restarted`));
        this.stop();
      }, this.options.programTimeoutMs);
      this.pending.set(requestId, { resolve, reject, timer });
      child.send({ ...request, type: 'run', requestId } satisfies RunProgramRequest);
    });
  }

  stop(): void {
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    if (child && child.exitCode === null) child.kill();
  }
}

export class Oracle {
  private readonly children: Record<EngineName, EngineChild>;
  private programCounter = 0;

  private constructor(
    private readonly scratch: string,
    private readonly keepScratch: boolean,
    private readonly options: Required<Omit<OracleOptions, 'keepScratch'>>,
  ) {
    const runner = join(scratch, 'runner');
    this.children = {
      native: new EngineChild('native', runner, options),
      downlevel: new EngineChild('downlevel', runner, options),
    };
  }

  /** Starts both engine children and checks that each provides what it is meant to. */
  static async start(options: OracleOptions = {}): Promise<Oracle> {
    mkdirSync(ORACLE_CACHE, { recursive: true });
    const scratch = mkdtempSync(join(ORACLE_CACHE, 'run-'));
    writeRunner(join(scratch, 'runner'));
    const oracle = new Oracle(scratch, options.keepScratch ?? process.env['CTX_ORACLE_KEEP'] === '1', {
      runTimeoutMs: options.runTimeoutMs ?? 5_000,
      programTimeoutMs: options.programTimeoutMs ?? 60_000,
      recycleAfterPrograms: options.recycleAfterPrograms ?? 300,
    });
    const hellos = await Promise.all(ENGINES.map((engine) => oracle.children[engine].ensureStarted()));
    for (const hello of hellos) checkEngine(hello);
    return oracle;
  }

  /** What each engine reported about itself at start-up (Node version, native or shimmed globals). */
  engineDescriptions(): string[] {
    return ENGINES.map((engine) => {
      const hello = this.children[engine].hello;
      return hello ? `${engine}: Node ${hello.nodeVersion}, DisposableStack ${hello.globals.DisposableStack}, SuppressedError ${hello.globals.SuppressedError}` : `${engine}: not started`;
    });
  }

  /** Runs every version of the program on both engines (in parallel: one child each). */
  async run(program: ProgramSet): Promise<EngineReports> {
    this.programCounter += 1;
    const folder = join(this.scratch, 'programs', `${this.programCounter}-${sanitize(program.id)}`);
    mkdirSync(folder, { recursive: true });
    const reports = await Promise.all(
      ENGINES.map((engine) => {
        const versions = Object.entries(program.versions).map(([name, source]) => {
          const { code, extension } = prepareForEngine(engine, source, program.fileName);
          const file = join(folder, `${name}.${engine}${extension}`);
          writeFileSync(file, code);
          return { name, file };
        });
        return this.children[engine].run({
          programId: program.id,
          versions,
          freshModulePerRun: program.freshModulePerRun ?? true,
          onlyRuntimePromises: program.onlyRuntimePromises ?? false,
          maxScenarios: program.maxScenarios ?? 1_000,
          runTimeoutMs: this.options.runTimeoutMs,
        });
      }),
    );
    if (!this.keepScratch) rmSync(folder, { recursive: true, force: true });
    return { native: reports[0]!, downlevel: reports[1]! };
  }

  close(): void {
    for (const engine of ENGINES) this.children[engine].stop();
    if (!this.keepScratch) rmSync(this.scratch, { recursive: true, force: true });
  }
}

function sanitize(id: string): string {
  return id.replace(/[^\w.-]+/g, '_').slice(0, 60);
}

function checkEngine(hello: EngineHello): void {
  const erm = [hello.globals.DisposableStack, hello.globals.AsyncDisposableStack, hello.globals.SuppressedError];
  if (hello.engine === 'native') {
    if (!hello.nodeVersion.startsWith('v24.') || erm.some((kind) => kind !== 'native')) {
      throw new Error(`the native engine must be Node 24 with native DisposableStack/SuppressedError; got ${JSON.stringify(hello)}`);
    }
  } else if (erm.includes('missing') || !hello.symbols.dispose || !hello.symbols.asyncDispose) {
    throw new Error(`the downlevel engine did not get the DisposableStack shim: ${JSON.stringify(hello)}`);
  }
}

/** Transpiles the child's TypeScript modules into `directory` as ES modules runnable on Node 20 and 24. */
function writeRunner(directory: string): void {
  mkdirSync(directory, { recursive: true });
  const here = fileURLToPath(new URL('.', import.meta.url));
  writeFileSync(join(directory, 'package.json'), '{ "type": "module" }\n');
  for (const module of CHILD_MODULES) {
    const source = readFileSync(join(here, module), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      fileName: module,
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true },
    });
    writeFileSync(join(directory, basename(module, '.ts') + '.js'), outputText);
  }
}
