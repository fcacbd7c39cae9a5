package dev.outbox.example.spring;

/** An order that breaks a business rule: answered with 400, its transaction rolled back. */
final class OrderRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  OrderRejectedException(String message) {
    super(message);
  }
}
