/** The spec's `CancellationResult`: one per order `cancelAll` tried to cancel. */
export interface CancellationResult {
  readonly orderId: string;
  readonly success: boolean;
}
