package io.github.idempotency.webflux;

/**
 * Makes WebFlux functional endpoints idempotent, with the rules of {@code @Idempotent}
 * handler methods. The starter defines a bean of this type in a reactive web application;
 * each endpoint gets a filter of its own, named for logs and metrics as an annotated
 * handler method would be ({@code Handler#method}), with the application's
 * {@code idempotency.ttl}, {@code idempotency.lock-timeout} and
 * {@code idempotency.wait-for-in-progress} unless the filter sets its own:
 * <pre class="code">
 * &#64;Bean
 * RouterFunction&lt;ServerResponse&gt; payments(PaymentHandler payments, IdempotencyFilterFunctions idempotency) {
 *     return route().POST("/payments", payments::create)
 *         .filter(idempotency.endpoint("Payments#create").ttl(Duration.ofHours(1)))
 *         .build();
 * }
 * </pre>
 */
public interface IdempotencyFilterFunctions {

	/**
	 * The filter of one endpoint: a key is required and the body is fingerprinted.
	 * @param endpoint the endpoint's name in logs and metrics, e.g.
	 * {@code Payments#create}
	 * @return the filter
	 */
	IdempotencyHandlerFilterFunction endpoint(String endpoint);

}
