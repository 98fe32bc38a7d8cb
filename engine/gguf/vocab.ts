// SentencePiece-style ("llama") vocabulary with byte fallback: 256 byte tokens make any UTF-8 text
// tokenizable; a few hundred chars and words make the output look like text.

export const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;

export interface Vocab {
  tokens: string[];
  scores: number[];
  types: number[];
  unk: number;
  bos: number;
  eos: number;
  /** First printable (non-control, non-byte) token. */
  firstNormal: number;
}

const CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?;:'\"-()";
const WORDS = ['the', 'of', 'and', 'to', 'in', 'is', 'that', 'it', 'was', 'for', 'on', 'are', 'with', 'as', 'be', 'at',
  'this', 'have', 'from', 'or', 'by', 'not', 'but', 'what', 'all', 'were', 'when', 'we', 'there', 'can', 'an', 'your',
  'which', 'their', 'said', 'if', 'do', 'will', 'each', 'about', 'how', 'up', 'out', 'them', 'then', 'she', 'many',
  'some', 'so', 'these', 'would', 'other', 'into', 'has', 'more', 'her', 'two', 'like', 'him', 'see', 'time', 'could',
  'no', 'make', 'than', 'first', 'been', 'its', 'who', 'now', 'people', 'my', 'made', 'over', 'did', 'down', 'only',
  'way', 'find', 'use', 'may', 'water', 'long', 'little', 'very', 'after', 'words', 'called', 'just', 'where', 'most',
  'know', 'sky', 'blue', 'light', 'model', 'agent', 'tool', 'answer', 'hello', 'world'];
const SPACE = '\u2581';

export function buildVocab(): Vocab {
  const tokens: string[] = [];
  const scores: number[] = [];
  const types: number[] = [];
  const add = (t: string, score: number, type: number): number => {
    tokens.push(t);
    scores.push(score);
    types.push(type);
    return tokens.length - 1;
  };
  const unk = add('<unk>', 0, TOKEN_TYPE.unknown);
  const bos = add('<s>', 0, TOKEN_TYPE.control);
  const eos = add('</s>', 0, TOKEN_TYPE.control);
  for (let b = 0; b < 256; b++) add(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, 0, TOKEN_TYPE.byte);
  const firstNormal = tokens.length;
  add(SPACE, -1, TOKEN_TYPE.normal);
  for (const c of CHARS) add(c, -2, TOKEN_TYPE.normal);
  for (const c of 'abcdefghijklmnopqrstuvwxyz') add(SPACE + c, -3, TOKEN_TYPE.normal);
  // Higher scores merge first in SPM: common words slightly ahead of rarer ones.
  WORDS.forEach((w, i) => add(SPACE + w, -4 - i * 0.01, TOKEN_TYPE.normal));
  return { tokens, scores, types, unk, bos, eos, firstNormal };
}
