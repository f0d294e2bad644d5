// HPACK (RFC 7541): the decoder against the RFC's own examples (Appendix C), the encoder by
// round trip through the decoder, and every kind of malformed block the decoder must refuse,
// since a server's header blocks are input this side does not control.
import { type HeaderField, HpackDecoder, HpackEncoder, HpackError } from '../../src/hpack';
import { HUFFMAN_CODE_BITS, HUFFMAN_CODES, HUFFMAN_EOS } from '../../src/hpack-huffman';
import { rng } from '../random-messages';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** One block of an Appendix C sequence: what it decodes to and the dynamic table after it, newest first. */
interface Step {
  block: string;
  headers: HeaderField[];
  table: HeaderField[];
  tableBytes: number;
}

function replay(decoder: HpackDecoder, steps: readonly Step[]): void {
  for (const step of steps) {
    expect(decoder.decode(hex(step.block))).toEqual(step.headers);
    expect(decoder.dynamicTable()).toEqual(step.table);
    expect(decoder.dynamicTableBytes).toBe(step.tableBytes);
  }
}

/** Symbols as RFC 7541 Appendix B codes, padded with ones: written bit by bit, apart from the decoder's tree. */
function huffman(symbols: readonly number[]): Buffer {
  let bits = symbols.map((s) => HUFFMAN_CODES[s].toString(2).padStart(HUFFMAN_CODE_BITS[s], '0')).join('');
  bits += '1'.repeat((8 - (bits.length % 8)) % 8);
  const out = Buffer.alloc(bits.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(bits.slice(8 * i, 8 * i + 8), 2);
  return out;
}

/** A ':path' field, literal without indexing (§6.2.2), whose value is the given Huffman-coded octets. */
function huffmanPath(coded: Buffer): Buffer {
  const length: number[] = []; // §5.1: the H bit, a 7-bit prefix, then 7 bits per byte
  if (coded.length < 127) {
    length.push(0x80 | coded.length);
  } else {
    length.push(0xff);
    let rest = coded.length - 127;
    for (; rest >= 128; rest = Math.floor(rest / 128)) length.push(0x80 | rest % 128);
    length.push(rest);
  }
  return Buffer.concat([Buffer.from([0x04, ...length]), coded]);
}

describe('RFC 7541 C.2: header field representations', () => {
  test('C.2.1 literal with indexing enters the dynamic table', () => {
    replay(new HpackDecoder(), [{
      block: '400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572',
      headers: [['custom-key', 'custom-header']],
      table: [['custom-key', 'custom-header']],
      tableBytes: 55,
    }]);
  });

  test('C.2.2 literal without indexing leaves the table empty', () => {
    replay(new HpackDecoder(), [
      { block: '040c 2f73 616d 706c 652f 7061 7468', headers: [[':path', '/sample/path']], table: [], tableBytes: 0 },
    ]);
  });

  test('C.2.3 literal never indexed leaves the table empty', () => {
    replay(new HpackDecoder(), [
      { block: '1008 7061 7373 776f 7264 0673 6563 7265 74', headers: [['password', 'secret']], table: [], tableBytes: 0 },
    ]);
  });

  test('C.2.4 indexed field from the static table', () => {
    replay(new HpackDecoder(), [{ block: '82', headers: [[':method', 'GET']], table: [], tableBytes: 0 }]);
  });
});

// C.3 and C.4 are the same three requests, without and with Huffman coding, on one connection.
const REQUESTS: Omit<Step, 'block'>[] = [
  {
    headers: [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com']],
    table: [[':authority', 'www.example.com']],
    tableBytes: 57,
  },
  {
    headers: [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com'], ['cache-control', 'no-cache']],
    table: [['cache-control', 'no-cache'], [':authority', 'www.example.com']],
    tableBytes: 110,
  },
  {
    headers: [
      [':method', 'GET'], [':scheme', 'https'], [':path', '/index.html'], [':authority', 'www.example.com'],
      ['custom-key', 'custom-value'],
    ],
    table: [['custom-key', 'custom-value'], ['cache-control', 'no-cache'], [':authority', 'www.example.com']],
    tableBytes: 164,
  },
];

const C3_BLOCKS = [
  '8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d',
  '8286 84be 5808 6e6f 2d63 6163 6865',
  '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65',
];

test('RFC 7541 C.3: requests without Huffman share one dynamic table', () => {
  replay(new HpackDecoder(), REQUESTS.map((step, i) => ({ ...step, block: C3_BLOCKS[i] })));
});

test('RFC 7541 C.4: requests with Huffman share one dynamic table', () => {
  const blocks = [
    '8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff',
    '8286 84be 5886 a8eb 1064 9cbf',
    '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf',
  ];
  replay(new HpackDecoder(), REQUESTS.map((step, i) => ({ ...step, block: blocks[i] })));
});

// C.5 and C.6 are the same three responses on a 256-byte table: each block evicts older entries.
const DATE_21 = 'Mon, 21 Oct 2013 20:13:21 GMT';
const DATE_22 = 'Mon, 21 Oct 2013 20:13:22 GMT';
const LOCATION = 'https://www.example.com';
const COOKIE = 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1';
const RESPONSES: Omit<Step, 'block'>[] = [
  {
    headers: [[':status', '302'], ['cache-control', 'private'], ['date', DATE_21], ['location', LOCATION]],
    table: [['location', LOCATION], ['date', DATE_21], ['cache-control', 'private'], [':status', '302']],
    tableBytes: 222,
  },
  {
    // ':status 307' evicts ':status 302'; the other three are indexed from the first response.
    headers: [[':status', '307'], ['cache-control', 'private'], ['date', DATE_21], ['location', LOCATION]],
    table: [[':status', '307'], ['location', LOCATION], ['date', DATE_21], ['cache-control', 'private']],
    tableBytes: 222,
  },
  {
    headers: [
      [':status', '200'], ['cache-control', 'private'], ['date', DATE_22], ['location', LOCATION],
      ['content-encoding', 'gzip'], ['set-cookie', COOKIE],
    ],
    table: [['set-cookie', COOKIE], ['content-encoding', 'gzip'], ['date', DATE_22]],
    tableBytes: 215,
  },
];

test('RFC 7541 C.5: responses without Huffman evict from a 256-byte table', () => {
  const blocks = [
    `4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32
     3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d`,
    '4803 3330 37c1 c0bf',
    `88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970
     7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61
     6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31`,
  ];
  replay(new HpackDecoder(256), RESPONSES.map((step, i) => ({ ...step, block: blocks[i] })));
});

const C6_BLOCKS = [
  `4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad
   1718 63c7 8f0b 97c8 e9ae 82ae 43d3`,
  '4883 640e ffc1 c0bf',
  `88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2
   e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07`,
];

test('RFC 7541 C.6: responses with Huffman evict from a 256-byte table', () => {
  replay(new HpackDecoder(256), RESPONSES.map((step, i) => ({ ...step, block: C6_BLOCKS[i] })));
});

describe('dynamic table', () => {
  test('RFC 7541 C.1.2: a size update of 1337 on a 5-bit prefix sets the table to exactly 1337 bytes', () => {
    const d = new HpackDecoder();
    const fill = new HpackEncoder().encode([['x', 'y'.repeat(1337 - 32 - 1)]]);
    fill[0] = 0x40; // the encoder's literal without indexing, turned into one with incremental indexing
    expect(d.decode(Buffer.concat([hex('3f9a0a'), fill]))).toEqual([['x', 'y'.repeat(1304)]]);
    expect(d.dynamicTableBytes).toBe(1337);
    d.decode(hex('4001 7a00')); // 'z' with an empty value: 33 more bytes, so the first entry goes
    expect(d.dynamicTable()).toEqual([['z', '']]);
  });

  test('RFC 7541 §4.4: an entry larger than the table empties it and is not added', () => {
    const d = new HpackDecoder(64);
    d.decode(hex('4001 6101 62')); // a: b, 34 bytes
    const tooBig = Buffer.concat([hex('4001 6320'), Buffer.alloc(32, 'c')]); // c: 32 c's, 65 bytes
    expect(d.decode(tooBig)).toEqual([['c', 'c'.repeat(32)]]);
    expect(d.dynamicTable()).toEqual([]);
    expect(d.dynamicTableBytes).toBe(0);
  });

  test('RFC 7541 §4.2: size updates at the start of a block, down to 0 and back, evict everything', () => {
    const d = new HpackDecoder();
    d.decode(hex(C3_BLOCKS[0]));
    expect(d.dynamicTableBytes).toBe(57);
    expect(d.decode(hex('20 3fe11f 82'))).toEqual([[':method', 'GET']]); // 0, then 4096
    expect(d.dynamicTable()).toEqual([]);
    expect(() => d.decode(hex('be'))).toThrow(/past the end/);
  });

  test('a size update may shrink the table, keeping the newest entries', () => {
    const d = new HpackDecoder(256);
    d.decode(hex(C6_BLOCKS[0]));
    expect(d.decode(hex('3f 29'))).toEqual([]); // 72: room for location (63) only
    expect(d.dynamicTable()).toEqual([['location', LOCATION]]);
    expect(d.decode(hex('be'))).toEqual([['location', LOCATION]]);
  });

  test('fields come back as fresh tuples: changing one does not change the tables', () => {
    const d = new HpackDecoder();
    const [first] = d.decode(hex('82'));
    first[1] = 'PUT';
    expect(d.decode(hex('82'))).toEqual([[':method', 'GET']]);
  });
});

describe('Huffman (RFC 7541 Appendix B)', () => {
  test('every symbol decodes, the 30-bit codes included', () => {
    const all = Array.from({ length: 256 }, (_, i) => i);
    expect(new HpackDecoder().decode(huffmanPath(huffman(all)))).toEqual([[':path', Buffer.from(all).toString('latin1')]]);
  });

  test.each([1, 2, 3])('random strings decode, seed %i', (seed) => {
    const r = rng(seed);
    const d = new HpackDecoder();
    for (let i = 0; i < 200; i++) {
      const symbols = Array.from({ length: Math.floor(r() * 40) }, () => Math.floor(r() * 256));
      expect(d.decode(huffmanPath(huffman(symbols)))).toEqual([[':path', Buffer.from(symbols).toString('latin1')]]);
    }
  });

  test('the empty string is zero octets', () => {
    expect(new HpackDecoder().decode(hex('0480'))).toEqual([[':path', '']]);
  });
});

describe('encoder', () => {
  test('a full static-table match is the single index byte', () => {
    const e = new HpackEncoder();
    expect(e.encode([[':method', 'POST']])).toEqual(hex('83'));
    expect(e.encode([[':scheme', 'http']])).toEqual(hex('86'));
    expect(e.encode([[':method', 'POST'], [':scheme', 'http'], [':path', '/'], [':status', '200']])).toEqual(hex('83868488'));
  });

  test('a static name match is a literal without indexing on the name index, value not Huffman-coded', () => {
    const e = new HpackEncoder();
    expect(e.encode([[':path', '/x']])).toEqual(hex('04 02 2f78'));
    // content-type is index 31: 15 on the 4-bit prefix, then 16
    expect(e.encode([['content-type', 'application/grpc']])).toEqual(Buffer.concat([hex('0f10 10'), Buffer.from('application/grpc')]));
  });

  test('an unknown name is a literal without indexing with a new name', () => {
    expect(new HpackEncoder().encode([['te', 'trailers']])).toEqual(Buffer.concat([hex('00 02'), Buffer.from('te'), hex('08'), Buffer.from('trailers')]));
  });

  test('a length past the 7-bit prefix takes continuation bytes (RFC 7541 §5.1)', () => {
    const block = new HpackEncoder().encode([['content-type', 'v'.repeat(1337)]]);
    expect(block.subarray(0, 5)).toEqual(hex('0f10 7fba09')); // 1337 = 127 + 58 + 9 * 128
    expect(block.length).toBe(5 + 1337);
  });

  test('every byte 0x00-0xff in a value survives', () => {
    const value = Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('latin1');
    const fields: HeaderField[] = [['x-bytes', value], ['grpc-message', value]];
    expect(new HpackDecoder().decode(new HpackEncoder().encode(fields))).toEqual(fields);
  });

  test.each([1, 2, 3, 4, 5])('random header lists round trip and leave the table empty, seed %i', (seed) => {
    const r = rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
    const names = [':method', ':path', ':scheme', ':status', 'content-type', 'te', 'grpc-status', 'grpc-message', 'x-'.padEnd(200, 'n')];
    const values = ['', 'GET', 'POST', '/', 'http', '200', '404', 'application/grpc', 'trailers', 'gzip, deflate'];
    // Lengths around the 7-bit prefix's edge, and one that takes three continuation bytes;
    // a long value repeats a random 64-byte pattern, which is as good a test and far cheaper.
    const randomValue = (): string => {
      if (r() < 0.5) return pick(values);
      const pattern = Buffer.from(Array.from({ length: 64 }, () => Math.floor(r() * 256)));
      return Buffer.alloc(pick([0, 1, 126, 127, 128, 300, 20_000]), pattern).toString('latin1');
    };
    const e = new HpackEncoder();
    const d = new HpackDecoder(4096, 1 << 20);
    for (let i = 0; i < 100; i++) {
      const fields = Array.from({ length: Math.floor(r() * 10) }, (): HeaderField => [pick(names), randomValue()]);
      expect(d.decode(e.encode(fields))).toEqual(fields);
    }
    expect(d.dynamicTableBytes).toBe(0);
  });
});

describe('malformed blocks throw HpackError', () => {
  const eosInside = huffmanPath(huffman([0x61, HUFFMAN_EOS, 0x61]));
  const cases: [what: string, block: Buffer, message: RegExp][] = [
    ['integer truncated after its prefix', hex('ff'), /integer truncated/],
    ['integer truncated mid-continuation', hex('ff 80'), /integer truncated/],
    ['integer overflow', hex('ff ffffffff0f'), /integer overflow/],
    ['integer with endless zero continuations', hex('ff 8080808080 8000'), /integer overflow/],
    ['string length past the end', hex('40 0a 61'), /past the end of the header block/],
    ['string missing', hex('40'), /truncated/],
    ['index 0', hex('80'), /index 0/],
    ['index past the static table with an empty dynamic table', hex('be'), /past the end of the table/],
    ['name index past the table', hex('0f2f 00'), /past the end of the table/],
    ['table size update over the announced maximum', hex('3f e21f'), /over 4096/],
    ['table size update after a field', hex('82 20'), /after a header field/],
    ['Huffman EOS inside a string', eosInside, /EOS/],
    ['Huffman padding of zeros', hex('0481 18'), /not the prefix of EOS/], // 'a' is 00011, then 000
    ['Huffman padding of 8 bits or more', hex('0482 1fff'), /longer than 7 bits/], // 'a', then 11 ones
    ['uppercase name', hex('0001 41 00'), /uppercase/],
  ];

  test.each(cases)('%s', (_what, block, message) => {
    const d = new HpackDecoder();
    expect(() => d.decode(block)).toThrow(HpackError);
    expect(() => new HpackDecoder().decode(block)).toThrow(message);
  });

  test('the limits themselves are accepted', () => {
    expect(new HpackDecoder().decode(hex('3f e11f'))).toEqual([]); // size update to exactly 4096
    expect(new HpackDecoder(256).decode(hex('3f e101'))).toEqual([]); // to exactly 256
    expect(() => new HpackDecoder(256).decode(hex('3f e201'))).toThrow(/over 256/);
  });

  test('a header list over maxListBytes, counting name + value + 32 per field', () => {
    const e = new HpackEncoder();
    expect(new HpackDecoder(4096, 100).decode(e.encode([['x', 'v'.repeat(67)]]))).toHaveLength(1);
    expect(() => new HpackDecoder(4096, 100).decode(e.encode([['x', 'v'.repeat(68)]]))).toThrow(HpackError);
    expect(() => new HpackDecoder(4096, 100).decode(e.encode([['x', 'v'.repeat(30)], ['y', 'v'.repeat(6)]]))).toThrow(/over 100 bytes/);
  });

  test('after an error the decoder refuses every later block: its table may have diverged', () => {
    const d = new HpackDecoder();
    expect(() => d.decode(hex('80'))).toThrow(HpackError);
    expect(() => d.decode(hex('82'))).toThrow(/unusable/);
  });
});
