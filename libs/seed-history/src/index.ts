// A realistic, deterministic history of SostieniMi, written through the domain (for reports, load and replay tests).
export * from './prng';
export * from './history-plan';
export * from './seed-history';
