declare function it(name: string, body: () => Promise<void>): void;
declare function run(): Promise<void>;

it('waits', async () => {
  const log = console.log;
  console.log = () => {};
  await run();
  console.log = log;
});
