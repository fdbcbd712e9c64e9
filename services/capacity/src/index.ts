export { forecast } from './engine/forecast';
export { EngineInputError, validateInput, MAX_HORIZON_WEEKS } from './engine/validate';
export type * from './engine/types';
