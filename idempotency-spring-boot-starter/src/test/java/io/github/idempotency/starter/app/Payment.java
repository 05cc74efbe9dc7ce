package io.github.idempotency.starter.app;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

/** A payment the service stores with JPA. */
@Entity
public class Payment {

	@Id
	@GeneratedValue
	private Long id;

	private int amount;

	protected Payment() {
	}

	Payment(int amount) {
		this.amount = amount;
	}

	public Long getId() {
		return this.id;
	}

	public int getAmount() {
		return this.amount;
	}

}
