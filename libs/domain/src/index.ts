// The pure domain of the helpline case-routing backend: no Nest, no database, no clock, no randomness.

export * from './shared/domain-error';
export * from './shared/sealed';
export * from './shared/instant';
export * from './shared/time-zone';
export * from './shared/upcasting';

export * from './case/vocabularies';
export * from './case/case.events';
export * from './case/case.commands';
export * from './case/case.state';
export * from './case/case.errors';
export * from './case/case.decider';
export * from './case/case.upcasting';
export * from './case/caller-lookup';

export * from './lines/line';
export * from './lines/lines';
export * from './lines/holidays';
export * from './lines/opening-hours';
export * from './safety';
