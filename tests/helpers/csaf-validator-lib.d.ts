/**
 * Types for the parts of @secvisogram/csaf-validator-lib the tests use; the package ships
 * JavaScript with JSDoc only (its README documents these signatures).
 */
declare module '@secvisogram/csaf-validator-lib/validate.js' {
  export interface TestResult {
    name: string;
    isValid: boolean;
    errors: Array<{ instancePath: string; message: string }>;
    warnings: Array<{ instancePath: string; message: string }>;
    infos: Array<{ instancePath: string; message: string }>;
  }
  export type DocumentTest = (doc: unknown) => unknown;
  export default function validate(tests: DocumentTest[], doc: unknown): Promise<{ tests: TestResult[]; isValid: boolean }>;
}

declare module '@secvisogram/csaf-validator-lib/mandatoryTests.js' {
  import type { DocumentTest } from '@secvisogram/csaf-validator-lib/validate.js';
  /** mandatoryTest_6_1_1 … mandatoryTest_6_1_33. */
  export const mandatoryTest_6_1_1: DocumentTest;
}
