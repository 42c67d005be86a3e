// The safety protocol between the social services and the local police (seed 002), application layer: the command
// path, the views, the register and the monitoring read models, and the e-mail outbox with its dispatcher.
export * from './safety-errors';
export * from './safety-actor';
export * from './safety-access';
export * from './safety-command-context';
export * from './safety-stream.repository';
export * from './safety-aggregates';
export * from './safety-command.executor';
export * from './safety-views';

export * from './mail/safety-mail';
export * from './mail/safety-mail-outbox.projection';
export * from './mail/safety-mail-outbox.repository';
export * from './mail/safety-mail.dispatcher';
export * from './mail/safety-mail-metrics';

export * from './read-models/safety-register.projection';
export * from './read-models/safety-register.queries';

export * from './monitoring/small-cell-suppression';
export * from './monitoring/safety-monitoring.projection';
export * from './monitoring/safety-monitoring.queries';

export * from './safety-projections';
export * from './safety-services';
export * from './safety-access-log.repository';
