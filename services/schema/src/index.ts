export { loadSchema, Schema, type LoadSchemaOptions } from './schema';
export { readSourceObjects, packageDirectoriesOf, type SchemaProblem, type SourceObjects } from './metadata';
export { STANDARD_OBJECTS } from './standard-objects';
export { FIELD_TYPES, STANDARD_ONLY_FIELD_TYPES } from './types';
export type {
  ChildRelationship,
  FieldDef,
  FieldType,
  ObjectDef,
  PathResolution,
  SourceLocation,
  SummaryDef,
  ValidationRuleDef
} from './types';
export {
  compileFormula,
  formulaTypeOf,
  storedFormulaValue,
  stripComments,
  FormulaError,
  type CompiledFormula,
  type CompileOptions,
  type FormulaEnv,
  type FormulaErrorKind,
  type FormulaType,
  type RecordValue
} from './formula';
export { parseXml, readXmlFile, child, childrenNamed, textOf, XmlSyntaxError, type XmlElement } from './xml';
export {
  normalizeCompanyName,
  readDuplicateRules,
  valuesMatch,
  type DuplicateRuleDef,
  type MatchingRuleDef,
  type MatchingRuleItem
} from './duplicates';
