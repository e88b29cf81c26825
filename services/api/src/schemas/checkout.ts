import { type Static, Type } from 'typebox';

export const PaymentProvider = Type.Union([Type.Literal('bkash'), Type.Literal('sslcommerz')]);
export type PaymentProvider = Static<typeof PaymentProvider>;

/** Sandbox only: which outcome to simulate (like a payment sandbox's magic test numbers). */
export const SandboxOutcome = Type.Union([Type.Literal('success'), Type.Literal('decline'), Type.Literal('timeout')]);
export type SandboxOutcome = Static<typeof SandboxOutcome>;

export const CheckoutRequest = Type.Object(
  {
    shipping: Type.Object(
      {
        name: Type.String({ minLength: 2, maxLength: 100 }),
        // Bangladeshi mobile numbers: 01[3-9] and 8 digits, optionally with +880.
        phone: Type.String({ pattern: '^(\\+?880)?01[3-9][0-9]{8}$' }),
        address: Type.String({ minLength: 5, maxLength: 300 }),
        city: Type.String({ minLength: 2, maxLength: 60 }),
      },
      { additionalProperties: false },
    ),
    payment: Type.Object({ provider: PaymentProvider, sandboxOutcome: Type.Optional(SandboxOutcome) }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type CheckoutRequest = Static<typeof CheckoutRequest>;

export const IdempotencyKeyHeader = Type.Object({
  'idempotency-key': Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$' }),
});
