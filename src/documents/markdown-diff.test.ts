import { describe, expect, it } from 'vitest';
import { diffMarkdown, splitBlocks, summarizeDiff } from './markdown-diff.ts';

describe('splitBlocks', () => {
  it('splits at blank lines but keeps fenced code, tight lists and indented continuations whole', () => {
    const md = [
      '# Policy',
      '',
      'First paragraph',
      'still first.',
      '',
      '- one',
      '- two',
      '',
      '```sh',
      'echo a',
      '',
      'echo b',
      '```',
      '',
      '1. loose item',
      '',
      '   its second paragraph',
      '',
      'Last.',
      '',
    ].join('\n');
    expect(splitBlocks(md)).toEqual([
      '# Policy',
      'First paragraph\nstill first.',
      '- one\n- two',
      '```sh\necho a\n\necho b\n```',
      '1. loose item\n\n   its second paragraph',
      'Last.',
    ]);
  });

  it('a fence closes only on the same character, at least as long', () => {
    expect(splitBlocks('````\n```\n\ninside\n````\n\nafter')).toEqual(['````\n```\n\ninside\n````', 'after']);
  });
});

describe('diffMarkdown', () => {
  it('marks kept, added and removed blocks in reading order', () => {
    const before = '# Title\n\nKeep me.\n\nOld sentence.\n\nTail.\n';
    const after = '# Title\n\nKeep me.\n\nNew sentence.\n\nAn extra paragraph.\n\nTail.\n';
    const diff = diffMarkdown(before, after);
    expect(diff).toEqual([
      { op: 'same', markdown: '# Title' },
      { op: 'same', markdown: 'Keep me.' },
      { op: 'removed', markdown: 'Old sentence.' },
      { op: 'added', markdown: 'New sentence.' },
      { op: 'added', markdown: 'An extra paragraph.' },
      { op: 'same', markdown: 'Tail.' },
    ]);
    expect(summarizeDiff(diff)).toEqual({ changed: 1, added: 1, removed: 0 });
  });

  it('finds moved-around common blocks with the LCS, not only prefix and suffix', () => {
    const diff = diffMarkdown('A\n\nB\n\nC\n\nD', 'A\n\nX\n\nC\n\nY\n\nD');
    expect(diff.map((d) => `${d.op[0]}${d.markdown}`)).toEqual(['sA', 'rB', 'aX', 'sC', 'aY', 'sD']);
    expect(summarizeDiff(diff)).toEqual({ changed: 1, added: 1, removed: 0 });
  });

  it('identical texts have no changes; an emptied document removes every block', () => {
    expect(summarizeDiff(diffMarkdown('a\n\nb', 'a\n\nb'))).toEqual({ changed: 0, added: 0, removed: 0 });
    expect(diffMarkdown('a\n\nb', '')).toEqual([
      { op: 'removed', markdown: 'a' },
      { op: 'removed', markdown: 'b' },
    ]);
  });
});
