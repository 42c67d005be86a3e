export * from './principal';
export * from './token.service';
export * from './auth.guard';
