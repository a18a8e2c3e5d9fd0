import { ValidateIf } from 'class-validator';

/**
 * Like @IsOptional(), but only an absent field is optional: an explicit
 * `null` is validated (and rejected) like any other wrong value.
 */
export function IsOptionalNotNull(): PropertyDecorator {
  return ValidateIf((object: object, value: unknown) => value !== undefined);
}
