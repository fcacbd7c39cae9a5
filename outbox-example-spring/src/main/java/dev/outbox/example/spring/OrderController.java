package dev.outbox.example.spring;

import java.math.BigDecimal;
import java.net.URI;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /orders} and {@code GET /orders/{id}}. */
@RestController
@RequestMapping("/orders")
class OrderController {

  record NewOrder(@Nullable String customer, @Nullable BigDecimal amount) {}

  private final OrderService orders;

  OrderController(OrderService orders) {
    this.orders = orders;
  }

  @PostMapping
  ResponseEntity<Map<String, String>> place(@RequestBody NewOrder order) {
    String id = orders.place(order.customer(), order.amount());
    return ResponseEntity.created(URI.create("/orders/" + id)).body(Map.of("id", id));
  }

  @GetMapping("/{id}")
  ResponseEntity<OrderService.Order> get(@PathVariable("id") String id) {
    return ResponseEntity.of(orders.find(id));
  }

  @ExceptionHandler
  ProblemDetail rejected(OrderRejectedException e) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
  }
}
