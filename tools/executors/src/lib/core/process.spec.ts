import { describe, expect, it, vi } from 'vitest';
import { BuildError } from './errors';
import { displayCommand, run } from './process';

describe('run', () => {
  it('returns the output and streams it with secrets redacted', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const result = await run('sh', ['-c', 'echo index https://u:sekret@host/simple; echo token sekret'], {
        secrets: ['sekret'],
      });
      expect(result.stdout).toBe('index https://***@host/simple\ntoken ***\n');
      const streamed = write.mock.calls.map((c) => String(c[0])).join('');
      expect(streamed).toContain('token ***');
      expect(streamed).not.toContain('sekret');
    } finally {
      write.mockRestore();
    }
  });

  it('returns the output as written when asked (pip config), and still redacts the error lines', async () => {
    const result = await run('sh', ['-c', 'echo index https://u:sekret@host/simple'], { secrets: ['sekret'], stream: false, unredacted: true });
    expect(result.stdout).toBe('index https://u:sekret@host/simple\n');
    const failure = run('sh', ['-c', 'echo https://u:sekret@host/simple >&2; exit 1'], { secrets: ['sekret'], stream: false, unredacted: true });
    await expect(failure).rejects.toMatchObject({ detail: 'https://***@host/simple' });
  });

  it('throws a BuildError naming the command, exit code and stderr tail', async () => {
    const failure = run('sh', ['-c', 'echo first >&2; echo "bad sekret" >&2; exit 3'], {
      secrets: ['sekret'],
      stream: false,
      label: 'the step',
    });
    await expect(failure).rejects.toBeInstanceOf(BuildError);
    await expect(failure).rejects.toMatchObject({
      message: expect.stringMatching(/^the step failed \(exit code 3\): sh -c /),
      detail: 'first\nbad ***',
    });
  });

  it('says what to install when the program is missing', async () => {
    await expect(run('lava-no-such-tool', [], { missingHint: 'apt-get install lava-tool' })).rejects.toThrow(
      'lava-no-such-tool not found on PATH; run: apt-get install lava-tool',
    );
  });

  it('stops a long-running program when its cancel signal aborts, and resolves', async () => {
    const controller = new AbortController();
    const serving = run('sleep', ['600'], { stream: false, cancelSignal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(serving).resolves.toMatchObject({ stdout: '' });
  });

  it('passes env without touching process.env', async () => {
    const result = await run('sh', ['-c', 'printf %s "$LAVA_PROBE"'], { env: { LAVA_PROBE: 'x1' }, stream: false });
    expect(result.stdout).toBe('x1');
    expect(process.env.LAVA_PROBE).toBeUndefined();
  });
});

describe('displayCommand', () => {
  it.each([
    [['pip', 'install', '-r', 'requirements.txt'], [], 'pip install -r requirements.txt'],
    [['sh', '-c', "echo 'a b'"], [], `sh -c 'echo '\\''a b'\\'''`],
    [['pip', '--index-url', 'https://u:p@h/s'], [], 'pip --index-url https://***@h/s'],
    [['tool', '--token=abcd1234'], ['abcd1234'], 'tool --token=***'],
  ])('%j → %s', ([file, ...args], secrets, expected) => {
    expect(displayCommand(file, args, secrets)).toBe(expected);
  });
});
