// The safety protocol between the social services and the local police (seed 002): the preventive request for
// police presence at a risky meeting, and the emergency path. Pure: no Nest, no database, no clock, no randomness.

export * from './vocabularies';
export * from './safety.actor';
export * from './safety.errors';
export * from './safety.streams';

export * from './safety-request.commands';
export * from './safety-request.events';
export * from './safety-request.state';
export * from './safety-request.decider';

export * from './safety-emergency.commands';
export * from './safety-emergency.events';
export * from './safety-emergency.state';
export * from './safety-emergency.decider';
export * from './safety-emergency.timeline';

export * from './safety.upcasting';
