import { setTimeout as sleep } from 'node:timers/promises';
import type { PaymentProvider, SandboxOutcome } from '../schemas/checkout.js';

export interface PaymentRequest {
  orderId: string;
  amountPoisha: number;
  provider: PaymentProvider;
  sandboxOutcome?: SandboxOutcome;
}

export type PaymentResult = { status: 'captured'; reference: string } | { status: 'declined'; reason: string };

export class PaymentTimeoutError extends Error {
  override name = 'PaymentTimeoutError';
}

/** What checkout needs from a payment provider; the bKash/SSLCommerz adapters implement the same contract. */
export interface PaymentGateway {
  /**
   * Must settle or throw within `timeoutMs`; on timeout the caller treats the payment as not taken.
   * Idempotent per `orderId` (the provider's idempotency key): charging an order again returns
   * the first charge's result, so a checkout retry that resumes an order never charges twice.
   */
  charge(request: PaymentRequest, timeoutMs: number): Promise<PaymentResult>;
  refund(reference: string, amountPoisha: number): Promise<void>;
  /** Give back whatever was captured for this order, if anything (an abandoned order is expired). */
  release(order: { orderId: string; provider: string; amountPoisha: number }): Promise<void>;
}

/**
 * The sandbox behaves like a real gateway's test mode: a success returns a
 * reference, a decline returns a reason, a timeout never answers (the caller's
 * deadline fires). Latency is configurable for load tests.
 */
export class SandboxGateway implements PaymentGateway {
  constructor(private readonly latencyMs = 0) {}

  async charge(request: PaymentRequest, timeoutMs: number): Promise<PaymentResult> {
    const outcome = request.sandboxOutcome ?? 'success';
    if (outcome === 'timeout') {
      await sleep(timeoutMs);
      throw new PaymentTimeoutError(`${request.provider} did not answer within ${timeoutMs} ms`);
    }
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    if (outcome === 'decline') return { status: 'declined', reason: 'INSUFFICIENT_FUNDS' };
    // The reference follows from the order, as a gateway's idempotency key makes it: the same
    // order charged again (from any pod) is the same payment.
    return { status: 'captured', reference: `${request.provider.toUpperCase()}-SBX-${request.orderId}` };
  }

  async refund(): Promise<void> {}

  async release(): Promise<void> {}
}
