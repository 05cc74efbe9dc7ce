package io.github.idempotency.sample;

/**
 * What a payment's description says, at which version.
 *
 * @param paymentId the payment
 * @param text the description; empty until one is set
 * @param version how often it has been changed; its entity tag is {@code "<version>"}
 */
record PaymentDescription(String paymentId, String text, long version) {

	/**
	 * @return the entity tag of this version, quoted as HTTP writes it
	 */
	String entityTag() {
		return "\"" + this.version + "\"";
	}

}
