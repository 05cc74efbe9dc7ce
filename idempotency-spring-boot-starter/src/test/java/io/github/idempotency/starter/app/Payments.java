package io.github.idempotency.starter.app;

import org.springframework.data.jpa.repository.JpaRepository;

/** The payments, a Spring Data JPA repository. */
public interface Payments extends JpaRepository<Payment, Long> {

}
