import type { AnyProjection } from '@helpline/projections';
import { safetyMailOutboxProjection } from './mail/safety-mail-outbox.projection';
import { safetyMonitoringProjection } from './monitoring/safety-monitoring.projection';
import { safetyRegisterProjection } from './read-models/safety-register.projection';

/** The safety protocol's read models and its e-mail outbox, for the projection runner (libs/composition). */
export const safetyProjections: readonly AnyProjection[] = [
  safetyRegisterProjection,
  safetyMonitoringProjection,
  safetyMailOutboxProjection,
];
