// The shared kernel's public surface (ARCHITECTURE.md: core is pure and imports nothing else).
export * from './errors.ts';
export * from './ids.ts';
export * from './money.ts';
export * from './dates.ts';
export * from './idnumber.ts';
export * from './mask.ts';
export * from './regions.ts';
export * from './canonical.ts';
export * from './jsonl.ts';
export * from './params.ts';
