// asl-validator 4 ships no type declarations; this is the part of its API the tests use.
declare module 'asl-validator' {
  interface ValidationOptions { checkArn?: boolean; checkPaths?: boolean }
  interface ValidationResult { isValid: boolean; errors: { 'Error code'?: string; Message?: string }[] }
  function validator(definition: unknown, options?: ValidationOptions): ValidationResult;
  export default validator;
}
